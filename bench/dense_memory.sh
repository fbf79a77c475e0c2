#!/usr/bin/env bash
# Peak memory of `candor check` on one Markdown file dense with findings (a paragraph of 60
# bytes with a stock phrase, repeated: a finding every 60 bytes), at 1, 2, 4, 8 and 16 MiB, in
# the JSON, human, SARIF and line formats (`FORMATS="json human"` for fewer). Prints peak RSS
# (from /usr/bin/time) less that of an empty file, and that as a multiple of the input size
# (issue 22 asks for under 4x). Then the same for a YAML export of many short macros (`- title:
# A` / `body: "ggesti"`, 29 bytes each: 1 to 16 MiB), JSON format: each macro body is a part of
# its own.
#
#   bench/dense_memory.sh                 # builds target/release/candor first
#   CANDOR=path/to/candor bench/dense_memory.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${CANDOR:-}"
if [[ -z "$bin" ]]; then
  (cd "$root" && cargo build --release --quiet)
  bin="${CARGO_TARGET_DIR:-$root/target}/release/candor"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
paragraph='I think we apologize for any inconvenience this may cause.'
: > "$work/empty.md"
for mib in 1 2 4 8 16; do
  n=$(( mib * 1024 * 1024 / (${#paragraph} + 2) ))
  awk -v p="$paragraph" -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "%s\n\n", p }' \
    > "$work/d$mib.md"
done
peak_kib() { /usr/bin/time -f '%M' "$bin" check "$1" --format "$2" 2>&1 >/dev/null | tail -n 1; }
printf '%-6s %8s %14s %8s\n' format MiB 'peak-empty MiB' 'x input'
for format in ${FORMATS:-json human sarif line}; do
  base=$(peak_kib "$work/empty.md" "$format")
  for mib in 1 2 4 8 16; do
    peak=$(peak_kib "$work/d$mib.md" "$format")
    awk -v f="$format" -v m="$mib" -v p="$peak" -v b="$base" \
      'BEGIN { d = (p - b) / 1024; printf "%-6s %8d %14.1f %8.1f\n", f, m, d, d / m }'
  done
done
for mib in 1 2 4 8 16; do
  awk -v n=$(( mib * 1024 * 1024 / 29 )) \
    'BEGIN { for (i = 0; i < n; i++) printf "- title: A\n  body: \"ggesti\"\n" }' > "$work/m$mib.yaml"
done
base=$(peak_kib "$work/empty.md" json)
for mib in 1 2 4 8 16; do
  peak=$(peak_kib "$work/m$mib.yaml" json)
  awk -v m="$mib" -v p="$peak" -v b="$base" \
    'BEGIN { d = (p - b) / 1024; printf "%-6s %8d %14.1f %8.1f\n", "yaml", m, d, d / m }'
done
