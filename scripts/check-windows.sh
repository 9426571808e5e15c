#!/usr/bin/env bash
# Lints the code only Windows compiles (the keyring's Windows store, paths, single-instance,
# the .ico tauri-build embeds) from Linux: clippy with -D warnings for x86_64-pc-windows-gnu,
# the app's libraries and binaries (the window tests and the start-up bench are Linux-only).
# Needs the target (rustup target add x86_64-pc-windows-gnu) and MinGW's C compiler for the
# crates that build C (apt-get install gcc-mingw-w64-x86-64); installs both when missing.
# macOS cannot be checked here (its C parts need Apple's SDK): the release workflow builds it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
target=x86_64-pc-windows-gnu
rustup target list --installed | grep -qx "$target" || rustup target add "$target"
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y gcc-mingw-w64-x86-64
fi
# A target dir of its own: the host's build is not disturbed.
export CARGO_TARGET_DIR=${CARDDESK_WINDOWS_TARGET_DIR:-target/windows-check}
cargo clippy --workspace --exclude bare-window --exclude startup-bench --lib --bins \
  --target "$target" -- -D warnings
echo "windows: the app's code compiles and lints clean for $target"
