//! Plain domain data shared by every module: ids, grades, study days, cards and their schedule.
//!
//! Nothing here does I/O, reads the clock or knows an on-disk format.

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, Timelike};

use crate::deck::parse::id_problem;

/// A deck id such as `api`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeckId(String);

impl DeckId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for DeckId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match id_problem(s) {
            Some(problem) => Err(problem),
            None => Ok(DeckId(s.to_owned())),
        }
    }
}

impl fmt::Display for DeckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A card's full id, `<deck-id>/<card-id>`, such as `api/rest-vs-graphql`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CardId(String);

impl CardId {
    pub fn new(deck: &DeckId, card: &str) -> Result<Self, String> {
        match id_problem(card) {
            Some(problem) => Err(problem),
            None => {
                let mut id = String::with_capacity(deck.0.len() + 1 + card.len());
                id.push_str(&deck.0);
                id.push('/');
                id.push_str(card);
                Ok(CardId(id))
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn deck(&self) -> &str {
        self.0.split_once('/').map_or("", |(deck, _)| deck)
    }

    /// The deck's id: the part before the `/`, checked when the card id was made.
    pub fn deck_id(&self) -> DeckId {
        DeckId(self.deck().to_owned())
    }

    /// A number that depends only on the id, the same on every machine and in every release.
    pub fn stable_hash(&self) -> u64 {
        stable_hash(self.0.as_bytes())
    }
}

/// FNV-1a, 64-bit: a tiny hash whose output never changes between releases or platforms, which
/// persisted ids and deterministic spreading need (std's hashers promise no such stability).
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Where each of many ids is, found through the ids' hashes so that no id is copied: for
/// a list that holds the ids itself (the cards of a file, of a deck). The caller says where
/// an id is and which id is at a place.
#[derive(Debug, Clone, Default)]
pub struct IdIndex {
    /// The hash of an id to the place of the first id with that hash.
    first: FxHashMap<u64, usize>,
    /// The places of later ids whose hash an earlier, different id has (rare).
    collided: Vec<usize>,
}

impl IdIndex {
    /// The place of `id`, where `id_at` tells the id at each place.
    pub fn find<'a>(&self, id: &str, id_at: impl Fn(usize) -> &'a str) -> Option<usize> {
        let first = *self.first.get(&id_hash(id))?;
        if id_at(first) == id {
            return Some(first);
        }
        self.collided.iter().copied().find(|&at| id_at(at) == id)
    }

    /// Records that `id`, not yet in the index, is at `place`.
    pub fn insert(&mut self, id: &str, place: usize) {
        match self.first.entry(id_hash(id)) {
            std::collections::hash_map::Entry::Vacant(vacant) => {
                vacant.insert(place);
            }
            std::collections::hash_map::Entry::Occupied(_) => self.collided.push(place),
        }
    }

    /// Makes room for `more` ids.
    pub fn reserve(&mut self, more: usize) {
        self.first.reserve(more);
    }
}

fn id_hash(id: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(id.as_bytes());
    hasher.finish()
}

impl FromStr for CardId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let Some((deck, card)) = s.split_once('/') else {
            return Err(format!(
                "'{}' is not a card id: write it as DECK/CARD, for example api/rest",
                s.escape_debug()
            ));
        };
        // One allocation, for the whole id: this runs for every card a snapshot holds.
        match id_problem(deck).or_else(|| id_problem(card)) {
            Some(problem) => Err(problem),
            None => Ok(CardId(s.to_owned())),
        }
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A self-grade of recall, 0 (blackout) to 5 (perfect).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grade(u8);

impl Grade {
    pub const MAX: u8 = 5;
    /// The lowest grade that counts as recalled (SM-2: q >= 3).
    pub const PASS: Grade = Grade(3);
    /// The lowest grade that ends same-session repeats (SM-2 step 7: q >= 4).
    pub const GOOD: Grade = Grade(4);

    pub fn new(value: u8) -> Option<Grade> {
        (value <= Self::MAX).then_some(Grade(value))
    }

    pub fn value(self) -> u8 {
        self.0
    }

    pub fn meaning(self) -> &'static str {
        match self.0 {
            0 => "blackout: no recall at all",
            1 => "wrong, but the answer was familiar once seen",
            2 => "wrong, but the answer seemed easy once seen",
            3 => "correct, with serious difficulty",
            4 => "correct, after some hesitation",
            _ => "perfect recall",
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A moment as a user or a script writes one (`--now`, `HONE_NOW`, `"at"` of `answer --stdin`):
/// RFC 3339 with an offset, in the years a study day can be named in.
pub fn parse_moment(text: &str) -> Result<DateTime<FixedOffset>, String> {
    let shown = || {
        let cut: String = text.chars().take(40).collect();
        crate::render_safe(&cut)
    };
    let moment = DateTime::parse_from_rfc3339(text.trim()).map_err(|_| {
        format!(
            "'{}' is not a timestamp: write it as RFC 3339 with an offset, e.g. 2026-11-23T09:00:00+01:00",
            shown()
        )
    })?;
    if !(1970..=9999).contains(&moment.year()) {
        return Err(format!(
            "'{}' is outside the years hone schedules in (1970 to 9999)",
            shown()
        ));
    }
    Ok(moment)
}

/// A study day: the local date, shifted so that a day starts at the configured hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StudyDay(NaiveDate);

impl StudyDay {
    pub fn from_date(date: NaiveDate) -> Self {
        StudyDay(date)
    }

    /// The study day a moment belongs to. The wall-clock time in the moment's own UTC offset
    /// decides, so a review at 01:30 with a 04:00 day start counts for the previous date; no
    /// seconds are added or subtracted, so DST changes cannot shift the result.
    pub fn of(moment: DateTime<FixedOffset>, day_start_hour: u8) -> Self {
        let local = moment.naive_local();
        let date = local.date();
        if local.hour() < u32::from(day_start_hour) {
            StudyDay(date.pred_opt().unwrap_or(date))
        } else {
            StudyDay(date)
        }
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }

    /// The last study day hone names: every date it prints has a four-digit year.
    pub const LAST: StudyDay = StudyDay(match NaiveDate::from_ymd_opt(9999, 12, 31) {
        Some(date) => date,
        None => NaiveDate::MAX,
    });

    /// The day `days` later, saturating at [`StudyDay::LAST`].
    pub fn plus(self, days: u32) -> Self {
        let later = self
            .0
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MAX);
        StudyDay(later).min(Self::LAST)
    }

    /// The day `days` earlier, saturating at the first date chrono can represent.
    pub fn minus(self, days: u32) -> Self {
        StudyDay(
            self.0
                .checked_sub_days(Days::new(u64::from(days)))
                .unwrap_or(NaiveDate::MIN),
        )
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: StudyDay) -> i64 {
        (later.0 - self.0).num_days()
    }
}

impl fmt::Display for StudyDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl FromStr for StudyDay {
    type Err = chrono::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map(StudyDay)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    Definition,
    Question,
}

impl CardKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CardKind::Definition => "definition",
            CardKind::Question => "question",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub id: CardId,
    pub kind: CardKind,
    pub front: String,
    pub back: String,
    /// The key points a good answer reaches, in order; empty for a card graded as a whole.
    pub points: Vec<String>,
    /// The deck's tags followed by the card's own, without repeats.
    pub tags: Vec<String>,
    /// No longer in the file it was imported from: out of every queue, its history kept.
    pub retired: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeckSource {
    Builtin,
    Imported,
}

impl DeckSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DeckSource::Builtin => "builtin",
            DeckSource::Imported => "imported",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    pub id: DeckId,
    pub title: String,
    pub description: Option<String>,
    pub source: DeckSource,
    pub cards: Vec<Card>,
}

/// Where a card stands in its SM-2 schedule after at least one review.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardState {
    /// SM-2 `n`: successful reviews in a row.
    pub repetitions: u32,
    /// SM-2 `EF`, at least 1.3.
    pub ease: f64,
    /// SM-2 `I`, in days.
    pub interval_days: u32,
    pub due: StudyDay,
    /// Scheduled reviews so far (same-session repeats not counted).
    pub reviews: u32,
    /// Times the card was failed (q < 3) after it had been learned (n >= 2).
    pub lapses: u32,
    pub first_reviewed: StudyDay,
    pub last_reviewed: StudyDay,
    /// The FSRS memory state after the last scheduled review; `None` in states read from a
    /// log line, which records only SM-2's numbers (the replay computes it).
    pub memory: Option<crate::memory::Memory>,
}

/// Whether an answer moves the schedule or is practice that leaves it alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewKind {
    /// An SM-2 review: the card's state changes.
    Scheduled,
    /// A same-session repeat of a failed card, or cramming: logged, but n, EF and I stay.
    Practice,
}

/// A self-grade with what came with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    pub grade: Grade,
    /// Time from showing the question to the grade, when measured.
    pub elapsed_ms: Option<u64>,
    /// The rough answer the learner typed before revealing, if any.
    pub response: Option<String>,
    /// Which of the card's key points the answer covered, when they were checked.
    pub coverage: Option<crate::points::Coverage>,
    /// The mock interview the answer was given in, if any (always practice).
    pub mock: Option<crate::mock::MockAnswer>,
}

/// A reading of a hybrid logical clock: an entry's place in the one order every machine replays
/// the logs in. A writer stamps each entry after every stamp it has seen, so an entry always
/// comes after what its writer knew of; between writers that had not seen each other, the
/// wall-clock part keeps the order close to the order things happened in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    /// Milliseconds since the Unix epoch, never less than any stamp seen before.
    pub millis: i64,
    /// Counts entries stamped within one millisecond, or after a stamp from a clock ahead.
    pub counter: u32,
}

impl Stamp {
    /// The stamp for an entry written at wall-clock time `millis` by a writer whose latest
    /// stamp seen is `self`: later than `self`, and as close to `millis` as that allows.
    pub fn next(self, millis: i64) -> Stamp {
        if millis > self.millis {
            Stamp { millis, counter: 0 }
        } else {
            match self.counter.checked_add(1) {
                Some(counter) => Stamp {
                    millis: self.millis,
                    counter,
                },
                None => Stamp {
                    millis: self.millis.saturating_add(1),
                    counter: 0,
                },
            }
        }
    }
}

/// What one log entry did.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// An SM-2 review: the card went from `before` (`None`: never reviewed) to `after`, with
    /// intervals capped at `max_interval` days.
    Review {
        answer: Graded,
        before: Option<CardState>,
        after: CardState,
        max_interval: u32,
    },
    /// An answer that leaves the schedule alone.
    Practice {
        answer: Graded,
    },
    /// Takes back review `undoes`: the card's state is `restored` again (`None`: new again).
    UndoReview {
        undoes: String,
        restored: Option<CardState>,
    },
    /// Takes back practice answer `undoes`; the schedule was never touched.
    UndoPractice {
        undoes: String,
    },
    /// The card leaves every queue until unsuspended. `cause`: the review that made the card a
    /// leech, when the suspension was automatic; taking that review back takes this back too.
    Suspend {
        cause: Option<String>,
    },
    Unsuspend,
    /// Takes back, as if never written, the entries named (a restore, a purge). A retraction
    /// that is itself retracted lets them stand again.
    Retract {
        ids: Vec<String>,
    },
}

/// One entry of the review log.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Unique across devices and time.
    pub id: String,
    pub card: CardId,
    pub at: DateTime<FixedOffset>,
    /// The study day the entry counted for.
    pub day: StudyDay,
    /// The day-start hour in force when the entry was made, which decided `day`.
    pub day_start_hour: Option<u8>,
    /// The entry's place in the replay order, given when it is written; `None` before that, and
    /// for entries of logs older than stamps, which take their place from their moment.
    pub stamp: Option<Stamp>,
    pub action: Action,
}

impl Event {
    /// The grade and its details, for answers.
    pub fn graded(&self) -> Option<&Graded> {
        match &self.action {
            Action::Review { answer, .. } | Action::Practice { answer } => Some(answer),
            _ => None,
        }
    }

    /// The id of the entry this one takes back, for undos.
    pub fn undoes(&self) -> Option<&str> {
        match &self.action {
            Action::UndoReview { undoes, .. } | Action::UndoPractice { undoes } => Some(undoes),
            _ => None,
        }
    }

    /// The ids of the entries this one retracts.
    pub fn retracts(&self) -> &[String] {
        match &self.action {
            Action::Retract { ids } => ids,
            _ => &[],
        }
    }

    /// The card's state after this entry, for reviews.
    pub fn after(&self) -> Option<&CardState> {
        match &self.action {
            Action::Review { after, .. } => Some(after),
            _ => None,
        }
    }
}

/// Everything the review log determines: each reviewed card's state, the suspended cards, and
/// the study days with at least one answer. Built by `replay`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewState {
    pub cards: FxHashMap<CardId, CardState>,
    pub suspended: FxHashSet<CardId>,
    pub active_days: BTreeSet<StudyDay>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn study_day_starts_at_the_configured_hour() {
        let day = |s| StudyDay::of(at(s), 4).to_string();
        assert_eq!(day("2026-03-10T03:59:59+01:00"), "2026-03-09");
        assert_eq!(day("2026-03-10T04:00:00+01:00"), "2026-03-10");
        assert_eq!(day("2026-03-10T23:59:00+01:00"), "2026-03-10");
        assert_eq!(day("2026-03-11T00:01:00+01:00"), "2026-03-10");
    }

    #[test]
    fn study_day_uses_the_wall_clock_of_the_offset_not_utc() {
        // 02:30 UTC is 21:30 the previous evening in New York.
        assert_eq!(
            StudyDay::of(at("2026-03-10T21:30:00-05:00"), 4).to_string(),
            "2026-03-10"
        );
        assert_eq!(
            StudyDay::of(at("2026-03-11T02:30:00+00:00"), 4).to_string(),
            "2026-03-10"
        );
    }

    #[test]
    fn midnight_day_start_is_the_plain_date() {
        assert_eq!(
            StudyDay::of(at("2026-03-10T00:00:00+00:00"), 0).to_string(),
            "2026-03-10"
        );
    }

    #[test]
    fn plus_saturates_at_a_four_digit_year() {
        let far = StudyDay::from_date(NaiveDate::MAX);
        assert_eq!(far.plus(10), StudyDay::LAST);
        assert_eq!(StudyDay::LAST.plus(u32::MAX).to_string(), "9999-12-31");
    }

    #[test]
    fn card_ids_need_a_deck_and_a_card() {
        assert_eq!("api/rest".parse::<CardId>().unwrap().deck(), "api");
        assert!("api".parse::<CardId>().is_err());
        assert!("api/".parse::<CardId>().is_err());
        assert!("Api/rest".parse::<CardId>().is_err());
        assert!("api/rest/x".parse::<CardId>().is_err());
    }

    #[test]
    fn grades_stop_at_five() {
        assert!(Grade::new(5).is_some());
        assert!(Grade::new(6).is_none());
    }
}
