//! The interactive terminal session: the only code that uses dialoguer or draws on the terminal.
//! It shows what `session::Session` says to show and reports what the user pressed; every
//! decision is made by the pure modules and every write by the store.

mod review;

pub use review::run_session;
