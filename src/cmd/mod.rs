//! One function per command: load what it needs, call the pure modules, record, and hand a view
//! to `render` or to JSON. No scheduling logic and no text formatting lives here.

pub(crate) mod answer;
mod complete;
mod config;
mod deck_admin;
mod decks;
mod doctor;
mod export;
mod import;
mod manual;
mod mock;
mod optimize;
mod progress;
mod review;
mod show;
mod status;
mod suspend;
mod sync;

use std::io::Write;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::answer::Moment;
use crate::cli::{self, Command, Filter};
use crate::deck::{self, Catalog};
use crate::env::Env;
use std::collections::BTreeSet;

use crate::agenda::Agenda;
use crate::curriculum::TextAt;
use crate::model::{Card, CardId, ReviewState, StudyDay};
use crate::plan::Limits;
use crate::plan::Plan;
use crate::queue::NewOrder;
use crate::render::Look;
use crate::settings::Settings;
use crate::store::{self, Load, Store};

/// Text is wrapped to the terminal, but never wider than this: long lines are hard to read.
const MAX_TEXT_WIDTH: usize = 100;
/// Width for text when stdout is not a terminal.
const DEFAULT_TEXT_WIDTH: usize = 80;

/// A bad argument found after parsing: an unknown deck, tag or card. Exits with 2, like clap's.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

pub use complete::candidates as completion_candidates;

/// Everything a command works with.
pub struct Ctx<'a> {
    pub env: &'a Env,
    /// The moment the command acts at, read once so that one command sees one time.
    pub now: DateTime<FixedOffset>,
    pub settings: Settings,
    pub store: Store,
    pub out: &'a mut dyn Write,
    /// Standard input, for the one command that reads data from it (which takes it).
    pub input: Option<&'a mut dyn std::io::Read>,
    /// The interview plan, as of the last catalog read.
    pub plan: Option<Plan>,
    /// The order of new cards: the setting, and decks' priorities as of the last catalog read.
    pub new_order: NewOrder,
    /// Where the text of imported cards lies, as of the last catalog read: the curriculum logs
    /// by name, and each card's place in them.
    pub text_at: (Vec<String>, Vec<(CardId, TextAt)>),
}

impl Ctx<'_> {
    /// Writes a command's document (a deck, a page) to `path`, or to stdout when there is no
    /// path or it is `-`. A terminal shows card text, it does not obey it: control characters
    /// are escaped there, while a file or a pipe gets the exact bytes. True if a file was written.
    pub fn deliver(
        &mut self,
        path: Option<&std::path::Path>,
        bytes: &[u8],
    ) -> anyhow::Result<bool> {
        use anyhow::Context as _;
        match path.filter(|p| p.as_os_str() != "-") {
            Some(path) => {
                std::fs::write(path, bytes)
                    .with_context(|| format!("cannot write {}", crate::store::shown(path)))?;
                Ok(true)
            }
            None if self.env.stdout_is_terminal => {
                let text = String::from_utf8_lossy(bytes);
                self.out
                    .write_all(crate::render::safe::visible(&text).as_bytes())?;
                Ok(false)
            }
            None => {
                self.out.write_all(bytes)?;
                Ok(false)
            }
        }
    }

    pub fn today(&self) -> StudyDay {
        StudyDay::of(self.now, self.settings.day_start_hour)
    }

    /// The moment of the command, for log entries.
    pub fn moment(&self) -> Moment {
        Moment {
            at: self.now,
            day_start_hour: self.settings.day_start_hour,
            max_interval: self.settings.max_interval_days,
        }
    }

    pub fn limits(&self) -> Limits {
        Limits {
            new_per_day: self.settings.new_per_day,
            reviews_per_day: self.settings.reviews_per_day,
        }
    }

    pub fn look(&self) -> Look {
        let width = self
            .env
            .terminal_width
            .unwrap_or(DEFAULT_TEXT_WIDTH)
            .min(MAX_TEXT_WIDTH);
        Look {
            width,
            color: self.env.color,
        }
    }

    /// Built-in decks, then imported ones, with all their text. An imported deck may not shadow a
    /// built-in one.
    pub fn catalog(&mut self) -> anyhow::Result<Catalog> {
        self.load_catalog(Load::Full)
    }

    /// The catalog without the question and answer text of imported cards: what queues, counts
    /// and statistics need, read at a fraction of the cost. `with_text` adds it where needed.
    pub fn index(&mut self) -> anyhow::Result<Catalog> {
        self.load_catalog(Load::Index)
    }

    fn load_catalog(&mut self, load: Load) -> anyhow::Result<Catalog> {
        let mut curriculum = self.store.curriculum(load)?;
        self.text_at = (curriculum.logs.clone(), curriculum.text_places().collect());
        let mut decks = deck::builtin_decks();
        for imported in curriculum.take_imported_decks() {
            if decks.iter().any(|d| d.id == imported.id) {
                self.store.warn(format!(
                    "ignoring the imported deck '{}': a built-in deck has that id",
                    imported.id
                ));
                continue;
            }
            decks.push(imported);
        }
        self.plan = curriculum.plan;
        self.new_order = NewOrder {
            by_deck: self.settings.new_order == crate::settings::NewOrderSetting::Deck,
            priority: curriculum
                .priority
                .iter()
                .map(|(deck, p)| (deck.to_string(), *p))
                .collect(),
            own: decks
                .iter()
                .filter(|d| d.source == crate::model::DeckSource::Imported)
                .map(|d| d.id.to_string())
                .collect(),
        };
        Ok(Catalog::new(decks, curriculum.disabled))
    }

    /// Reads the text of `cards` into a catalog from `index`. Built-in cards have theirs.
    pub fn with_text(&mut self, catalog: &mut Catalog, cards: &[CardId]) -> anyhow::Result<()> {
        let (logs, places) = &self.text_at;
        let wanted: BTreeSet<&CardId> = cards.iter().collect();
        let places: Vec<(CardId, TextAt)> = places
            .iter()
            .filter(|(id, _)| wanted.contains(id))
            .map(|(id, at)| (id.clone(), *at))
            .collect();
        if places.is_empty() {
            return Ok(());
        }
        let logs = logs.clone();
        for (id, (front, back)) in self.store.card_texts(&logs, &places)? {
            catalog.set_text(&id, front, back);
        }
        Ok(())
    }

    pub fn state(&mut self) -> anyhow::Result<&ReviewState> {
        Ok(self.store.state()?)
    }

    /// The catalog, the review state and today's agenda: what every queue is built from, read
    /// as one consistent view (no writer in between).
    pub fn load(&mut self) -> anyhow::Result<(Catalog, Agenda)> {
        let lock = self.store.shared_if_there()?;
        let catalog = self.index()?;
        let plan = self.plan;
        let (today, limits) = (self.today(), self.limits());
        let new_order = self.new_order.clone();
        let state = self.state()?;
        let agenda = Agenda::new(today, limits, plan, &catalog, state, new_order);
        drop(lock);
        Ok((catalog, agenda))
    }

    /// Makes the periodic backup if one is due, before a command writes. A failed backup does
    /// not stop the command: it is reported, and the write goes ahead.
    pub fn before_writing(&mut self) {
        if let Err(e) = self.store.backup_if_due(self.now) {
            eprintln!(
                "hone: warning: the periodic backup failed: {}",
                crate::error_text(&anyhow::Error::from(e))
            );
        }
    }

    /// Prints warnings the store collected (repaired or skipped files) to stderr.
    pub fn flush_warnings(&mut self) {
        for warning in self.store.take_warnings() {
            eprintln!("hone: warning: {warning}");
        }
    }

    /// Prints a view as JSON (one line) or as sentences: text with each line filled to the
    /// terminal's width, for the messages that tell what a command did.
    pub fn emit_prose<V: Serialize>(
        &mut self,
        json: bool,
        view: &V,
        text: fn(&V, Look) -> String,
    ) -> anyhow::Result<()> {
        if json {
            return self.emit(json, view, text);
        }
        self.flush_warnings();
        let look = self.look();
        self.say(&text(view, look))
    }

    /// Writes `text`, each line filled to the width of the terminal it goes to; into a pipe
    /// or a file, a message stays one line per sentence, for grep and logs.
    pub fn say(&mut self, text: &str) -> anyhow::Result<()> {
        if self.env.terminal_width.is_none() {
            self.out.write_all(text.as_bytes())?;
            return Ok(());
        }
        let width = self.look().width;
        let mut out = String::new();
        for line in text.lines() {
            crate::render::paragraph(&mut out, line, width);
        }
        self.out.write_all(out.as_bytes())?;
        Ok(())
    }

    /// Prints a view as JSON (one line) or as text.
    pub fn emit<V: Serialize>(
        &mut self,
        json: bool,
        view: &V,
        text: fn(&V, Look) -> String,
    ) -> anyhow::Result<()> {
        self.flush_warnings();
        if json {
            crate::views::write_json(&mut *self.out, view)?;
            writeln!(self.out)?;
        } else {
            let look = self.look();
            self.out.write_all(text(view, look).as_bytes())?;
        }
        Ok(())
    }
}

/// The cards a filter selects, in catalog order. A deck or tag that matches nothing is a usage
/// error, so that a typo is not mistaken for "nothing due".
pub fn select<'c>(catalog: &'c Catalog, filter: &Filter) -> Result<Vec<&'c Card>, UsageError> {
    // A deck named on the command line is used even if disabled: the user asked for it.
    let cards: Vec<&Card> = match &filter.deck {
        Some(id) => {
            let deck = catalog.deck(id).ok_or_else(|| {
                UsageError(format!("unknown deck '{id}'; `hone decks` lists them"))
            })?;
            catalog.deck_cards(deck).collect()
        }
        None => catalog.cards().collect(),
    };
    let cards: Vec<&Card> = cards
        .into_iter()
        .filter(|c| {
            filter
                .tag
                .as_ref()
                .is_none_or(|t| c.tags.iter().any(|tag| tag == t))
        })
        .collect();
    if let Some(tag) = &filter.tag
        && cards.is_empty()
    {
        return Err(UsageError(format!(
            "no card has the tag '{}'",
            crate::render::safe::visible(tag)
        )));
    }
    Ok(cards)
}

/// Looks up a card named on the command line.
pub fn find_card<'c>(catalog: &'c Catalog, id: &CardId) -> Result<&'c Card, UsageError> {
    catalog
        .card(id)
        .ok_or_else(|| UsageError(format!("unknown card '{id}'; `hone cards` lists them")))
}

pub fn run(
    command: Option<Command>,
    env: &Env,
    input: &mut dyn std::io::Read,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    // These two need neither settings nor data.
    match command {
        Some(Command::Completions(args)) => return cli::write_completions(args.shell, out),
        Some(Command::Man(args)) => return manual::run(args, out),
        _ => {}
    }
    let (settings, config_warnings) = store::config::load(&env.config_file)?;
    let mut store = Store::new(env.data_dir.clone(), env.lock_timeout, env.seed);
    store.set_schedule(settings.scheduler, settings.desired_retention());
    for warning in config_warnings {
        store.warn(warning);
    }
    let mut ctx = Ctx {
        env,
        now: env.now(),
        settings,
        store,
        out,
        input: Some(input),
        plan: None,
        new_order: NewOrder::default(),
        text_at: Default::default(),
    };
    // Every command reads or writes the logs: none may see them as a stopped git operation
    // left them.
    let result = sync::recover(&mut ctx).and_then(|()| match command {
        None => status::run(&mut ctx),
        Some(Command::Review(args)) => review::run(&mut ctx, args),
        Some(Command::Decks(args)) => decks::decks(&mut ctx, args),
        Some(Command::Cards(args)) => decks::cards(&mut ctx, args),
        Some(Command::Due(args)) => status::due(&mut ctx, args),
        Some(Command::Next(args)) => status::next(&mut ctx, args),
        Some(Command::Answer(args)) => answer::run(&mut ctx, args),
        Some(Command::Show(args)) => show::run(&mut ctx, args),
        Some(Command::Import(args)) => import::run(&mut ctx, args),
        Some(Command::Check(args)) => import::check(&mut ctx, args),
        Some(Command::Export(args)) => export::run(&mut ctx, args),
        Some(Command::Deck(command)) => deck_admin::run(&mut ctx, command),
        Some(Command::Doctor(args)) => doctor::doctor(&mut ctx, args),
        Some(Command::Backup(args)) => doctor::backup(&mut ctx, args),
        Some(Command::Restore(args)) => doctor::restore(&mut ctx, args),
        Some(Command::Sync(args)) => sync::sync(&mut ctx, args),
        Some(Command::Merge(args)) => sync::merge(&mut ctx, args),
        Some(Command::Config(args)) => config::run(&mut ctx, args),
        Some(Command::Suspend(args)) => suspend::suspend(&mut ctx, args, true),
        Some(Command::Unsuspend(args)) => suspend::suspend(&mut ctx, args, false),
        Some(Command::Undo(args)) => suspend::undo(&mut ctx, args),
        Some(Command::Stats(args)) => progress::stats(&mut ctx, args),
        Some(Command::Readiness(args)) => progress::readiness(&mut ctx, args),
        Some(Command::Points(args)) => progress::points(&mut ctx, args),
        Some(Command::Mock(args)) => mock::run(&mut ctx, args),
        Some(Command::Plan(args)) => progress::plan(&mut ctx, args),
        Some(Command::Why(args)) => progress::why(&mut ctx, args),
        Some(Command::Optimize(args)) => optimize::run(&mut ctx, args),
        Some(Command::Completions(_) | Command::Man(_)) => Ok(()),
    });
    ctx.flush_warnings();
    result
}
