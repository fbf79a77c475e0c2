#!/usr/bin/env bash
# Times `candor check` end to end (process start, rule loading, reading, linting, printing):
#   - over the evaluation corpus (../shared/corpus from the project root, or $CANDOR_CORPUS),
#     skipped cleanly when it is absent;
#   - on a tiny bundled draft (bench/draft.md), alone and with the customer's message it answers
#     (bench/inbound.txt, two questions);
#   - both again with a synthetic pack of 1,000 extra phrase rules (bench/stress-pack.sh).
# Prints the median wall time, CPU time, files/s, MB/s (from the wall time) and peak RSS of
# each. Uses hyperfine when installed (Debian/Ubuntu: `apt-get install hyperfine`; or
# `cargo install hyperfine`), otherwise repeats each run under `/usr/bin/time` and takes the
# median.
#
#   bench/speed.sh            # all of it
#   RUNS=20 bench/speed.sh    # more runs per measurement (default 10)
#   NO_BUILD=1 bench/speed.sh # use the existing target/release/candor
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${RUNS:-10}"
bin="$root/target/release/candor"

if [[ -z "${NO_BUILD:-}" ]]; then
  cargo build --release --quiet
fi
# Time a fresh copy, as `cargo install` leaves it: the linker's own output file (written in
# pieces) made every start of a draft 0.5 to 0.7 ms slower on this VM than a copy of the same
# bytes, which is not what an installed candor does.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$bin" "$work/candor"
bin="$work/candor"

# The corpus sits beside the project root; from a git worktree, beside the main checkout.
corpus="${CANDOR_CORPUS:-$root/../shared/corpus}"
if [[ ! -d "$corpus" ]]; then
  common="$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
  if [[ -n "$common" && -d "$(dirname "$common")/../shared/corpus" ]]; then
    corpus="$(dirname "$common")/../shared/corpus"
  fi
fi

stress="$root/target/bench-rules/Stress"
"$root/bench/stress-pack.sh" "$stress" >/dev/null
draft="$root/bench/draft.md"
# The customer's message the draft answers: the question check reads it.
inbound="$root/bench/inbound.txt"

have_hyperfine=1
if ! command -v hyperfine >/dev/null; then
  have_hyperfine=0
  echo "note: hyperfine not found (apt-get install hyperfine, or cargo install hyperfine);" \
    "falling back to /usr/bin/time -v" >&2
fi
have_time=1
if [[ ! -x /usr/bin/time ]]; then
  have_time=0
  echo "note: /usr/bin/time not found (apt-get install time): peak RSS not measured" >&2
  if [[ $have_hyperfine == 0 ]]; then
    echo "error: need hyperfine or /usr/bin/time to measure anything" >&2
    exit 2
  fi
fi

# Files candor lints in a folder (or one file), one size a line.
sizes_of() {
  find "$1" -type f \( -iname '*.md' -o -iname '*.markdown' -o -iname '*.mdown' -o -iname '*.mkd' \
    -o -iname '*.txt' -o -iname '*.text' \) -printf '%s\n'
}
bytes_of() { sizes_of "$1" | awk '{ s += $1 } END { print s + 0 }'; }
files_of() { sizes_of "$1" | wc -l; }

# Peak RSS in KiB of one run of the command.
peak_rss_kib() {
  if [[ $have_time == 0 ]]; then echo 0; return; fi
  # candor exits 1 when it reports errors (the corpus has some): that is not a failed run.
  { /usr/bin/time -v "$@" 2>&1 >/dev/null || true; } |
    awk -F': ' '/Maximum resident set size/ { print $2 }'
}

# Median wall seconds, then CPU seconds (user + system; hyperfine gives the mean), of `runs`
# runs of the command. CPU time says what a run costs when other work shares the cores.
median_seconds() {
  if [[ $have_hyperfine == 1 ]]; then
    local csv
    csv="$(mktemp)"
    hyperfine -N --style none --warmup 2 --runs "$runs" --ignore-failure --export-csv "$csv" \
      "$(printf '%q ' "$@")" >/dev/null
    awk -F, 'NR == 2 { print $4, $5 + $6 }' "$csv"
    rm -f "$csv"
  else
    local i
    for ((i = 0; i < runs; i++)); do
      { /usr/bin/time -f '%e %U %S' "$@" 2>&1 >/dev/null || true; } | tail -n 1
    done | awk '{ print $1, $2 + $3 }' | sort -g | awk '{ w[NR] = $1; c[NR] = $2 } END {
      m = (NR + 1) / 2; print w[int(m)], c[int(m)] }'
  fi
}

printf '%-44s %11s %11s %10s %9s %12s\n' "measurement" "wall" "CPU" "files/s" "MB/s" \
  "peak RSS"
measure() {
  local label="$1" files="$2" bytes="$3"
  shift 3
  local secs cpu rss
  read -r secs cpu < <(median_seconds "$@")
  rss="$(peak_rss_kib "$@")"
  awk -v l="$label" -v s="$secs" -v c="$cpu" -v f="$files" -v b="$bytes" -v r="$rss" 'BEGIN {
    printf "%-44s %8.1f ms %8.1f ms %10.0f %9.1f %8.1f MiB\n", l, s * 1000, c * 1000,
      (s > 0 ? f / s : 0), (s > 0 ? b / s / 1e6 : 0), r / 1024 }'
}

echo "candor: $("$bin" --version 2>/dev/null || echo "$bin"); $(nproc) cores; $runs runs each"
measure "draft ($(wc -c <"$draft") B), default pack" 1 "$(wc -c <"$draft")" \
  "$bin" check "$draft"
measure "draft with the customer's message (--inbound)" 1 "$(wc -c <"$draft")" \
  "$bin" check --inbound "$inbound" "$draft"
measure "draft, default pack + 1,000 phrase rules" 1 "$(wc -c <"$draft")" \
  "$bin" check --rules "$stress" "$draft"
if [[ -d "$corpus" ]]; then
  corpus_bytes="$(bytes_of "$corpus")"
  corpus_files="$(files_of "$corpus")"
  echo "corpus: $corpus ($(awk -v b="$corpus_bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }'))"
  measure "corpus, default pack, human output" "$corpus_files" "$corpus_bytes" "$bin" check "$corpus"
  measure "corpus, default pack, --format json" "$corpus_files" "$corpus_bytes" \
    "$bin" check --format json "$corpus"
  measure "corpus, default pack + 1,000 phrase rules" "$corpus_files" "$corpus_bytes" \
    "$bin" check --rules "$stress" "$corpus"
  measure "corpus, default pack, 1 thread" "$corpus_files" "$corpus_bytes" \
    env RAYON_NUM_THREADS=1 "$bin" check "$corpus"
else
  echo "corpus: not found at $corpus (set CANDOR_CORPUS): skipped"
fi
