#!/usr/bin/env bash
# Builds the Debian package and a plain .tar.gz from an already built release binary, with
# dpkg-deb alone (no cargo-deb: installing it would cost CI a compile of its own).
#
# Usage: packaging/build-deb.sh [BINARY]
#   BINARY defaults to $CARGO_TARGET_DIR/release/precursor-desk (or target/release/...):
#   build it first with `cargo build --release`.
# Writes $OUT_DIR (default target/packages)/precursor-desk_VERSION-1_ARCH.deb and
# precursor-desk-VERSION-linux-ARCH.tar.gz, and prints the .deb's path last.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=${CARGO_TARGET_DIR:-target}
binary=${1:-$target_dir/release/precursor-desk}
out_dir=${OUT_DIR:-$target_dir/packages}
[[ -x $binary ]] || { echo "no release binary at $binary: run cargo build --release" >&2; exit 1; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml)
version=${version%%$'\n'*}   # the [package] version comes first
# The binary must be the one this tree describes: its --version names the same version.
built=$("$binary" --version)
[[ ${built%%$'\n'*} == "Precursor Desk $version" ]] ||
  { echo "$binary is not version $version: rebuild it" >&2; exit 1; }
arch=$(dpkg --print-architecture)
app_id=precursor-desk
metainfo=io.github.precursor_desk.PrecursorDesk.metainfo.xml

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/DEBIAN" "$out_dir"

# Files under /usr, the same tree for the .deb and the .tar.gz.
install -D -m 0755 "$binary" "$root/usr/bin/precursor-desk"
strip --strip-unneeded "$root/usr/bin/precursor-desk"
install -D -m 0644 packaging/$app_id.desktop "$root/usr/share/applications/$app_id.desktop"
install -D -m 0644 packaging/precursor-desk.xml "$root/usr/share/mime/packages/precursor-desk.xml"
install -D -m 0644 packaging/$metainfo "$root/usr/share/metainfo/$metainfo"
install -D -m 0644 assets/icons/precursor-desk.svg \
  "$root/usr/share/icons/hicolor/scalable/apps/precursor-desk.svg"
for png in assets/icons/hicolor/*/apps/precursor-desk.png; do
  install -D -m 0644 "$png" "$root/usr/share/${png#assets/}"
done
mkdir -p "$root/usr/share/man/man1"
"$binary" manpage "$root/usr/share/man/man1"
gzip -9n "$root"/usr/share/man/man1/*.1
install -D -m 0644 README.md "$root/usr/share/doc/precursor-desk/README.md"
cat > "$root/usr/share/doc/precursor-desk/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: precursor-desk

Files: *
License: MIT or Apache-2.0
 On Debian systems the full texts are in /usr/share/common-licenses/Apache-2.0; the MIT
 licence is the Expat licence.
COPYRIGHT

# The C libraries the binary links (libc, libgcc) as dpkg-shlibdeps finds them; the ones
# the window opens at run time (OpenGL/EGL, xkbcommon, X11) named here, as the linker never
# sees them. Wayland's are recommended: without them the window opens through XWayland.
linked=$(cd "$work" && mkdir -p debian && printf 'Source: precursor-desk\n\nPackage: precursor-desk\nArchitecture: any\n' > debian/control &&
  dpkg-shlibdeps -O "$root/usr/bin/precursor-desk" 2>/dev/null | sed -n 's/^shlibs:Depends=//p') ||
  linked="libc6, libgcc-s1"
runtime="libgl1, libegl1, libxkbcommon0, libxkbcommon-x11-0, libx11-6, libx11-xcb1, libxcursor1, libxi6, libxrandr2"
installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)

cat > "$root/DEBIAN/control" <<CONTROL
Package: precursor-desk
Version: $version-1
Architecture: $arch
Maintainer: The Precursor Desk developers <precursor-desk@users.noreply.github.com>
Installed-Size: $installed_kb
Depends: ${linked:+$linked, }$runtime
Recommends: zenity, xdg-utils, libwayland-client0, libwayland-cursor0, libwayland-egl1
Suggests: poppler-utils
Section: utils
Priority: optional
Homepage: https://github.com/precursor-desk/precursor-desk
Description: offline compliance assistant for shipments of drug-precursor chemicals
 Describe a shipment (chemical lines, quantities, concentrations, origin, destination,
 date) and Precursor Desk tells you which licences, permits and notifications it needs in
 every jurisdiction it touches, why, and under which legal text, as of the shipment's date.
 Where the rule content is known to be incomplete the answer is "review", never a silent
 "no licence needed". The rule content is embedded; no network is used.
CONTROL
# The desktop, MIME and icon caches are refreshed by the dpkg triggers of
# desktop-file-utils, shared-mime-info and hicolor-icon-theme: no maintainer scripts.

deb=$out_dir/precursor-desk_${version}-1_${arch}.deb
dpkg-deb --root-owner-group --build -Zxz "$root" "$deb" >/dev/null

# The same files for other distributions: unpack into /usr/local or ~/.local.
tarball=$out_dir/precursor-desk-$version-linux-$arch.tar.gz
tar -C "$root/usr" --owner=0 --group=0 --sort=name -czf "$tarball" bin share
tar -tzf "$tarball" | grep -x 'share/mime/packages/precursor-desk.xml' >/dev/null ||
  { echo "the tarball lacks the MIME type" >&2; exit 1; }
echo "$tarball"
echo "$deb"
