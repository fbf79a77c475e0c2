#!/bin/sh
# Vale conformance: runs the suite in ../shared/vale (Vale's acceptance tests and six style
# packages' tests, in Vale's own terms) against a release build of Candor, which reads each
# case's .vale.ini. Skips cleanly when the suite is not there. Extra arguments go to run.py
# (`-v`, `--feature checks`, `--case Occurrence`, `--json summary.json`).
#
#   bench/vale_conformance.sh            # build, then run every case
#   CANDOR=/path/to/candor bench/vale_conformance.sh --feature Microsoft -v
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
suite=${VALE_SUITE:-$root/../shared/vale}
if [ ! -f "$suite/run.py" ]; then
    echo "vale_conformance: no suite at $suite (set VALE_SUITE); skipped"
    exit 0
fi
if [ -z "${CANDOR:-}" ]; then
    (cd "$root" && cargo build --release --quiet)
    target=${CARGO_TARGET_DIR:-$root/target}
    case $target in /*) ;; *) target=$root/$target ;; esac
    CANDOR=$target/release/candor
fi
exec python3 "$suite/run.py" --cmd "$CANDOR check --format line {files}" "$@"
