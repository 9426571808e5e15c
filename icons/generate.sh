#!/usr/bin/env bash
# Regenerates the app icons from icon.svg (the one source). Tauri needs RGBA PNGs, and the
# Windows build a .ico (tauri-build embeds it) and macOS an .icns. Needs rsvg-convert (Debian:
# librsvg2-bin) and the Tauri CLI from ui/node_modules (npm ci in ui/).
set -euo pipefail
cd "$(dirname "$0")"
rsvg-convert -w 32 -h 32 icon.svg -o 32x32.png
rsvg-convert -w 128 -h 128 icon.svg -o 128x128.png
rsvg-convert -w 256 -h 256 icon.svg -o 128x128@2x.png
rsvg-convert -w 512 -h 512 icon.svg -o icon.png
# icon.ico (Windows) and icon.icns (macOS) from the 512 px PNG, by the Tauri CLI; only those two
# of what it writes are kept.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
../ui/node_modules/.bin/tauri icon icon.png -o "$out" >/dev/null
cp "$out/icon.ico" "$out/icon.icns" .
