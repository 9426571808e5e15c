#!/usr/bin/env bash
# Builds Card Desk's Linux installers — a .deb and an .rpm by default — with the Tauri CLI ^2
# from the UI's lockfile (@tauri-apps/cli ships its binary; never a 3.0 alpha). The release
# binary serves its UI from the embedded assets (tauri's `custom-protocol`, which `tauri build`
# turns on), not from ui/dist on disk. The bundles land in target/release/bundle/{deb,rpm}/
# (under $CARGO_TARGET_DIR when that is set).
#
#   scripts/bundle.sh                         # .deb and .rpm
#   scripts/bundle.sh --bundles deb,rpm,appimage
#
# Used by the test suite (scripts/test.sh, then tests/package.rs installs the .deb) and by the
# release workflow's Linux job (.github/workflows/release.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
. .tools/env.sh
export PATH="$HOME/.cargo/bin:$PATH"

args=("$@")
if [ ${#args[@]} -eq 0 ]; then args=(--bundles deb,rpm); fi

echo "==> bundle: the UI (vite build)"
npm --prefix ui run --silent build
echo "==> bundle: tauri build ${args[*]} (release, embedded UI)"
# The UI is built above: the CLI would run a beforeBuildCommand from the parent of the app's
# directory (the repository root's parent here), so tauri.conf.json has none.
ui/node_modules/.bin/tauri build --ci "${args[@]}"

echo "==> bundle: built"
find "${CARGO_TARGET_DIR:-target}/release/bundle" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.rpm' -o -name '*.AppImage' \) -printf '%p\t%s bytes\n'
