//! A Rust binary that only starts and exits: the floor `scripts/bench.sh` compares hone with.

fn main() {}
