#!/usr/bin/env bash
# End-to-end speed of phiguard against a reference, in one run, on this machine.
#
#   scripts/bench.sh [MB]      (default 100; BENCH_DIR=... keeps the corpus between runs)
#
# Builds release, generates a deterministic corpus (examples/corpus.rs) as one scheduler export
# (JSON Lines, a post a line) and as a folder of many small Markdown files, then measures:
# phiguard scan with default packs (JSON to /dev/null) on one thread and on all cores (the export
# too: its posts are split among the threads), ripgrep running the same kind of identifier
# regexes on the same files (installed with cargo if missing), start-up plus scan of one
# 300-byte post, and peak memory. Prints times, throughput and ratios; record the figures in
# docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."

mb="${1:-100}"
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
cores="$(nproc)"

cargo build --release --locked --quiet --bins --examples
bin=target/release/phiguard
if ! command -v rg >/dev/null 2>&1; then
  echo "installing ripgrep (the reference) with cargo..." >&2
  cargo install --locked --quiet ripgrep
fi

one="$work/corpus-$mb.jsonl"
many="$work/corpus-$mb"
[ -f "$one" ] || target/release/examples/corpus --mb "$mb" --out "$one"
[ -d "$many" ] || target/release/examples/corpus --mb "$mb" --out "$many" --files
bytes="$(wc -c <"$one")"
files="$(find "$many" -type f | wc -l)"
many_bytes="$(find "$many" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')"

# Seconds (wall) and peak RSS (KiB) of a command, its output discarded; exit 1 is a verdict.
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>&1 || true
  tail -1 "$work/time.txt"
}
mbps() { awk -v b="$2" -v s="$1" 'BEGIN { printf "%.1f", (s > 0 ? b / 1048576 / s : 0) }'; }

# The reference: ripgrep with identifier regexes like phiguard's structured rules.
patterns="$work/patterns.txt"
cat >"$patterns" <<'PATTERNS'
\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b
\(?[2-9][0-9]{2}\)?[-. ]?[0-9]{3}[-. ][0-9]{4}\b
\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b
\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12][0-9]|3[01])/(?:19|20)[0-9]{2}\b
\b(?:MRN|Member ID)[:#]?\s*[A-Z0-9]{6,12}\b
\b[0-9]{5}(?:-[0-9]{4})?\b
\bhttps?://[^\s]+
\b[0-9]{1,5}\s+[A-Z][a-z]+\s+(?:Street|St|Avenue|Ave|Road|Rd)\b
PATTERNS

post="$work/post.txt"
printf 'So proud of our NICU grad Liam! Born 3/14 at 28 weeks, home today after 41 days. Thank you to every nurse on 4 West. Questions about our NICU family support group? Call (555) 555-0142 or email family@example.com. #NICUgrad #NursesWeek 💙\n' >"$post"

echo "machine: $cores cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
echo "corpus: $((bytes / 1048576)) MiB as one JSON Lines export; $((many_bytes / 1048576)) MiB as $files Markdown files"
echo

# Read everything once untimed: the first run must not pay for the page cache alone.
cat "$one" >/dev/null
rg -j "$cores" -c -f "$patterns" "$many" >/dev/null 2>&1 || true

read -r t1 m1 <<<"$(measure "$bin" scan -j 1 --format json "$one")"
read -r tn mn <<<"$(measure "$bin" scan -j "$cores" --format json "$one")"
read -r tf1 mf1 <<<"$(measure "$bin" scan -j 1 --format json "$many")"
read -r tfn mfn <<<"$(measure "$bin" scan -j "$cores" --format json "$many")"
read -r trg _ <<<"$(measure rg -j 1 -c -f "$patterns" "$one")"
read -r trgf _ <<<"$(measure rg -j 1 -c -f "$patterns" "$many")"
read -r trgn _ <<<"$(measure rg -j "$cores" -c -f "$patterns" "$many")"
read -r _ mpost <<<"$(measure "$bin" scan --format json "$post")"
start=$(date +%s%N)
for _ in $(seq 50); do "$bin" scan --format json "$post" >/dev/null || true; done
startup_ms=$(awk -v ns="$(( $(date +%s%N) - start ))" 'BEGIN { printf "%.1f", ns / 50 / 1000000 }')

printf '%-48s %8s s %8s MB/s %8s MiB peak\n' \
  "phiguard, one export, 1 thread" "$t1" "$(mbps "$t1" "$bytes")" "$((m1 / 1024))" \
  "phiguard, one export, $cores threads" "$tn" "$(mbps "$tn" "$bytes")" "$((mn / 1024))" \
  "phiguard, many files, 1 thread" "$tf1" "$(mbps "$tf1" "$many_bytes")" "$((mf1 / 1024))" \
  "phiguard, many files, $cores threads" "$tfn" "$(mbps "$tfn" "$many_bytes")" "$((mfn / 1024))"
printf '%-48s %8s s %8s MB/s\n' \
  "rg, same identifier regexes, one export, 1 thread" "$trg" "$(mbps "$trg" "$bytes")" \
  "rg, many files, 1 thread" "$trgf" "$(mbps "$trgf" "$many_bytes")" \
  "rg, many files, $cores threads" "$trgn" "$(mbps "$trgn" "$many_bytes")"
echo "start-up + scan of one 300-byte post: ${startup_ms} ms (mean of 50), $((mpost / 1024)) MiB peak"
awk -v a="$t1" -v b="$trg" -v c="$tf1" -v d="$tfn" -v e="$trgf" -v f="$tn" 'BEGIN {
  printf "ratio phiguard/rg, one export, 1 thread: %.2fx rg'"'"'s time\n", (b > 0 ? a / b : 0)
  printf "ratio phiguard/rg, many files, 1 thread: %.2fx rg'"'"'s time\n", (e > 0 ? c / e : 0)
  printf "threads speed-up on many files: %.2fx\n", (d > 0 ? c / d : 0)
  printf "threads speed-up on one export: %.2fx\n", (f > 0 ? a / f : 0)
}'
