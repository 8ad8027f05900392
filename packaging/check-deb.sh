#!/usr/bin/env bash
# Installs the Debian package on this machine and checks it as a desktop would use it, then
# removes it: the desktop entry and the AppStream file validate, a case file is recognised as
# one (by its extension and by its content) and opens in the app, the installed program starts
# under Xvfb with the case and draws a window, and removing the package leaves nothing behind.
#
# Usage: packaging/check-deb.sh [PACKAGE.deb]   (default: build it with build-deb.sh)
# Needs (Debian): dpkg, desktop-file-utils, appstream, xdg-utils, libglib2.0-bin (gio),
# shared-mime-info, xvfb, xdotool, imagemagick; root or sudo for dpkg. .ci/run installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

check() { printf '  - %s\n' "$*"; }
fail() { echo "check-deb: $*" >&2; exit 1; }

deb=${1:-$(packaging/build-deb.sh | tail -n 1)}
[[ -f $deb ]] || fail "no package at $deb"
sudo_cmd=""
[[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
mime_type=application/x-precursor-desk-case
desktop_id=precursor-desk.desktop

work=$(mktemp -d)
xvfb_pid=""
cleanup() {
  [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

check "install $deb"
$sudo_cmd dpkg -i "$deb" >/dev/null
[[ -x /usr/bin/precursor-desk ]] || fail "no /usr/bin/precursor-desk after install"
/usr/bin/precursor-desk --version | sed 's/^/      /'
[[ $(/usr/bin/precursor-desk --version) == *"Commit: "*"Data version: "* ]] ||
  fail "--version does not name the commit and the data version"
for page in /usr/share/man/man1/precursor-desk{,-check,-batch,-report,-data}.1.gz; do
  [[ -s $page ]] || fail "no manual page $page"
done
for size in 16 24 32 48 64 128 256 512; do
  [[ -s /usr/share/icons/hicolor/${size}x${size}/apps/precursor-desk.png ]] ||
    fail "no ${size}px icon"
done

check "desktop entry and AppStream metadata validate"
desktop-file-validate "/usr/share/applications/$desktop_id"
appstreamcli validate --no-net /usr/share/metainfo/io.github.precursor_desk.PrecursorDesk.metainfo.xml

# A desktop that asks GLib (GNOME, and xdg-mime/xdg-open under it) what a file is and what
# opens it; dpkg's triggers have rebuilt the MIME database and the desktop-entry cache.
export XDG_CURRENT_DESKTOP=GNOME
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
# A saved case (schema 1, migrated when opened), under its usual extension and under none.
cp tests/fixtures/case-v1.ron "$work/sample-case.ron"
cp tests/fixtures/case-v1.ron "$work/sample-case-without-extension"

check "a case file is $mime_type, by extension and by content"
for file in "$work/sample-case.ron" "$work/sample-case-without-extension"; do
  found=$(xdg-mime query filetype "$file")
  [[ $found == "$mime_type"* ]] || fail "xdg-mime says $file is '$found', not $mime_type"
done
check "xdg-mime maps $mime_type to $desktop_id"
default=$(xdg-mime query default "$mime_type")
[[ $default == "$desktop_id" ]] || fail "xdg-mime query default gives '$default', not $desktop_id"

check "opening the case (as a double-click does) starts the installed app with it, under Xvfb"
exec {display_fd}<> <(:)
Xvfb -displayfd "$display_fd" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
read -r -t 20 -u "$display_fd" display_number || fail "Xvfb did not start"
export DISPLAY=:$display_number
gio open "$work/sample-case.ron"
window=""
for _ in $(seq 1 300); do   # up to 30 s for the window, titled after the case
  window=$(xdotool search --onlyvisible --name "sample-case" 2>/dev/null | head -n 1) && [[ -n $window ]] && break
  sleep 0.1
done
[[ -n $window ]] || fail "no window titled after the case appeared"
app_pid=$(xdotool getwindowpid "$window")
[[ $(readlink "/proc/$app_pid/exe") == /usr/bin/precursor-desk ]] ||
  fail "the window is not the installed program's"
sleep 3   # the first frames: fonts, layout
import -window root "$work/screenshot.png"
colours=$(convert "$work/screenshot.png" -format '%k' info:)
spread=$(convert "$work/screenshot.png" -colorspace Gray -format '%[fx:int(1000*standard_deviation)]' info:)
echo "      window '$(xdotool getwindowname "$window")': $colours colours, grey spread $spread/1000"
((colours > 200 && spread > 50)) || fail "the screenshot is blank ($colours colours, spread $spread)"
[[ -n ${SCREENSHOT_OUT:-} ]] && cp "$work/screenshot.png" "$SCREENSHOT_OUT"
kill "$app_pid"
for _ in $(seq 1 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done

check "remove the package cleanly"
$sudo_cmd dpkg -r precursor-desk >/dev/null
[[ ! -e /usr/bin/precursor-desk ]] || fail "/usr/bin/precursor-desk is still there"
left=$(find /usr/share -name 'precursor-desk*' -o -name 'io.github.precursor_desk*' 2>/dev/null)
[[ -z $left ]] || fail "left behind: $left"
found=$(xdg-mime query filetype "$work/sample-case-without-extension")
[[ $found != "$mime_type"* ]] || fail "the MIME type is still known after removal"
echo "check-deb: the package installs, integrates with the desktop, runs and removes cleanly"
