//! A review session in the terminal: question, reveal, self-grade, next.

use std::io;

use dialoguer::Select;
use dialoguer::console::{Term, style};
use dialoguer::theme::ColorfulTheme;

use crate::deck::Catalog;
use crate::model::{CardId, Grade, Review, ReviewKind};
use crate::session::{Pass, Session};

/// Records one answer durably and returns the logged review.
pub type Recorder<'a> = dyn FnMut(&CardId, Grade, ReviewKind) -> anyhow::Result<Review> + 'a;

/// How a session ended, for the summary.
pub struct Outcome {
    pub answered: usize,
    pub scheduled: usize,
    pub passed: usize,
    pub quit_early: bool,
}

const GRADES: [u8; 6] = [5, 4, 3, 2, 1, 0];

/// Runs the session until every card is answered or the user quits.
pub fn run_session(
    mut session: Session,
    catalog: &Catalog,
    record: &mut Recorder<'_>,
) -> anyhow::Result<Outcome> {
    let term = Term::stdout();
    let total = session.remaining().new + session.remaining().review;
    let mut items: Vec<String> = GRADES
        .iter()
        .filter_map(|&q| Grade::new(q))
        .map(|g| format!("{g}  {}", g.meaning()))
        .collect();
    items.push("q  quit (answers so far are saved)".to_owned());
    let mut quit_early = false;

    while let Some((id, pass)) = session.current() {
        let id = id.clone();
        let Some(card) = catalog.card(&id) else {
            session.skip();
            continue;
        };
        let left = session.remaining();
        let shown = session.answered() + 1;
        let label = match pass {
            Pass::New => "new",
            Pass::Review => "review",
            Pass::Repeat => "again",
        };
        term.write_line("")?;
        term.write_line(&format!(
            "{}",
            style(format!(
                "Card {shown} · {} new · {} review · {} again · {total} scheduled · {id} ({label})",
                left.new, left.review, left.repeat
            ))
            .dim()
        ))?;
        if !card.tags.is_empty() {
            term.write_line(&format!(
                "{}",
                style(format!("tags: {}", card.tags.join(", "))).dim()
            ))?;
        }
        term.write_line("")?;
        term.write_line(&format!("{}", style(&card.front).bold()))?;
        term.write_line("")?;
        term.write_line(&format!(
            "{}",
            style("Press Enter to show the answer, q to quit.").dim()
        ))?;
        if wait_for_reveal(&term)? == Reveal::Quit {
            quit_early = true;
            break;
        }
        term.write_line("")?;
        term.write_line(&card.back)?;
        term.write_line("")?;
        let choice = Select::with_theme(&ColorfulTheme::default())
            .with_prompt("How well did you recall it?")
            .items(&items)
            .default(1)
            .interact_on_opt(&term)
            .map_err(|e| match e {
                dialoguer::Error::IO(e) => anyhow::Error::from(e),
            })?;
        let Some(grade) = choice
            .and_then(|i| GRADES.get(i))
            .and_then(|&q| Grade::new(q))
        else {
            quit_early = true;
            break;
        };
        let kind = pass.review_kind();
        let review = record(&id, grade, kind)?;
        session.grade(grade);
        if let Some(after) = review.after {
            term.write_line(&format!(
                "{}",
                style(format!(
                    "Saved. Next due {} (in {} days).",
                    after.due, after.interval_days
                ))
                .dim()
            ))?;
        } else {
            term.write_line(&format!(
                "{}",
                style("Saved as practice; the schedule is unchanged.").dim()
            ))?;
        }
    }
    term.show_cursor()?;
    let (scheduled, passed) = session.scheduled();
    Ok(Outcome {
        answered: session.answered(),
        scheduled,
        passed,
        quit_early,
    })
}

#[derive(PartialEq, Eq)]
enum Reveal {
    Show,
    Quit,
}

fn wait_for_reveal(term: &Term) -> io::Result<Reveal> {
    loop {
        match term.read_key()? {
            dialoguer::console::Key::Enter | dialoguer::console::Key::Char(' ') => {
                return Ok(Reveal::Show);
            }
            dialoguer::console::Key::Char('q') | dialoguer::console::Key::Escape => {
                return Ok(Reveal::Quit);
            }
            _ => {}
        }
    }
}
