//! A review session in the terminal: question, reveal (optionally after typing a rough answer),
//! a single-key grade, next. `u` undoes, `s` suspends, `q`, Esc or Ctrl-C end the session.

use std::time::Instant;

use dialoguer::Input;
use dialoguer::console::{Key, Style, Term};

use super::terminal::Guard;
use crate::deck::Catalog;
use crate::model::{Card, CardId, Event, Grade, Graded};
use crate::render::{markdown, plural, safe::visible};
use crate::session::{Pass, Session};

/// An answer as recorded.
pub struct Recorded {
    pub event: Event,
    /// The answer made the card a leech, and leeches are suspended: it was suspended too.
    pub suspended_as_leech: bool,
}

/// Where the session's actions are recorded; each call returns once the entry is on disk.
pub trait Journal {
    fn answer(&mut self, card: &CardId, pass: Pass, graded: Graded) -> anyhow::Result<Recorded>;
    fn undo(&mut self, answered: &Event) -> anyhow::Result<()>;
    fn suspend(&mut self, card: &CardId) -> anyhow::Result<()>;
}

/// How the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Every card was answered.
    Finished,
    /// The user quit with cards left.
    Quit,
}

/// Text never wider than this, however wide the terminal.
const MAX_WIDTH: usize = 100;

const GRADE_HELP: &str = "Grade: 0 blackout · 1 wrong, familiar once seen · 2 wrong, easy once seen · 3 hard · 4 good · 5 perfect";
const GRADE_KEYS: &str = "a/h/g/e = again/hard/good/easy · u undo · s suspend · q quit";
const QUESTION_KEYS: &str =
    "Enter show the answer · t type an answer first · u undo · s suspend · q quit";

enum Step {
    Next,
    Quit,
}

struct Screen {
    term: Term,
    color: bool,
    dim: Style,
    bold: Style,
}

impl Screen {
    fn width(&self) -> usize {
        usize::from(self.term.size().1).clamp(1, MAX_WIDTH)
    }

    fn line(&self, text: &str) -> std::io::Result<()> {
        self.term.write_line(text)
    }

    fn dim(&self, text: &str) -> String {
        if self.color {
            self.dim.apply_to(text).to_string()
        } else {
            text.to_owned()
        }
    }

    /// Writes a line of hone's own text, wrapped at the width, dimmed if `dim`.
    fn say(&self, text: &str, dim: bool) -> std::io::Result<()> {
        for line in textwrap::wrap(text, self.width()) {
            self.line(&if dim {
                self.dim(&line)
            } else {
                line.into_owned()
            })?;
        }
        Ok(())
    }

    fn markdown(&self, text: &str) -> std::io::Result<()> {
        self.term
            .write_str(&markdown::render(text, self.width(), self.color))
    }

    /// The next key. A read cut short by a signal leaves the ending to the signal handler; a
    /// closed or broken terminal ends the session like `q`.
    fn key(&self, guard: &Guard) -> Key {
        let key = self.term.read_key_raw();
        if matches!(key, Ok(Key::CtrlC) | Err(_)) {
            guard.settle();
        }
        key.unwrap_or(Key::Escape)
    }
}

/// Runs the session until every card is answered or the user quits.
pub fn run_session(
    session: &mut Session,
    catalog: &Catalog,
    journal: &mut dyn Journal,
    color: bool,
) -> anyhow::Result<Ended> {
    let guard = Guard::install()?;
    let screen = Screen {
        term: Term::stdout(),
        color,
        dim: Style::new().dim().force_styling(true),
        bold: Style::new().bold().force_styling(true),
    };
    let mut notice: Option<String> = None;
    while let Some((id, pass)) = session.current() {
        let id = id.clone();
        let Some(card) = catalog.card(&id) else {
            session.suspend_current();
            continue;
        };
        match show_card(&screen, &guard, session, card, pass, journal, &mut notice)? {
            Step::Next => {}
            Step::Quit => {
                screen.line("")?;
                return Ok(Ended::Quit);
            }
        }
    }
    if let Some(notice) = notice {
        screen.say(&notice, true)?;
    }
    Ok(Ended::Finished)
}

fn header(
    screen: &Screen,
    session: &Session,
    card: &Card,
    pass: Pass,
    notice: &mut Option<String>,
) -> std::io::Result<()> {
    screen.term.clear_screen()?;
    if let Some(notice) = notice.take() {
        screen.say(&notice, true)?;
    }
    let (k, n) = session.position();
    let left = session.remaining();
    let mut status = format!(
        "Card {k} of {n} · {} new · {} review · {} again",
        left.new,
        left.review + left.cram,
        left.repeat
    );
    status.push_str(&format!(" · {} ({})", card.id, pass.label()));
    if !card.tags.is_empty() {
        status.push_str(&format!(" · {}", card.tags.join(", ")));
    }
    screen.say(&visible(&status), true)?;
    screen.line("")?;
    Ok(())
}

/// Shows one card through to its grade (or an undo, a suspension or the end).
fn show_card(
    screen: &Screen,
    guard: &Guard,
    session: &mut Session,
    card: &Card,
    pass: Pass,
    journal: &mut dyn Journal,
    notice: &mut Option<String>,
) -> anyhow::Result<Step> {
    header(screen, session, card, pass, notice)?;
    let front = if screen.color {
        screen
            .bold
            .apply_to(markdown::render(&card.front, screen.width(), true))
            .to_string()
    } else {
        markdown::render(&card.front, screen.width(), false)
    };
    screen.term.write_str(&front)?;
    screen.line("")?;
    screen.say(QUESTION_KEYS, true)?;
    let started = Instant::now();
    let mut response = None;
    loop {
        match screen.key(guard) {
            Key::Enter | Key::Char(' ') => break,
            Key::Char('t') => {
                let typed = Input::<String>::new()
                    .with_prompt("Your answer")
                    .allow_empty(true)
                    .interact_text_on(&screen.term);
                let typed = match typed {
                    Ok(typed) => typed,
                    Err(dialoguer::Error::IO(e)) => {
                        guard.settle();
                        return Err(e.into());
                    }
                };
                response = Some(typed).filter(|t| !t.trim().is_empty());
                break;
            }
            key => {
                if let Some(step) =
                    common_key(key, screen, guard, session, &card.id, journal, notice)?
                {
                    return Ok(step);
                }
            }
        }
    }

    screen.line("")?;
    screen.line(&screen.dim(&"─".repeat(screen.width().min(40))))?;
    screen.markdown(&card.back)?;
    screen.line("")?;
    screen.say(GRADE_HELP, false)?;
    screen.say(GRADE_KEYS, true)?;
    let grade = loop {
        let key = screen.key(guard);
        if let Some(grade) = grade_of(&key) {
            break grade;
        }
        if let Some(step) = common_key(key, screen, guard, session, &card.id, journal, notice)? {
            return Ok(step);
        }
    };
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let graded = Graded {
        grade,
        elapsed_ms: Some(elapsed_ms),
        response,
    };
    let Recorded {
        event,
        suspended_as_leech,
    } = {
        let _writing = guard.writing();
        journal.answer(&card.id, pass, graded)?
    };
    let mut saved = match event.after() {
        Some(after) => format!(
            "Saved {}: grade {grade}, next due {} (in {}).",
            card.id,
            after.due,
            plural(after.interval_days as usize, "day", "days")
        ),
        None => format!(
            "Saved {}: grade {grade}, practice (the schedule is unchanged).",
            card.id
        ),
    };
    session.answered(grade, event, elapsed_ms);
    if suspended_as_leech {
        session.drop_card(&card.id);
        saved.push_str(" It is now a leech and suspended; `hone unsuspend` brings it back.");
    } else if grade < Grade::GOOD {
        saved.push_str(" It comes back later in this session.");
    }
    *notice = Some(saved);
    Ok(Step::Next)
}

/// The grade a key stands for: 0-5, or Anki's again/hard/good/easy.
fn grade_of(key: &Key) -> Option<Grade> {
    let value = match key {
        Key::Char(c @ '0'..='5') => c.to_digit(10)? as u8,
        Key::Char('a') => 1,
        Key::Char('h') => 3,
        Key::Char('g') => 4,
        Key::Char('e') => 5,
        _ => return None,
    };
    Grade::new(value)
}

/// Keys that work on both screens: undo, suspend, quit. `None`: the key means nothing here.
fn common_key(
    key: Key,
    screen: &Screen,
    guard: &Guard,
    session: &mut Session,
    card: &CardId,
    journal: &mut dyn Journal,
    notice: &mut Option<String>,
) -> anyhow::Result<Option<Step>> {
    match key {
        Key::Char('q') | Key::Escape | Key::CtrlC => Ok(Some(Step::Quit)),
        Key::Char('u') => {
            if !session.can_undo() {
                screen.say("Nothing to undo yet.", true)?;
                return Ok(None);
            }
            let undone = session
                .undo()
                .ok_or_else(|| anyhow::anyhow!("nothing to undo"))?;
            let _writing = guard.writing();
            journal.undo(&undone)?;
            *notice = Some(format!("Undid the answer to {}.", undone.card));
            Ok(Some(Step::Next))
        }
        Key::Char('s') => {
            {
                let _writing = guard.writing();
                journal.suspend(card)?;
            }
            session.suspend_current();
            *notice = Some(format!(
                "Suspended {card}; `hone unsuspend {card}` brings it back."
            ));
            Ok(Some(Step::Next))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_grades() {
        let grade = |c| grade_of(&Key::Char(c)).map(Grade::value);
        assert_eq!(
            [grade('0'), grade('5'), grade('6')],
            [Some(0), Some(5), None]
        );
        assert_eq!(
            [grade('a'), grade('h'), grade('g'), grade('e')],
            [Some(1), Some(3), Some(4), Some(5)]
        );
        assert_eq!(grade('x'), None);
    }
}
