//! A review session in the terminal: question, reveal (optionally after typing a rough answer),
//! a single-key grade, next. `u` undoes, `s` suspends, `q`, Esc or Ctrl-C end the session. A
//! page taller than the terminal scrolls with the arrows, `j`/`k`, PgUp/PgDn, Home and End.
//! Each screen is drawn whole (`render::review` lays it out) after clearing the terminal.

use std::time::Instant;

use dialoguer::Input;
use dialoguer::console::{Key, Style, Term};

use super::marks::{Marks, grade_of};
use super::terminal::Guard;
use crate::deck::Catalog;
use crate::model::{Card, CardId, Event, Grade, Graded};
use crate::render::review::{self, Legend, Scroll, Typed, View};
use crate::render::{plural, safe::visible};
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

enum Step {
    Next,
    Quit,
}

/// What a key that works on every screen did.
enum Common {
    /// The card is done with (undone to another, suspended) or the session ends.
    Step(Step),
    /// Nothing changed; say this on the screen.
    Say(String),
    /// The key means nothing here.
    Ignored,
}

struct Screen {
    term: Term,
    color: bool,
}

impl Screen {
    /// Columns of text, the terminal's columns and rows.
    fn size(&self) -> (usize, usize, usize) {
        let (rows, columns) = self.term.size();
        let columns = usize::from(columns).max(1);
        (columns.min(MAX_WIDTH), columns, usize::from(rows).max(1))
    }

    fn line(&self, text: &str) -> std::io::Result<()> {
        self.term.write_line(text)
    }

    /// Writes a line of hone's own text, wrapped at the width and dimmed.
    fn say(&self, text: &str) -> std::io::Result<()> {
        for line in textwrap::wrap(text, self.size().0) {
            self.line(&if self.color {
                Style::new()
                    .dim()
                    .force_styling(true)
                    .apply_to(&line)
                    .to_string()
            } else {
                line.into_owned()
            })?;
        }
        Ok(())
    }

    /// Clears the terminal and draws `card` from line `top` with the legend of `which` under it,
    /// after `said` (a word on a key that changed nothing); `reserve` rows stay free below, for
    /// a prompt.
    fn draw(
        &self,
        card: &review::Card,
        which: Legend,
        said: Option<&str>,
        top: Option<usize>,
        reserve: usize,
    ) -> std::io::Result<View> {
        let (width, columns, rows) = self.size();
        let page = review::page(card, width, self.color);
        let mut legend: Vec<String> = said
            .map(|text| {
                textwrap::wrap(text, width)
                    .into_iter()
                    .map(|l| l.into_owned())
                    .collect()
            })
            .unwrap_or_default();
        legend.extend(review::legend(which, width));
        let view = review::view(
            &page,
            &legend,
            (columns, rows),
            top.unwrap_or(page.revealed),
            reserve,
            self.color,
        );
        self.term.clear_screen()?;
        self.term.write_str(&view.text)?;
        self.term.flush()?;
        Ok(view)
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
    screen.line("")?;
    if let Some(notice) = notice {
        screen.say(&visible(&notice))?;
    }
    Ok(Ended::Finished)
}

/// The status line: where the session is, what is left, and the card.
fn status(session: &Session, card: &Card, pass: Pass) -> String {
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
    status
}

/// The view's new top for a key that scrolls (`arrows`: the arrow keys scroll too).
fn scrolled(key: &Key, view: &View, arrows: bool) -> Option<usize> {
    let scroll = match key {
        Key::ArrowUp if arrows => Scroll::Up,
        Key::ArrowDown if arrows => Scroll::Down,
        Key::Char('k') => Scroll::Up,
        Key::Char('j') => Scroll::Down,
        Key::PageUp => Scroll::PageUp,
        Key::PageDown => Scroll::PageDown,
        Key::Home => Scroll::Top,
        Key::End => Scroll::Bottom,
        _ => return None,
    };
    Some(review::scroll(view, scroll))
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
    let status = status(session, card, pass);
    let last = notice.take();
    let mut said: Option<String> = None;
    let kept = session.kept_response().map(str::to_owned);
    let started = Instant::now();
    let mut top = 0;
    let response = loop {
        let question = review::Card {
            notice: last.as_deref(),
            status: &status,
            front: &card.front,
            typed: kept.as_deref().map(Typed::Kept),
            back: None,
            checklist: None,
        };
        let view = screen.draw(
            &question,
            Legend::Question {
                kept: kept.is_some(),
            },
            said.take().as_deref(),
            Some(top),
            0,
        )?;
        top = view.top;
        match screen.key(guard) {
            Key::Enter | Key::Char(' ') => break kept.clone(),
            Key::Char('t') => {
                screen.draw(&question, Legend::Typing, None, Some(top), 1)?;
                let mut input = Input::<String>::new()
                    .with_prompt("Your answer")
                    .allow_empty(true);
                if let Some(kept) = &kept {
                    input = input.with_initial_text(kept);
                }
                let typed = match input.interact_text_on(&screen.term) {
                    Ok(typed) => typed,
                    Err(dialoguer::Error::IO(e)) => {
                        guard.settle();
                        return Err(e.into());
                    }
                };
                break Some(typed).filter(|t| !t.trim().is_empty());
            }
            key => {
                if let Some(to) = scrolled(&key, &view, true) {
                    top = to;
                    continue;
                }
                match common_key(key, guard, session, &card.id, journal, notice)? {
                    Common::Step(step) => return Ok(step),
                    Common::Say(text) => said = Some(text),
                    Common::Ignored => {}
                }
            }
        }
    };

    // The answer's screen replaces the question's, legend and all. It opens where the answer
    // starts, with as much of the question above it as fits.
    let mut top = None;
    let mut said = None;
    let mut marks = Marks::new(card.points.len());
    let grade = loop {
        let legend = match marks.proposed() {
            Some(proposed) => Legend::Checklist {
                proposed: proposed.value(),
                covered: marks.covered.iter().filter(|c| **c).count(),
                total: marks.covered.len(),
            },
            None => Legend::Answer,
        };
        let view = screen.draw(
            &answer_page(&status, card, response.as_deref(), &marks),
            legend,
            said.take().as_deref(),
            top,
            0,
        )?;
        top = Some(view.top);
        let key = screen.key(guard);
        if let Some(grade) = grade_of(&key) {
            break grade;
        }
        if let Some(proposed) = marks.proposed() {
            let moved = match key {
                Key::Enter => {
                    marks.checked = true;
                    break proposed;
                }
                Key::ArrowUp | Key::BackTab => marks.up(),
                Key::ArrowDown | Key::Tab => marks.down(),
                Key::Char(' ') => marks.toggle(),
                _ => false,
            };
            if moved {
                let focus = review::page(
                    &answer_page(&status, card, response.as_deref(), &marks),
                    screen.size().0,
                    false,
                )
                .focus;
                top = focus.map(|lines| review::reveal(&view, lines)).or(top);
                continue;
            }
        }
        if let Some(to) = scrolled(&key, &view, marks.proposed().is_none()) {
            top = Some(to);
            continue;
        }
        match common_key(key, guard, session, &card.id, journal, notice)? {
            Common::Step(step) => return Ok(step),
            Common::Say(text) => said = Some(text),
            Common::Ignored => {}
        }
    };
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let coverage = marks.coverage(&card.points);
    let graded = Graded {
        grade,
        elapsed_ms: Some(elapsed_ms),
        response,
        coverage: coverage.clone(),
        mock: None,
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
    if let Some(coverage) = &coverage {
        let missed: Vec<&String> = coverage
            .missed()
            .filter_map(|p| card.points.get(p - 1))
            .collect();
        if !missed.is_empty() {
            saved.push_str("\nMissed:");
            for point in missed {
                saved.push_str("\n  - ");
                saved.push_str(point);
            }
        }
    }
    *notice = Some(saved);
    Ok(Step::Next)
}

/// The answer's page: the question, the typed answer, the model answer and the checklist.
fn answer_page<'a>(
    status: &'a str,
    card: &'a Card,
    typed: Option<&'a str>,
    marks: &'a Marks,
) -> review::Card<'a> {
    review::Card {
        notice: None,
        status,
        front: &card.front,
        typed: typed.map(Typed::Given),
        back: Some(&card.back),
        checklist: marks.checklist(&card.points),
    }
}

/// Keys that work on both screens: undo, suspend, quit.
fn common_key(
    key: Key,
    guard: &Guard,
    session: &mut Session,
    card: &CardId,
    journal: &mut dyn Journal,
    notice: &mut Option<String>,
) -> anyhow::Result<Common> {
    match key {
        Key::Char('q') | Key::Escape | Key::CtrlC => Ok(Common::Step(Step::Quit)),
        Key::Char('u') => {
            if !session.can_undo() {
                return Ok(Common::Say("Nothing to undo yet.".to_owned()));
            }
            let undone = session
                .undo()
                .ok_or_else(|| anyhow::anyhow!("nothing to undo"))?;
            let _writing = guard.writing();
            journal.undo(&undone)?;
            *notice = Some(format!("Undid the answer to {}.", undone.card));
            Ok(Common::Step(Step::Next))
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
            Ok(Common::Step(Step::Next))
        }
        _ => Ok(Common::Ignored),
    }
}
