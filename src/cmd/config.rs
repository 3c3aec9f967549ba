//! `hone config [KEY [VALUE]]`: show or change settings.

use std::collections::BTreeMap;

use crate::cli::ConfigArgs;
use crate::settings::KEYS;
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
            store::config::save(&ctx.env.config_file, settings, ctx.env.seed)?;
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
        let value: u64 = ctx.settings.get(key)?.parse()?;
        values.insert(*key, value);
    }
    if json {
        serde_json::to_writer(&mut *ctx.out, &values)?;
        writeln!(ctx.out)?;
    } else if let (Some(key), 1) = (only, values.len()) {
        writeln!(ctx.out, "{}", values[key])?;
    } else {
        for (key, meaning) in KEYS {
            writeln!(ctx.out, "{key} = {}  # {meaning}", values[key])?;
        }
    }
    Ok(())
}
