//! One function per command: load what it needs, call the pure modules, save, and hand a view to
//! `render` or to JSON. No scheduling logic and no text formatting lives here.

mod answer;
mod config;
mod decks;
mod import;
mod review;
mod show;
mod status;

use std::io::Write;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::cli::Command;
use crate::deck::{self, Catalog};
use crate::env::Env;
use crate::model::{Card, CardId, DeckId, StudyDay};
use crate::queue::{self, Entry, Limits};
use crate::settings::Settings;
use crate::store::{self, States, Store};

/// A bad argument found after parsing: an unknown deck or card. Exits with 2, like clap's own.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Everything a command works with.
pub struct Ctx<'a> {
    pub env: &'a Env,
    /// The moment the command acts at, read once so that one command sees one time.
    pub now: DateTime<FixedOffset>,
    pub settings: Settings,
    pub store: Store,
    pub out: &'a mut dyn Write,
}

impl Ctx<'_> {
    pub fn today(&self) -> StudyDay {
        StudyDay::of(self.now, self.settings.day_start_hour)
    }

    pub fn limits(&self) -> Limits {
        Limits {
            new_per_day: self.settings.new_per_day,
            reviews_per_day: self.settings.reviews_per_day,
        }
    }

    /// Built-in decks, then imported ones. An imported deck may not shadow a built-in one.
    pub fn catalog(&mut self) -> anyhow::Result<Catalog> {
        let mut decks = deck::builtin_decks();
        for imported in self.store.imported_decks()? {
            if decks.iter().any(|d| d.id == imported.id) {
                eprintln!(
                    "hone: warning: ignoring the imported deck '{}': a built-in deck has that id",
                    imported.id
                );
                continue;
            }
            decks.push(imported);
        }
        Ok(Catalog::new(decks))
    }

    pub fn states(&mut self) -> anyhow::Result<&States> {
        let states = self.store.states()?;
        Ok(states)
    }

    /// Prints warnings the store collected (repaired or skipped files) to stderr.
    pub fn flush_warnings(&mut self) {
        for warning in self.store.take_warnings() {
            eprintln!("hone: warning: {warning}");
        }
    }

    /// Prints a view as JSON (one line) or as text.
    pub fn emit<V: Serialize>(
        &mut self,
        json: bool,
        view: &V,
        text: fn(&V) -> String,
    ) -> anyhow::Result<()> {
        self.flush_warnings();
        if json {
            serde_json::to_writer(&mut *self.out, view)?;
            writeln!(self.out)?;
        } else {
            self.out.write_all(text(view).as_bytes())?;
        }
        Ok(())
    }
}

/// Checks that a deck named on the command line exists.
pub fn check_deck(catalog: &Catalog, deck: Option<&DeckId>) -> Result<(), UsageError> {
    match deck {
        Some(id) if catalog.deck(id).is_none() => Err(UsageError(format!(
            "unknown deck '{id}'; `hone decks` lists them"
        ))),
        _ => Ok(()),
    }
}

/// Looks up a card named on the command line.
pub fn find_card<'c>(catalog: &'c Catalog, id: &CardId) -> Result<&'c Card, UsageError> {
    catalog
        .card(id)
        .ok_or_else(|| UsageError(format!("unknown card '{id}'; `hone cards` lists them")))
}

/// Today's review queue, optionally for one deck.
pub fn todays_queue<'a>(
    catalog: &'a Catalog,
    states: &'a States,
    deck: Option<&DeckId>,
    today: StudyDay,
    limits: Limits,
) -> Vec<Entry<'a>> {
    let done = queue::done_on(states.values(), today);
    let cards = catalog
        .cards()
        .filter(|c| deck.is_none_or(|d| c.id.deck() == d.as_str()));
    queue::due(cards, states, today, limits, done)
}

pub fn run(command: Option<Command>, env: &Env, out: &mut dyn Write) -> anyhow::Result<()> {
    let settings = store::config::load(&env.config_file)?;
    let store = Store::new(env.data_dir.clone(), env.lock_timeout, env.seed);
    let mut ctx = Ctx {
        env,
        now: env.now(),
        settings,
        store,
        out,
    };
    let result = match command {
        None => status::run(&mut ctx),
        Some(Command::Review(args)) => review::run(&mut ctx, args),
        Some(Command::Decks(args)) => decks::decks(&mut ctx, args),
        Some(Command::Cards(args)) => decks::cards(&mut ctx, args),
        Some(Command::Due(args)) => status::due(&mut ctx, args),
        Some(Command::Next(args)) => status::next(&mut ctx, args),
        Some(Command::Answer(args)) => answer::run(&mut ctx, args),
        Some(Command::Show(args)) => show::run(&mut ctx, args),
        Some(Command::Import(args)) => import::run(&mut ctx, args),
        Some(Command::Config(args)) => config::run(&mut ctx, args),
    };
    ctx.flush_warnings();
    result
}
