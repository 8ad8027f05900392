#!/usr/bin/env bash
# Makes the icon's PNGs in the hicolor sizes from its SVG source, into
# assets/icons/hicolor/SIZExSIZE/apps/precursor-desk.png (committed: packaging does not need
# this script's tools). Run it after changing assets/icons/precursor-desk.svg.
# Needs rsvg-convert (Debian: librsvg2-bin), or ImageMagick's convert as a fallback.
set -euo pipefail
cd "$(dirname "$0")/.."

source=assets/icons/precursor-desk.svg
for size in 16 24 32 48 64 128 256 512; do
  out=assets/icons/hicolor/${size}x${size}/apps/precursor-desk.png
  mkdir -p "$(dirname "$out")"
  if command -v rsvg-convert >/dev/null; then
    rsvg-convert --width "$size" --height "$size" "$source" --output "$out"
  else
    convert -background none -density 384 "$source" -resize "${size}x${size}" "$out"
  fi
  echo "$out"
done
