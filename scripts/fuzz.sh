#!/usr/bin/env bash
# Fuzzes every deck parser, importer and data-dir loader for SECONDS each (default 600).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`); runs on stable through RUSTC_BOOTSTRAP.
# A crash leaves its input in fuzz/artifacts/TARGET/: copy it to fuzz/regressions/TARGET/,
# where `cargo test` (tests/fuzz_regressions.rs) replays it for good, and fix the bug.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(deck_hone deck_import markdown log snapshot files)
fi

# Seeds: the built-in decks in every format, and a real review log and snapshot.
cargo build --release --quiet
hone=target/release/hone
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
export HONE_DATA_DIR="$seeds/data" HONE_CONFIG="$seeds/config.toml" HONE_NOW=2026-03-02T09:00:00+01:00
for target in deck_hone deck_import markdown; do mkdir -p "fuzz/corpus/$target"; done
for deck in api sql git; do
  for format in hone anki csv tsv json; do
    "$hone" export --deck "$deck" --format "$format" -o "fuzz/corpus/deck_import/$deck.$format"
  done
  cp "fuzz/corpus/deck_import/$deck.hone" "fuzz/corpus/deck_hone/$deck.md"
  cp "fuzz/corpus/deck_import/$deck.hone" "fuzz/corpus/markdown/$deck.md"
done
"$hone" cards --json | python3 -c 'import json,sys
for c in json.load(sys.stdin)["cards"][:40]: print(json.dumps({"card": c["id"], "grade": len(c["front"]) % 6}))' \
  | "$hone" answer --stdin > /dev/null
"$hone" suspend api/rest > /dev/null
"$hone" undo > /dev/null
for target in log snapshot files; do mkdir -p "fuzz/corpus/$target"; done
cp "$HONE_DATA_DIR"/reviews/*.jsonl fuzz/corpus/log/
cp "$HONE_DATA_DIR"/local/snapshot.json fuzz/corpus/snapshot/
cp fuzz/corpus/deck_import/api.json fuzz/corpus/files/

mkdir -p fuzz/logs
for target in "${targets[@]}"; do
  echo "== $target: $seconds s"
  status=0
  RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 > "fuzz/logs/$target.log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "fuzz/logs/$target.log" | grep -o '[0-9]*$' || echo "?")
  echo "   executions: $runs, exit status: $status (0: no crash; see fuzz/logs/$target.log)"
done
