//! User settings: what each one means, its default and its valid range. Plain data; the config
//! file that holds them is read and written by `store::config`.

use std::fmt;

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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            new_per_day: 10,
            reviews_per_day: 100,
            day_start_hour: 4,
        }
    }
}

/// The name, meaning and range of each setting, in the order `hone config` shows them.
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
];

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
    pub fn get(&self, key: &str) -> Result<String, SettingError> {
        match key {
            "new_per_day" => Ok(self.new_per_day.to_string()),
            "reviews_per_day" => Ok(self.reviews_per_day.to_string()),
            "day_start_hour" => Ok(self.day_start_hour.to_string()),
            _ => Err(SettingError::UnknownKey(key.to_owned())),
        }
    }

    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        let bad = |expected| SettingError::BadValue {
            key: key.to_owned(),
            value: value.to_owned(),
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
            _ => return Err(SettingError::UnknownKey(key.to_owned())),
        }
        Ok(())
    }

    /// Checks values that came from a file, where serde only knows the types.
    pub fn validate(&self) -> Result<(), SettingError> {
        let mut copy = *self;
        for (key, _) in KEYS {
            copy.set(key, &self.get(key)?)?;
        }
        Ok(())
    }
}

fn parse_in(value: &str, min: u32, max: u32) -> Option<u32> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|v| (min..=max).contains(v))
}

impl fmt::Display for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (key, _) in KEYS {
            writeln!(f, "{key} = {}", self.get(key).unwrap_or_default())?;
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
            s.set("new_cards", "5"),
            Err(SettingError::UnknownKey(_))
        ));
    }

    #[test]
    fn every_key_can_be_read_and_written_back() {
        let mut s = Settings::default();
        for (key, _) in KEYS {
            let value = s.get(key).unwrap();
            s.set(key, &value).unwrap();
        }
        assert_eq!(s, Settings::default());
    }
}
