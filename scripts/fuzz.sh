#!/usr/bin/env bash
# Runs phiguard's fuzz targets (fuzz/, cargo-fuzz on nightly), one at a time, for a set time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 60 seconds, every target)
#
# With FUZZ_RUNS set, each target instead runs exactly that many inputs from a fixed seed
# (FUZZ_SEED, default 1): the same inputs on every machine, so a run that passed once passes
# again on the same code. CI uses this; exploring for new bugs wants time and a random seed.
#
# The committed seeds (fuzz/corpus/<target>/) are read, never written: what libFuzzer learns goes
# to a working corpus ($FUZZ_WORK, default a temporary folder). A crash stops the run with exit 1;
# its input is in fuzz/artifacts/<target>/ (not committed): minimise it (cargo +nightly fuzz tmin
# <target> <file>), fix the bug, and commit the input to fuzz/corpus/<target>/ as a regression
# seed. See docs/FUZZING.md.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

secs="${1:-60}"
shift || true
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in fuzz_targets/*.rs; do
    t="${f##*/}"
    targets+=("${t%.rs}")
  done
fi
work="${FUZZ_WORK:-$(mktemp -d)}"
if [ -n "${FUZZ_RUNS:-}" ]; then
  budget=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
  what="$FUZZ_RUNS inputs from seed ${FUZZ_SEED:-1}"
else
  budget=(-max_total_time="$secs")
  what="${secs}s"
fi

cargo +nightly fuzz build
for t in "${targets[@]}"; do
  printf '\n==> fuzz %s, %s\n' "$t" "$what"
  mkdir -p "$work/$t"
  # -timeout: an input that takes over 10 s is a hang; -rss_limit_mb: over 2 GiB is a leak or a
  # bomb. Both count as crashes.
  cargo +nightly fuzz run "$t" "$work/$t" "corpus/$t" -- \
    "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
done
echo
echo "fuzzing: no crash in ${#targets[@]} target(s), $what each"
