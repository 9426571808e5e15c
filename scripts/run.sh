#!/usr/bin/env bash
# Installs what is missing, builds the UI and the app, and opens Card Desk on its built-in
# sandbox (an Assist-compatible server on 127.0.0.1 with demo customers, e.g. 1234).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The Node.js install-deps chose (the one on PATH, or its own in .tools/node).
. .tools/env.sh
export PATH="$HOME/.cargo/bin:$PATH"
(cd ui && npm run --silent build)
cargo build --quiet --bin card-desk
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "no display: starting the app under Xvfb (DISPLAY=:99)"
  exec xvfb-run -n 99 -s "-screen 0 1280x800x24" dbus-run-session -- ./target/debug/card-desk
fi
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec dbus-run-session -- ./target/debug/card-desk
fi
exec ./target/debug/card-desk
