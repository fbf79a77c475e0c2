#!/usr/bin/env bash
# End-to-end check of .pre-commit-hooks.yaml: installs pre-commit from PyPI into a throwaway
# venv, makes a throwaway git repository whose .pre-commit-config.yaml uses THIS checkout as a
# hook repository (at its committed HEAD: pre-commit clones the hook repo at `rev`), then shows
# that a commit of a canned reply is blocked and a commit of a specific one goes through.
#
# Exits 0 with a message (skipped) only when PyPI cannot be reached; any other failure fails.
# The hook is built by pre-commit with `cargo install` (a release build); LTO is switched off
# here to keep CI fast, and the build directory is kept under target/ for the next run.
set -euo pipefail

checkout=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { echo "precommit: $*"; }
fail() {
    echo "precommit: FAILED: $*" >&2
    exit 1
}

rev=$(git -C "$checkout" rev-parse HEAD)
if [ -n "$(git -C "$checkout" status --porcelain -- .pre-commit-hooks.yaml Cargo.toml Cargo.lock build.rs src rules)" ]; then
    say "note: uncommitted changes in $checkout are not tested; the hook is built from HEAD ($rev)"
fi

# 1. pre-commit from PyPI.
python3 -m venv "$work/venv"
# Whether the package index pip uses answers at all (any HTTP status counts as an answer).
index_reachable() {
    local configured
    configured=$("$work/venv/bin/pip" config get global.index-url 2>/dev/null || true)
    PIP_INDEX_URL="${PIP_INDEX_URL:-$configured}" "$work/venv/bin/python" - <<'PY'
import os, sys, urllib.error, urllib.request
from pip._internal.models.index import PyPI
url = os.environ.get("PIP_INDEX_URL") or PyPI.simple_url
try:
    urllib.request.urlopen(url.rstrip("/") + "/pre-commit/", timeout=20)
except urllib.error.HTTPError:
    pass
except Exception as e:
    print(f"    {url}: {e}")
    sys.exit(1)
PY
}

if ! "$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit >"$work/pip.log" 2>&1; then
    if ! index_reachable; then
        say "skipped: the Python package index cannot be reached, so pre-commit cannot be installed"
        exit 0
    fi
    cat "$work/pip.log" >&2
    fail "pip could not install pre-commit, although the package index answers"
fi
say "$("$work/venv/bin/pre-commit" --version)"

# 2. A throwaway repository that uses this checkout as its hook repository. Git and pre-commit
# see neither the user's global config nor their hook cache.
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL="$work/gitconfig"
git config --global user.name "Candor test"
git config --global user.email "candor-test@example.invalid"
git config --global init.defaultBranch main
export PRE_COMMIT_HOME="$work/pre-commit-home"
export CARGO_PROFILE_RELEASE_LTO=false
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_TARGET_DIR="$checkout/target/precommit"

repo="$work/replies"
mkdir "$repo"
cd "$repo"
git init --quiet
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $checkout
    rev: $rev
    hooks:
      - id: candor
        args: [--fail-on, warning]
EOF
git add .pre-commit-config.yaml
git commit --quiet --no-verify -m "pre-commit config"
"$work/venv/bin/pre-commit" install >/dev/null

# 3. A canned reply: the commit must be blocked, and the output must name the rule and file.
cat >refund.md <<'EOF'
Dear valued customer,

We apologize for any inconvenience this may have caused. Your refund is on its way.
EOF
git add refund.md
before=$(git rev-parse HEAD)
if git commit -m "canned reply" >"$work/bad.log" 2>&1; then
    cat "$work/bad.log"
    fail "a commit of a canned reply was not blocked"
fi
[ "$(git rev-parse HEAD)" = "$before" ] || fail "the blocked commit was created anyway"
grep -q "Candor.CannedFiller" "$work/bad.log" || { cat "$work/bad.log"; fail "hook output does not name the rule"; }
grep -q "refund.md" "$work/bad.log" || { cat "$work/bad.log"; fail "hook output does not name the file"; }
say "canned reply blocked:"
grep -E "Candor\.|^candor" "$work/bad.log" | sed 's/^/    /'

# 4. A specific reply passes. A Python file with the same stock phrase goes through too: the
# hook reads Markdown and plain text only, not code.
cat >refund.md <<'EOF'
Your $40 refund went out today; it reaches your card in 3-5 business days.
EOF
cat >notes.txt <<'EOF'
Refund sent on the 12th, reference R-2291.
EOF
printf 'GREETING = "Dear valued customer"\n' >greeting.py
git add refund.md notes.txt greeting.py
if ! git commit -m "specific reply" >"$work/good.log" 2>&1; then
    cat "$work/good.log"
    fail "a commit of a specific reply was blocked"
fi
grep -Eq "^candor\.+Passed" "$work/good.log" || { cat "$work/good.log"; fail "the hook did not run on the good commit"; }
[ "$(git log -1 --format=%s)" = "specific reply" ] || fail "the good commit is missing"
say "specific reply committed:"
grep -E "^candor" "$work/good.log" | sed 's/^/    /'
say "ok: bad commit blocked, good commit passed"
