#!/usr/bin/env bash
# Measures Card Desk's start-up beside a bare Tauri 2 window (docs/design.md §7): builds the UI
# and both release binaries (the embedded UI, as installed), then runs benches/startup inside a
# private D-Bus session with an unlocked gnome-keyring and Xvfb, on temporary XDG directories, as
# scripts/test.sh runs the window tests. Prints the "Start-up" figures for docs/benchmarks.md.
#
#   scripts/bench-startup.sh               # 7 starts of each on each profile
#   scripts/bench-startup.sh --runs 3      # any further arguments go to the driver
#   CARDDESK_BENCH_NO_BUILD=1 scripts/bench-startup.sh   # reuse the binaries already built
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
target=${CARGO_TARGET_DIR:-$root/target}

if [ "${CARDDESK_BENCH_NO_BUILD:-}" != 1 ]; then
  scripts/install-deps.sh
  . .tools/env.sh
  echo "==> bench: the UI (vite build)"
  npm --prefix ui run --silent build
  echo "==> bench: the app, the bare window and the driver (release; about 15 minutes from cold)"
  # One build for all three, so they share every dependency with the same features.
  cargo build --release -p card-desk -p bare-window -p startup-bench \
    --features card-desk/custom-protocol,bare-window/custom-protocol
fi

work=$(mktemp -d -t carddesk-startup.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{run,bench}
chmod 700 "$work/run"
# The keyring's and the session's own files; each start then gets its own XDG_*_HOME.
export XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
export XDG_RUNTIME_DIR="$work/run" NO_AT_BRIDGE=1
export BENCH_APP="$target/release/card-desk" BENCH_BARE="$target/release/bare-window"
export BENCH_DRIVER="$target/release/startup-bench" BENCH_WORK="$work/bench"

echo "==> bench: starts under dbus + gnome-keyring + Xvfb"
dbus-run-session -- bash -c '
  echo -n "keyring-unlock-for-bench" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec xvfb-run -a -s "-screen 0 1280x800x24" \
    "$BENCH_DRIVER" --app "$BENCH_APP" --bare "$BENCH_BARE" --work "$BENCH_WORK" "$@"
' bench "$@"
