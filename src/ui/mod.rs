//! The interactive terminal session: the only code that uses dialoguer or reads keys. It shows
//! what `session::Session` says to show and reports what the user pressed; every decision is
//! made by the pure modules and every write goes through the `Journal` it is given.

mod review;
mod terminal;

pub use review::{Ended, Journal, Recorded, run_session};
