#!/usr/bin/env bash
# Regenerates the sandbox's card art (committed; embedded with include_bytes! by src/media.rs).
# Project-made pictures: gradients, shapes and wordmarks drawn with ImageMagick 6 and DejaVu
# fonts, no third-party artwork. Backgrounds are 768x484 (half of the 1536x969 the gateway
# documents) and every file stays well under 30 KB. Run from anywhere:
#   src-tauri/sandbox/media/make-media.sh
# Needs /usr/bin/convert (Debian package imagemagick) and python3 (for the PDFs).
set -euo pipefail
cd "$(dirname "$0")"
C=/usr/bin/convert
[ -x "$C" ] || { echo "needs ImageMagick at $C (apt-get install imagemagick)" >&2; exit 1; }
BOLD=DejaVu-Sans-Bold
OBLIQUE=DejaVu-Sans-Bold-Oblique
png() { "$@" +dither -colors 256 -strip -define png:compression-level=9 "PNG8:$OUT"; }

# background TOP BOTTOM OUT: a card-sized vertical gradient, two soft circles and a chip.
background() {
  local top=$1 bottom=$2
  OUT=$3
  shift 3
  png "$C" -size 768x484 "gradient:$top-$bottom" \
    -fill 'rgba(255,255,255,0.10)' -draw 'circle 640,60 640,330' \
    -fill 'rgba(255,255,255,0.07)' -draw 'circle 700,420 700,600' \
    -fill '#d4b36a' -stroke '#a8893f' -strokewidth 2 -draw 'roundrectangle 70,170 170,245 12,12' \
    -stroke none "$@"
}

# Brand backgrounds (CARD_BACKGROUND): brand wordmark bottom right.
background '#2b6cb0' '#1a1f71' visa-background.png \
  -fill white -font "$OBLIQUE" -pointsize 96 -gravity southeast -annotate +40+24 'VISA'
background '#3a3a3a' '#111111' mc-background.png \
  -fill '#eb001b' -draw 'circle 560,380 560,440' -fill 'rgba(247,158,27,0.9)' -draw 'circle 640,380 640,440' \
  -fill white -font "$BOLD" -pointsize 30 -gravity southeast -annotate +36+16 'MasterCard'
background '#1fa463' '#0b5e3a' mir-background.png \
  -fill white -font "$BOLD" -pointsize 100 -gravity southeast -annotate +40+20 'МИР'

# Issuer-combined backgrounds (CARD_BACKGROUND_COMBINED): bank name top left, tier bottom left.
combined() {
  local top=$1 bottom=$2 out=$3 ink=$4 name=$5 tier=$6
  background "$top" "$bottom" "$out" \
    -fill "$ink" -font "$BOLD" -pointsize 44 -gravity northwest -annotate +70+50 "$name" \
    -font "$BOLD" -pointsize 26 -gravity southwest -annotate +70+40 "$tier"
}
combined '#21a038' '#0e5a1e' sber-combined.png white 'СБЕР' 'PLATINUM'
combined '#ffdd2d' '#d9b400' tbank-combined.png '#222222' 'Т-Банк' 'BLACK'
combined '#ef3124' '#8e0f08' alfa-combined.png white 'Альфа-Банк' 'GOLD'
combined '#0a2896' '#05134a' vtb-combined.png white 'ВТБ' 'MULTICARD'
combined '#00843d' '#003d1c' belarusbank-combined.png white 'Беларусбанк' 'CLASSIC'
combined '#5b6b7f' '#1e2a38' bankusa-combined.png white 'Bank USA' 'WORLD ELITE'

# Brand logos (BRAND_LOGO) and icons (ICON), 100x100.
logo() {
  OUT=$1
  shift
  png "$C" -size 100x100 xc:white "$@"
}
logo visa-logo.png -fill '#1a1f71' -font "$OBLIQUE" -pointsize 34 -gravity center -annotate +0+0 'VISA'
logo mc-logo.png -fill '#eb001b' -draw 'circle 38,50 38,80' -fill 'rgba(247,158,27,0.9)' -draw 'circle 62,50 62,80'
logo mir-logo.png -fill '#0f754e' -font "$BOLD" -pointsize 38 -gravity center -annotate +0+0 'МИР'
icon() {
  OUT=$1
  local fill=$2
  shift 2
  png "$C" -size 100x100 xc:none -fill "$fill" -draw 'roundrectangle 4,20 96,80 8,8' \
    -fill '#d4b36a' -draw 'roundrectangle 14,38 32,52 3,3' "$@"
}
icon visa-icon.png '#1a1f71' -fill white -font "$OBLIQUE" -pointsize 20 -gravity center -annotate +14+12 'VISA'
icon mc-icon.png '#222222' -fill '#eb001b' -draw 'circle 60,62 60,74' -fill 'rgba(247,158,27,0.9)' -draw 'circle 74,62 74,74'
icon mir-icon.png '#0f754e' -fill white -font "$BOLD" -pointsize 20 -gravity center -annotate +14+12 'МИР'

# Co-brand logo (CO_BRAND_LOGO), 100x100.
logo cobrand-miles.png -fill '#0b3d91' -draw 'circle 50,50 50,6' \
  -fill white -font "$BOLD" -pointsize 22 -gravity center -annotate +0+0 'MILES'

# Issuer logos (ISSUER_LOGO), 344x71: the 1372x283 of the documentation, quartered.
issuer() {
  OUT=$1
  local ink=$2 name=$3
  png "$C" -size 344x71 xc:white -fill "$ink" -draw 'circle 36,35 36,8' \
    -font "$BOLD" -pointsize 34 -gravity west -annotate +76+0 "$name"
}
issuer sber-logo.png '#21a038' 'СБЕР'
issuer tbank-logo.png '#222222' 'Т-Банк'
issuer alfa-logo.png '#ef3124' 'Альфа-Банк'
issuer vtb-logo.png '#0a2896' 'ВТБ'
issuer belarusbank-logo.png '#00843d' 'Беларусбанк'
issuer bankusa-logo.png '#1e2a38' 'Bank USA'

python3 make-brand-pdf.py
ls -l
