#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, run and test Card Desk:
# Tauri's system libraries, Xvfb + WebKitWebDriver + tauri-driver for the window tests,
# gnome-keyring for a real Secret Service, Chromium for the UI browser tests, Node.js and
# the UI's npm packages. Idempotent: what is already there is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
pkgs=(
  build-essential pkg-config libssl-dev curl file ca-certificates
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev libxdo-dev
  libdbus-1-dev xvfb xauth webkit2gtk-driver dbus gnome-keyring libsecret-tools
  chromium fonts-dejavu-core imagemagick librsvg2-bin
)
command -v node >/dev/null 2>&1 || pkgs+=(nodejs npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust from https://rustup.rs first" >&2
  exit 1
fi
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "==> cargo install tauri-driver ^2"
  cargo install tauri-driver --version ^2 --locked --quiet
fi
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> npm ci (ui)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
