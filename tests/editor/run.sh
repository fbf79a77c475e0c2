#!/usr/bin/env bash
# `candor lsp` with a real client: headless Neovim opens a reply in a project whose
# .candor.yaml adds a rule pack, attaches the server with its built-in LSP client, and prints the
# diagnostics and code actions it received; this script checks them. Skips (exit 0) when Neovim
# is not installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v nvim >/dev/null 2>&1; then
    echo "editor test: skipped: nvim is not installed (Debian package neovim)"
    exit 0
fi
target="${CARGO_TARGET_DIR:-target}"
[ -x "$target/debug/candor" ] || cargo build --locked --quiet
bin="$(cd "$target/debug" && pwd)/candor"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/styles/Acme"
cat > "$work/styles/Acme/Utilize.yml" <<'YAML'
extends: substitution
message: "Use '%s' instead of '%s'."
description: Plain words read faster.
level: error
ignorecase: true
swap:
  utilize: use
YAML
echo "packs: [styles/Acme]" > "$work/.candor.yaml"
cat > "$work/reply.md" <<'MD'
> Can I get a refund for my order? And how do I reset my password?

Hi Sam,

To reset your password, open Settings and choose Reset password.
We apologize for any inconvenience this may have caused. Please utilize the form.
MD

out="$work/received.tsv"
CANDOR_BIN="$bin" REPLY_FILE="$work/reply.md" OUT="$out" \
    timeout 120 nvim --headless --clean -n -u NONE -i NONE \
    -c "luafile tests/editor/diagnostics.lua" >/dev/null 2>&1 || true
echo "editor test: Neovim $(nvim --version | head -n1) received:"
cat "$out" 2>/dev/null || { echo "editor test: FAILED: no output from Neovim"; exit 1; }

fail=0
expect() {
    if ! grep -qE "$1" "$out"; then
        echo "editor test: FAILED: expected a line matching: $1"
        fail=1
    fi
}
# Filler on line 6, the project's rule (error = 1) on line 6, the open question reported.
expect $'^diag\tCandor\\.CannedFiller\t[0-9]\t6:'
expect $'^diag\tAcme\\.Utilize\t1\t6:[0-9]+-6:[0-9]+\t'
expect $'^diag\tCandor\\.IgnoredQuestion\t'
expect 'refund'
expect $'^action\tquickfix\t.*\tuse$'
if grep -q $'^error\t' "$out"; then fail=1; fi
if grep -qE $'^diag\tCandor\\.IgnoredQuestion\t.*password' "$out"; then
    echo "editor test: FAILED: the answered question was reported"
    fail=1
fi
[ "$fail" = 0 ] && echo "editor test: passed"
exit "$fail"
