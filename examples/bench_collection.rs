//! Generates a benchmark collection for `scripts/bench.sh`: `bench_collection ROOT CARDS`
//! builds ROOT/CARDS/ (unless it is there already) and prints its paths as shell assignments.

#[path = "../benches/support/collection.rs"]
mod collection;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(root), Some(Ok(cards))) = (args.first(), args.get(1).map(|n| n.parse::<usize>()))
    else {
        eprintln!("usage: bench_collection ROOT CARDS");
        return ExitCode::from(2);
    };
    match collection::Collection::at(&PathBuf::from(root), cards) {
        Ok(c) => {
            println!("data='{}'", c.data.display());
            println!("config='{}'", c.config.display());
            println!("tsv='{}'", c.tsv.display());
            println!("stdin_answers='{}'", c.stdin_answers.display());
            println!("due_card='{}'", c.due_card);
            println!("reviews={}", c.reviews);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench_collection: {e}");
            ExitCode::FAILURE
        }
    }
}
