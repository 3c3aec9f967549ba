//! User settings: what each one means, its default and its valid range. Plain data; the config
//! file that holds them is read and written by `store::config`.

use std::fmt;

pub use crate::memory::Scheduler;

/// What happens to a card when it becomes a leech.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeechAction {
    /// It is marked: shown as a leech in stats and readiness.
    Mark,
    /// It is marked and suspended.
    Suspend,
}

impl LeechAction {
    pub fn as_str(self) -> &'static str {
        match self {
            LeechAction::Mark => "mark",
            LeechAction::Suspend => "suspend",
        }
    }
}

/// How new cards are ordered across decks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewOrderSetting {
    /// Interleaved across the enabled decks, the fewest introduced first.
    Interleave,
    /// Deck by deck, in catalog order.
    Deck,
}

impl NewOrderSetting {
    pub fn as_str(self) -> &'static str {
        match self {
            NewOrderSetting::Interleave => "interleave",
            NewOrderSetting::Deck => "deck",
        }
    }
}

/// The settings hone runs with. Every field has a documented default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// New cards introduced per study day.
    pub new_per_day: u32,
    /// Cards already learned that are reviewed per study day.
    pub reviews_per_day: u32,
    /// The local hour (0-23) at which a study day starts; reviews before it count for the
    /// previous day, as in Anki.
    pub day_start_hour: u8,
    /// Lapses after which a card is a leech.
    pub leech_threshold: u32,
    pub leech_action: LeechAction,
    /// The longest interval SM-2 may give, in days.
    pub max_interval_days: u32,
    pub new_order: NewOrderSetting,
    /// Which algorithm gives the intervals.
    pub scheduler: Scheduler,
    /// Under FSRS, the recall probability a review is scheduled at, in thousandths.
    pub desired_retention_per_mille: u32,
}

impl Settings {
    /// The desired retention as a probability.
    pub fn desired_retention(&self) -> f32 {
        self.desired_retention_per_mille as f32 / 1000.0
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            new_per_day: 10,
            reviews_per_day: 100,
            day_start_hour: 4,
            leech_threshold: 8,
            leech_action: LeechAction::Mark,
            max_interval_days: crate::sm2::MAX_INTERVAL,
            new_order: NewOrderSetting::Interleave,
            scheduler: Scheduler::Sm2,
            desired_retention_per_mille: 900,
        }
    }
}

/// The name and meaning of each setting, in the order `hone config` shows them.
pub const KEYS: &[(&str, &str)] = &[
    (
        "new_per_day",
        "new cards introduced per study day (0-10000)",
    ),
    (
        "reviews_per_day",
        "learned cards reviewed per study day (0-100000)",
    ),
    (
        "day_start_hour",
        "local hour at which a study day starts (0-23)",
    ),
    (
        "leech_threshold",
        "lapses that make a card a leech (1-1000)",
    ),
    ("leech_action", "what happens to a leech: mark or suspend"),
    (
        "maximum_interval_days",
        "the longest interval between two reviews, in days (1-36500)",
    ),
    (
        "new_order",
        "new cards across decks: interleave, or deck by deck",
    ),
    (
        "scheduler",
        "the algorithm that gives intervals: sm2 or fsrs",
    ),
    (
        "desired_retention",
        "under fsrs, the recall probability reviews are scheduled at (0.7-0.99)",
    ),
];

/// A setting's value, as a number or a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Number(u32),
    Word(&'static str),
    /// A number with up to three decimals, in thousandths.
    Fraction(u32),
}

impl Value {
    /// A fraction as a float, as TOML and JSON write it.
    pub fn fraction(per_mille: u32) -> f64 {
        f64::from(per_mille) / 1000.0
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) => write!(f, "{n}"),
            Value::Word(w) => write!(f, "{w:?}"),
            Value::Fraction(n) => write!(f, "{}", Value::fraction(*n)),
        }
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    #[error("unknown setting '{0}'; the settings are {names}", names = KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", "))]
    UnknownKey(String),
    #[error("invalid value '{value}' for {key}: expected {expected}")]
    BadValue {
        key: String,
        value: String,
        expected: &'static str,
    },
}

impl Settings {
    pub fn get(&self, key: &str) -> Result<Value, SettingError> {
        Ok(match key {
            "new_per_day" => Value::Number(self.new_per_day),
            "reviews_per_day" => Value::Number(self.reviews_per_day),
            "day_start_hour" => Value::Number(u32::from(self.day_start_hour)),
            "leech_threshold" => Value::Number(self.leech_threshold),
            "leech_action" => Value::Word(self.leech_action.as_str()),
            "maximum_interval_days" => Value::Number(self.max_interval_days),
            "new_order" => Value::Word(self.new_order.as_str()),
            "scheduler" => Value::Word(self.scheduler.as_str()),
            "desired_retention" => Value::Fraction(self.desired_retention_per_mille),
            _ => return Err(SettingError::UnknownKey(key.to_owned())),
        })
    }

    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        let bad = |expected| SettingError::BadValue {
            key: key.to_owned(),
            value: value.escape_debug().to_string(),
            expected,
        };
        match key {
            "new_per_day" => {
                self.new_per_day = parse_in(value, 0, 10_000)
                    .ok_or_else(|| bad("a whole number from 0 to 10000"))?
            }
            "reviews_per_day" => {
                self.reviews_per_day = parse_in(value, 0, 100_000)
                    .ok_or_else(|| bad("a whole number from 0 to 100000"))?
            }
            "day_start_hour" => {
                self.day_start_hour = parse_in(value, 0, 23)
                    .and_then(|h| u8::try_from(h).ok())
                    .ok_or_else(|| bad("an hour from 0 to 23"))?
            }
            "leech_threshold" => {
                self.leech_threshold =
                    parse_in(value, 1, 1000).ok_or_else(|| bad("a whole number from 1 to 1000"))?
            }
            "leech_action" => {
                self.leech_action = match value.trim() {
                    "mark" => LeechAction::Mark,
                    "suspend" => LeechAction::Suspend,
                    _ => return Err(bad("mark or suspend")),
                }
            }
            "maximum_interval_days" => {
                self.max_interval_days = parse_in(value, 1, crate::sm2::MAX_INTERVAL)
                    .ok_or_else(|| bad("a whole number of days from 1 to 36500"))?
            }
            "new_order" => {
                self.new_order = match value.trim() {
                    "interleave" => NewOrderSetting::Interleave,
                    "deck" => NewOrderSetting::Deck,
                    _ => return Err(bad("interleave or deck")),
                }
            }
            "scheduler" => {
                self.scheduler = match value.trim() {
                    "sm2" => Scheduler::Sm2,
                    "fsrs" => Scheduler::Fsrs,
                    _ => return Err(bad("sm2 or fsrs")),
                }
            }
            "desired_retention" => {
                self.desired_retention_per_mille = parse_per_mille(value, 700, 990)
                    .ok_or_else(|| bad("a number from 0.7 to 0.99, with at most three decimals"))?
            }
            _ => return Err(SettingError::UnknownKey(key.to_owned())),
        }
        Ok(())
    }

    /// Checks values that came from a file, where serde only knows the types.
    pub fn validate(&self) -> Result<(), SettingError> {
        let mut copy = *self;
        for (key, _) in KEYS {
            let value = match self.get(key)? {
                Value::Number(n) => n.to_string(),
                Value::Word(w) => w.to_owned(),
                Value::Fraction(n) => Value::fraction(n).to_string(),
            };
            copy.set(key, &value)?;
        }
        Ok(())
    }
}

/// A decimal such as `0.9` in thousandths, if it has at most three decimals and lies in range.
fn parse_per_mille(value: &str, min: u32, max: u32) -> Option<u32> {
    let number: f64 = value.trim().parse().ok()?;
    let scaled = number * 1000.0;
    let rounded = scaled.round();
    ((scaled - rounded).abs() < 1e-6 && rounded >= f64::from(min) && rounded <= f64::from(max))
        .then_some(rounded as u32)
}

fn parse_in(value: &str, min: u32, max: u32) -> Option<u32> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|v| (min..=max).contains(v))
}

/// The settings as TOML, one `key = value` line each.
impl fmt::Display for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (key, _) in KEYS {
            match self.get(key) {
                Ok(value) => writeln!(f, "{key} = {value}")?,
                Err(_) => continue,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_checks_ranges_and_names() {
        let mut s = Settings::default();
        s.set("day_start_hour", "0").unwrap();
        assert_eq!(s.day_start_hour, 0);
        assert!(matches!(
            s.set("day_start_hour", "24"),
            Err(SettingError::BadValue { .. })
        ));
        assert!(matches!(
            s.set("new_per_day", "-1"),
            Err(SettingError::BadValue { .. })
        ));
        assert!(matches!(
            s.set("leech_threshold", "0"),
            Err(SettingError::BadValue { .. })
        ));
        assert!(matches!(
            s.set("leech_action", "delete"),
            Err(SettingError::BadValue { .. })
        ));
        assert!(matches!(
            s.set("new_cards", "5"),
            Err(SettingError::UnknownKey(_))
        ));
        s.set("leech_action", "suspend").unwrap();
        assert_eq!(s.leech_action, LeechAction::Suspend);
    }

    #[test]
    fn the_scheduler_and_the_desired_retention() {
        let mut s = Settings::default();
        assert_eq!(s.get("scheduler").unwrap(), Value::Word("sm2"));
        assert_eq!(s.get("desired_retention").unwrap().to_string(), "0.9");
        s.set("scheduler", "fsrs").unwrap();
        s.set("desired_retention", "0.85").unwrap();
        assert_eq!(s.scheduler, Scheduler::Fsrs);
        assert_eq!(s.desired_retention_per_mille, 850);
        assert!((s.desired_retention() - 0.85).abs() < 1e-6);
        for bad in ["0.5", "1", "0.995", "0.9005", "ninety", ""] {
            assert!(s.set("desired_retention", bad).is_err(), "{bad}");
        }
        assert!(s.set("scheduler", "anki").is_err());
        s.validate().unwrap();
    }

    #[test]
    fn every_key_can_be_read_and_written_back() {
        let s = Settings {
            leech_action: LeechAction::Suspend,
            ..Settings::default()
        };
        s.validate().unwrap();
        assert_eq!(s.to_string().lines().count(), KEYS.len());
        assert!(s.to_string().contains("leech_action = \"suspend\""));
    }
}
