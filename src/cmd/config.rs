//! `hone config [KEY [VALUE]]`: show or change settings.

use std::collections::BTreeMap;

use crate::cli::ConfigArgs;
use crate::settings::{KEYS, Value};
use crate::store;

use super::{Ctx, UsageError};

pub fn run(ctx: &mut Ctx, args: ConfigArgs) -> anyhow::Result<()> {
    if args.path {
        writeln!(ctx.out, "{}", ctx.env.config_file.display())?;
        return Ok(());
    }
    let settings = &mut ctx.settings;
    match (args.key, args.value) {
        (Some(key), Some(value)) => {
            settings
                .set(&key, &value)
                .map_err(|e| UsageError(e.to_string()))?;
            store::config::save_key(&ctx.env.config_file, &key, settings, ctx.env.seed)?;
            print(ctx, args.json, Some(&key))
        }
        (Some(key), None) => {
            settings.get(&key).map_err(|e| UsageError(e.to_string()))?;
            print(ctx, args.json, Some(&key))
        }
        (None, _) => print(ctx, args.json, None),
    }
}

fn print(ctx: &mut Ctx, json: bool, only: Option<&str>) -> anyhow::Result<()> {
    let mut values = BTreeMap::new();
    for (key, _) in KEYS.iter().filter(|(k, _)| only.is_none_or(|o| o == *k)) {
        values.insert(*key, ctx.settings.get(key)?);
    }
    if json {
        let object: serde_json::Map<String, serde_json::Value> = values
            .iter()
            .map(|(key, value)| {
                let value = match value {
                    Value::Number(n) => serde_json::Value::from(*n),
                    Value::Word(w) => serde_json::Value::from(*w),
                    Value::Fraction(n) => serde_json::Value::from(Value::fraction(*n)),
                };
                ((*key).to_owned(), value)
            })
            .collect();
        crate::views::write_json(&mut *ctx.out, &object)?;
        writeln!(ctx.out)?;
    } else if let (Some(key), 1) = (only, values.len()) {
        match values[key] {
            Value::Number(n) => writeln!(ctx.out, "{n}")?,
            Value::Word(w) => writeln!(ctx.out, "{w}")?,
            Value::Fraction(n) => writeln!(ctx.out, "{}", Value::fraction(n))?,
        }
    } else {
        for (key, meaning) in KEYS {
            writeln!(ctx.out, "{key} = {}  # {meaning}", values[key])?;
        }
    }
    Ok(())
}
