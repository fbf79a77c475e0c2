#!/usr/bin/env bash
# The draft page in Debian's Chromium (playwright-core from npm, pinned by package-lock.json).
# Skips (exit 0) when Chromium, Node.js 20+ or the npm packages are not available.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x /usr/bin/chromium ]; then
    echo "browser test: skipped: /usr/bin/chromium is not installed (Debian package chromium)"
    exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "browser test: skipped: Node.js and npm are not installed"
    exit 0
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "browser test: skipped: playwright-core needs Node.js 20 or later, this is $(node --version)"
    exit 0
fi
if ! (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error); then
    echo "browser test: skipped: npm ci failed (is the npm registry reachable?)"
    exit 0
fi
target="${CARGO_TARGET_DIR:-target}"
[ -x "$target/debug/candor" ] || cargo build --locked --quiet
bin="$(cd "$target/debug" && pwd)/candor"
mkdir -p target
CANDOR_BIN="$bin" SCREENSHOT="$PWD/target/draft-page.png" \
    timeout 300 node tests/browser/draft-page.test.mjs
