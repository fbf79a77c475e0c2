#!/usr/bin/env bash
# Writes a synthetic pack of 1,000 phrase rules (600 `existence`, 400 `substitution`) into the
# folder given as $1 (default: target/bench-rules/Stress), for timing how the cost of a run
# grows with the number of rules. Deterministic: the same files every time. Not committed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/target/bench-rules/Stress}"
rm -rf "$out"
mkdir -p "$out"
awk -v out="$out" 'BEGIN {
  # First and second halves of made-up style phrases; some pairs occur in real prose, most not.
  na = split("in order|at this|due to|with regard|as a matter|for the purpose|by means|on a daily|" \
             "in the event|at the end|first and|each and|it is|there are|we would|please kindly|" \
             "very|really|quite|simply|just|basically|actually|totally|literally|absolutely|" \
             "completely|highly|extremely|truly|deeply|utterly|fully|greatly|strongly|" \
             "clearly|obviously|easily|quickly|rapidly|surely|kind of", a, "|")
  nb = split("to|of|the day|point in time|fact|purpose|of the fact|basis|event|" \
             "foremost|every|important|unique|seamless|robust|powerful|simple|easy|" \
             "intuitive|leverage|utilize|synergy|paradigm|holistic", b, "|")
  n = 0
  for (i = 1; i <= na && n < 1000; i++) {
    for (j = 1; j <= nb && n < 1000; j++) {
      phrase = a[i] " " b[j]
      file = sprintf("%s/P%04d.yml", out, n)
      if (n % 5 < 3) {
        printf "extends: existence\nmessage: \"Avoid %%s.\"\nlevel: suggestion\nignorecase: true\ntokens:\n  - %s\n", phrase > file
        if (n % 3 == 0) printf "  - %s %s\n", phrase, b[(j % nb) + 1] > file
      } else {
        printf "extends: substitution\nmessage: \"Use %%s instead of %%s.\"\nlevel: suggestion\nignorecase: true\nswap:\n  %s: %s\n", phrase, b[j] > file
      }
      close(file)
      n++
    }
  }
}'
echo "$out"
