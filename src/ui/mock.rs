//! A mock interview in the terminal: each question with a countdown of its time, redrawn every
//! second; Enter (or the end of the time) shows the model answer and the key points to mark;
//! Enter records what was covered and the next question follows at once. `t` types an answer
//! while the clock runs; `q`, Esc or Ctrl-C end the mock, keeping every answer recorded.
//! `Asking` decides what each key and each tick of the clock does (pure, tested below); the
//! loop draws (`render::mock_screen`, `render::review`) and reads keys with a time limit
//! (`keys`), the terminal held raw throughout.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use dialoguer::console::{Key, Term};

use super::Ended;
use super::keys::{Keys, Waited};
use super::marks::{Marks, grade_of};
use super::terminal::{Guard, Raw};
use crate::mock::MockAnswer;
use crate::model::{Card, CardId, Event, Grade, Graded};
use crate::render::mock_screen::{self, MockLegend};
use crate::render::review::{self, Scroll, Typed, View};

/// One question of a mock, as the screen asks it.
pub struct MockQuestion<'a> {
    pub card: &'a Card,
    /// Its time budget.
    pub seconds: u32,
}

/// A mock to run.
pub struct MockRun<'a> {
    pub id: String,
    pub started: DateTime<FixedOffset>,
    pub minutes: u32,
    pub questions: Vec<MockQuestion<'a>>,
}

/// Where a mock's answers are recorded; each call returns once the entry is on disk.
pub trait MockJournal {
    fn answer(&mut self, card: &CardId, graded: Graded) -> anyhow::Result<Event>;
}

/// Text never wider than this, however wide the terminal.
const MAX_WIDTH: usize = 100;

/// Runs the mock until every question is answered or the candidate ends it. Returns how it
/// ended and the entries recorded, in order.
pub fn run_mock(
    run: &MockRun,
    journal: &mut dyn MockJournal,
    color: bool,
) -> anyhow::Result<(Ended, Vec<Event>)> {
    let guard = Guard::install()?;
    let raw = Raw::enter()?;
    let keys = Keys::start()?;
    let term = Term::stdout();
    let mut recorded = Vec::new();
    let mut notice: Option<String> = None;
    let total = run.questions.len();
    for (i, question) in run.questions.iter().enumerate() {
        let place = i + 1;
        let asked = ask(
            &term,
            color,
            &keys,
            question,
            (place, total),
            notice.take().as_deref(),
        )?;
        let Some((grade, asking, elapsed_ms)) = asked else {
            drop(raw);
            term.write_line("")?;
            return Ok((Ended::Quit, recorded));
        };
        let card = question.card;
        let mock = MockAnswer {
            id: run.id.clone(),
            started: run.started,
            minutes: run.minutes,
            question: u32::try_from(place).unwrap_or(u32::MAX),
            questions: u32::try_from(total).unwrap_or(u32::MAX),
            seconds: question.seconds,
            used_ms: asking.used_ms.unwrap_or(elapsed_ms),
            timed_out: asking.timed_out,
        };
        let graded = asking.graded(&card.points, grade, elapsed_ms, mock);
        let covered = graded
            .coverage
            .as_ref()
            .map_or((usize::from(grade >= Grade::PASS), 1), |c| {
                (c.covered.len(), c.points.len())
            });
        let event = {
            let _writing = guard.writing();
            journal.answer(&card.id, graded)?
        };
        recorded.push(event);
        notice = Some(format!(
            "Question {place} saved: {} of {} key points.",
            covered.0, covered.1
        ));
    }
    drop(raw);
    term.write_line("")?;
    Ok((Ended::Finished, recorded))
}

/// Asks one question through to its recorded marks: the grade, what was decided, and the
/// milliseconds from the question to the grade. `None`: the candidate ended the mock.
fn ask(
    term: &Term,
    color: bool,
    keys: &Keys,
    question: &MockQuestion,
    (place, total): (usize, usize),
    notice: Option<&str>,
) -> anyhow::Result<Option<(Grade, Asking, u64)>> {
    let card = question.card;
    let status = mock_screen::status(place, total, card.id.as_str(), &card.tags);
    keys.discard();
    let started = Instant::now();
    let elapsed = || u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let mut asking = Asking::new(card.points.len(), question.seconds);
    let mut top = Some(0);
    loop {
        if asking.tick(elapsed()) {
            top = None; // open where the answer starts
        }
        let (width, columns, rows) = size(term);
        let typing = format!("{}_", asking.typed);
        let shown = page_card(&asking, card, &status, notice, &typing);
        let page = review::page(&shown, width, color);
        let clock = match asking.used_ms {
            Some(used) => mock_screen::time_used(used, question.seconds, asking.timed_out, color),
            None => mock_screen::countdown(
                asking.left_seconds(elapsed()),
                question.seconds,
                width,
                color,
            ),
        };
        let mut legend = vec![clock];
        legend.extend(mock_screen::legend(asking.legend(), width));
        let view = review::view(
            &page,
            &legend,
            (columns, rows),
            top.unwrap_or(page.revealed),
            0,
            color,
        );
        term.clear_screen()?;
        term.write_str(&view.text)?;
        term.flush()?;
        top = Some(view.top);
        let running = asking.phase != Phase::Answer;
        let wait = running.then(|| asking.until_next_second(elapsed()));
        let key = match keys.next(wait) {
            Waited::Key(key) => key,
            Waited::Timeout => continue,
            Waited::Closed => return Ok(None),
        };
        if let Some(to) = scrolled(&key, &view, asking.phase, asking.has_points) {
            top = Some(to);
            continue;
        }
        let was = asking.phase;
        match asking.key(&key, elapsed()) {
            Did::Nothing => {}
            Did::Changed if was != Phase::Answer && asking.phase == Phase::Answer => top = None,
            Did::Changed => {}
            Did::Moved => {
                let moved = page_card(&asking, card, &status, None, "");
                let focus = review::page(&moved, width, false).focus;
                top = focus.map(|lines| review::reveal(&view, lines)).or(top);
            }
            Did::Done(grade) => {
                let elapsed = elapsed();
                return Ok(Some((grade, asking, elapsed)));
            }
            Did::Quit => return Ok(None),
        }
    }
}

/// What a question's page holds in its phase: `notice` (the last question's word) over the
/// question; the answer being typed, shown as `typing` (with its cursor); once revealed, the
/// typed answer, the model answer and the checklist.
fn page_card<'a>(
    asking: &'a Asking,
    card: &'a Card,
    status: &'a str,
    notice: Option<&'a str>,
    typing: &'a str,
) -> review::Card<'a> {
    let answer = asking.phase == Phase::Answer;
    let typed = match asking.phase {
        Phase::Question if asking.typed.is_empty() => None,
        Phase::Question | Phase::Typing => Some(Typed::Given(typing)),
        Phase::Answer => {
            Some(Typed::Given(asking.typed.as_str())).filter(|_| !asking.typed.is_empty())
        }
    };
    review::Card {
        notice: notice.filter(|_| !answer),
        status,
        front: &card.front,
        typed,
        back: answer.then_some(card.back.as_str()),
        checklist: if answer {
            asking.marks.checklist(&card.points)
        } else {
            None
        },
    }
}

/// Columns of text, the terminal's columns and rows.
fn size(term: &Term) -> (usize, usize, usize) {
    let (rows, columns) = term.size();
    let columns = usize::from(columns).max(1);
    (columns.min(MAX_WIDTH), columns, usize::from(rows).max(1))
}

/// The view's new top for a key that scrolls on this screen.
fn scrolled(key: &Key, view: &View, phase: Phase, has_points: bool) -> Option<usize> {
    // Typing takes the letters, and a checklist the arrows.
    let letters = phase != Phase::Typing;
    let arrows = phase == Phase::Question || (phase == Phase::Answer && !has_points);
    let scroll = match key {
        Key::ArrowUp if arrows => Scroll::Up,
        Key::ArrowDown if arrows => Scroll::Down,
        Key::Char('k') if letters => Scroll::Up,
        Key::Char('j') if letters => Scroll::Down,
        Key::PageUp => Scroll::PageUp,
        Key::PageDown => Scroll::PageDown,
        Key::Home if letters => Scroll::Top,
        Key::End if letters => Scroll::Bottom,
        _ => return None,
    };
    Some(review::scroll(view, scroll))
}

/// Where a question stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The question shows, the clock running.
    Question,
    /// An answer is being typed, the clock running.
    Typing,
    /// The model answer shows: the clock has stopped.
    Answer,
}

/// What a key did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Did {
    Nothing,
    /// The screen changed.
    Changed,
    /// The checklist's cursor moved (or a point was marked): its point should be on screen.
    Moved,
    /// The marks are recorded with this grade.
    Done(Grade),
    /// The candidate ended the mock.
    Quit,
}

/// One question being asked: its phase, the typed answer, the clock, the marks. Pure: the
/// time comes in as milliseconds since the question showed.
struct Asking {
    phase: Phase,
    typed: String,
    budget_ms: u64,
    /// Set when the answer shows: the time it took.
    used_ms: Option<u64>,
    timed_out: bool,
    marks: Marks,
    has_points: bool,
}

impl Asking {
    fn new(points: usize, seconds: u32) -> Asking {
        Asking {
            phase: Phase::Question,
            typed: String::new(),
            budget_ms: u64::from(seconds) * 1000,
            used_ms: None,
            timed_out: false,
            marks: Marks::new(points),
            has_points: points > 0,
        }
    }

    /// The clock reads `elapsed_ms`; at the end of the time, the answer shows. Returns whether
    /// it did just now.
    fn tick(&mut self, elapsed_ms: u64) -> bool {
        if self.phase == Phase::Answer || elapsed_ms < self.budget_ms {
            return false;
        }
        self.phase = Phase::Answer;
        self.used_ms = Some(self.budget_ms);
        self.timed_out = true;
        true
    }

    /// Whole seconds left, rounded up: 0 only when the time is up.
    fn left_seconds(&self, elapsed_ms: u64) -> u32 {
        u32::try_from(self.budget_ms.saturating_sub(elapsed_ms).div_ceil(1000)).unwrap_or(u32::MAX)
    }

    /// How long until the seconds left change, so the countdown is redrawn then.
    fn until_next_second(&self, elapsed_ms: u64) -> Duration {
        let left = self.budget_ms.saturating_sub(elapsed_ms);
        let step = match left % 1000 {
            0 => 1000,
            part => part,
        };
        Duration::from_millis(step.min(left.max(1)) + 2)
    }

    fn legend(&self) -> MockLegend {
        match (self.phase, self.marks.proposed()) {
            (Phase::Question, _) => MockLegend::Question,
            (Phase::Typing, _) => MockLegend::Typing,
            (Phase::Answer, Some(_)) => MockLegend::Checklist {
                covered: self.marks.covered.iter().filter(|c| **c).count(),
                total: self.marks.covered.len(),
            },
            (Phase::Answer, None) => MockLegend::Grade,
        }
    }

    fn reveal(&mut self, elapsed_ms: u64) {
        self.phase = Phase::Answer;
        self.used_ms = Some(elapsed_ms.min(self.budget_ms));
    }

    /// What `key`, pressed `elapsed_ms` into the question, does.
    fn key(&mut self, key: &Key, elapsed_ms: u64) -> Did {
        if self.tick(elapsed_ms) {
            // The time ran out as the key came: it was meant for a screen that is gone.
            return Did::Changed;
        }
        let quit = matches!(key, Key::Char('q') | Key::Escape | Key::CtrlC);
        match self.phase {
            Phase::Question => match key {
                Key::Enter | Key::Char(' ') => {
                    self.reveal(elapsed_ms);
                    Did::Changed
                }
                Key::Char('t') => {
                    self.phase = Phase::Typing;
                    Did::Changed
                }
                _ if quit => Did::Quit,
                _ => Did::Nothing,
            },
            Phase::Typing => match key {
                Key::Enter => {
                    self.reveal(elapsed_ms);
                    Did::Changed
                }
                Key::Escape => {
                    self.phase = Phase::Question;
                    Did::Changed
                }
                Key::CtrlC => Did::Quit,
                Key::Backspace => {
                    self.typed.pop();
                    Did::Changed
                }
                Key::Char(c) if !c.is_control() => {
                    self.typed.push(*c);
                    Did::Changed
                }
                _ => Did::Nothing,
            },
            Phase::Answer if self.has_points => match key {
                Key::Enter => {
                    self.marks.checked = true;
                    self.marks.proposed().map_or(Did::Nothing, Did::Done)
                }
                Key::ArrowUp | Key::BackTab => {
                    self.marks.up();
                    Did::Moved
                }
                Key::ArrowDown | Key::Tab => {
                    self.marks.down();
                    Did::Moved
                }
                Key::Char(' ') => {
                    self.marks.toggle();
                    Did::Moved
                }
                _ if quit => Did::Quit,
                _ => Did::Nothing,
            },
            Phase::Answer => match grade_of(key) {
                Some(grade) => Did::Done(grade),
                None if quit => Did::Quit,
                None => Did::Nothing,
            },
        }
    }

    /// The answer to record.
    fn graded(&self, points: &[String], grade: Grade, elapsed_ms: u64, mock: MockAnswer) -> Graded {
        Graded {
            grade,
            elapsed_ms: Some(elapsed_ms),
            response: Some(self.typed.trim().to_owned()).filter(|t| !t.is_empty()),
            coverage: self.marks.coverage(points),
            mock: Some(mock),
        }
    }
}

#[cfg(test)]
#[path = "mock_tests.rs"]
mod tests;
