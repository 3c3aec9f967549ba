#!/usr/bin/env bash
# The long versions of the reliability tests (docs/reliability.md):
#   scripts/long-tests.sh [FUZZ_SECONDS]
# 1,000 SIGKILLs of `hone answer --stdin` and 200 of an interactive session, then every fuzz
# target for FUZZ_SECONDS each (default 600; 0 skips fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
HONE_TORTURE_ROUNDS=1000 cargo test --release --test torture -- --nocapture
fuzz_seconds=${1:-600}
if [ "$fuzz_seconds" -gt 0 ]; then
  scripts/fuzz.sh "$fuzz_seconds"
fi
