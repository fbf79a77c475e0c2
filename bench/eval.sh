#!/usr/bin/env bash
# Precision and recall of Candor's checks on hand-labelled real replies and macros.
# Needs the evaluation data kept outside the project (it is licensed for evaluation only):
# ../shared/eval by default, or the folder named by CANDOR_EVAL_DIR. Without it, says so and
# exits 0. Labels: the dev split unless EVAL_LABELS names another file (a held-out split, to
# check that tuning generalises; never tune on it).
# Prints the scores of each set of items apart (--by-set), then the models' figures held out by
# corpus file on the project's own data/ (nothing of the evaluation data is trained on).
# Usage: bench/eval.sh [extra score.py args, e.g. --json]
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL="${CANDOR_EVAL_DIR:-../shared/eval}"
if [ ! -d "$EVAL" ] || [ ! -f "$EVAL/score.py" ]; then
    echo "bench/eval.sh: skipped: no evaluation data at $EVAL (it is not part of the project)"
    exit 0
fi
LABELS="${EVAL_LABELS:-$EVAL/labels-dev.jsonl}"
cargo build --release --quiet
python3 "$EVAL/score.py" --candor target/release/candor \
    --pairs "$EVAL/pairs.jsonl" --macros "$EVAL/macros.jsonl" --labels "$LABELS" --by-set "$@"
echo
echo "held out by corpus file (data/, the models' own training data):"
cargo run --release --quiet --example train -- --heldout --dry-run | grep -E "held out"
