//! Every input saved under fuzz/regressions/TARGET/ (crashes the fuzzers found, and tricky cases
//! kept on purpose) replayed through the exact code its fuzz target runs, and the seed inputs
//! through every target. See scripts/fuzz.sh.

use std::fs;
use std::path::Path;

use hone::fuzz_targets::{TARGETS, seeds};

#[test]
fn every_saved_fuzz_input_still_passes() {
    let mut replayed = 0;
    for (name, target) in TARGETS {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/regressions")
            .join(name);
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            target(&fs::read(&path).unwrap());
            replayed += 1;
        }
    }
    assert!(
        replayed >= TARGETS.len(),
        "each target keeps at least one input"
    );
}

#[test]
fn the_seed_inputs_pass_every_target() {
    for seed in seeds() {
        for (_, target) in TARGETS {
            target(&seed);
        }
    }
}
