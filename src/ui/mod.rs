//! The interactive terminal sessions, a review and a mock interview: the only code that uses
//! dialoguer or reads keys. It shows what `session::Session` (or a mock's plan) says to show and
//! reports what the user pressed; every decision is made by the pure modules and every write
//! goes through the journal it is given.

mod keys;
mod marks;
mod mock;
mod review;
mod terminal;

pub use mock::{MockJournal, MockQuestion, MockRun, run_mock};
pub use review::{Ended, Journal, Recorded, run_session};

/// Asks a yes/no question on the terminal; no is the default.
pub fn confirm(question: &str) -> std::io::Result<bool> {
    dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .map_err(|dialoguer::Error::IO(e)| e)
}
