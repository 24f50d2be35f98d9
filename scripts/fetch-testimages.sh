#!/usr/bin/env bash
# Fetches the GPL-licensed test images into the git-ignored .testdata/ folder.
# They must never be committed; the permissively licensed fixtures live in tests/assets/images/ instead.
#
# Sources: the Debian 12 (bookworm) packages gdk-pixbuf-tests (GPL-2+, its `tests/*` stanza) and librsvg2-tests
# (LGPL-2+ fixtures), fetched with `apt-get download` and unpacked with `dpkg -x`. Nothing is installed. Same pinned
# versions as the curated test-image set this project's fixtures come from; every file is checked against a pinned
# SHA-256.
#
#   .testdata/photo-640-orient6.jpg             640x428 photo, EXIF Orientation=6   (bug725582-testrotate.jpg)
#   .testdata/anim-56frames-transparent.gif     350x189, 56 frames, transparency    (aero.gif)
#   .testdata/edge/cmyk-truncated.jpg           256x256 CMYK JPEG, premature end     (premature-end.jpg)
#   .testdata/edge/pixelbomb-64250x64250.jpg    1.4 KB JPEG declaring 4.1 Gpx        (issue205.jpg)
#   .testdata/edge/pixelbomb-25200x33300.png    2.5 MB PNG, 839 Mpx                  (large.png)
#   .testdata/edge/svg/billion-laughs-pattern.svg  SVG DoS: exponentially nested patterns  (librsvg errors/515-pattern-billion-laughs.svg)
#   .testdata/edge/svg/xinclude-etc-passwd.svg     SVG XInclude of /etc/passwd             (librsvg loading/disallowed-996.svg)
#   .testdata/edge/svg/compressed.svgz             gzip-compressed SVG                     (librsvg loading/gnome-cool.svgz)
#   .testdata/licenses/gdk-pixbuf-tests.copyright, .testdata/licenses/librsvg2-tests.copyright
#
# Usage: scripts/fetch-testimages.sh            (DEST=dir to write elsewhere; default <repo>/.testdata)
# Idempotent: exits at once when every file is present with the right checksum.
# Exit status: 0 when all files are in place, 1 otherwise (with a message saying why).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=${DEST:-$ROOT/.testdata}
# package name | pinned version | folder of its files inside the .deb
PACKAGES=(
  "gdk-pixbuf-tests|2.42.10+dfsg-1+deb12u4|usr/libexec/installed-tests/gdk-pixbuf"
  "librsvg2-tests|2.54.7+dfsg-1~deb12u1|usr/libexec/installed-tests/RSVG/fixtures"
)

log() { printf '[fetch-testimages] %s\n' "$*" >&2; }

# destination path | package | file under the package's folder | sha256
FILES=(
  "photo-640-orient6.jpg|gdk-pixbuf-tests|bug725582-testrotate.jpg|89e4369a00975add3f2bfa3ec344aa44ed7bcf989088911fd775fc4c28965c0f"
  "anim-56frames-transparent.gif|gdk-pixbuf-tests|aero.gif|88bb6eaef5b38843f0687656a6b43bea7f1a8b6fac5f566d6c1a0bf61eecdb1f"
  "edge/cmyk-truncated.jpg|gdk-pixbuf-tests|premature-end.jpg|82f5f01ee498960297d01d852c46f36999887ce36543b70c295908943d94055f"
  "edge/pixelbomb-64250x64250.jpg|gdk-pixbuf-tests|issue205.jpg|3089634fae8232cffbdea5115efb9d12798f90d13a1620b8723626cf02a5f244"
  "edge/pixelbomb-25200x33300.png|gdk-pixbuf-tests|large.png|6cdb8a86af260e9b353e25b6be4b245c30f3b44f4f1f7dfdc521284b15898ae6"
  "edge/svg/billion-laughs-pattern.svg|librsvg2-tests|errors/515-pattern-billion-laughs.svg|6305dc8d2a846f511b3639bb28f3c643a797f41d45cf50b10e01de7e603b95df"
  "edge/svg/xinclude-etc-passwd.svg|librsvg2-tests|loading/disallowed-996.svg|31579f3dcea47dc5d8f0b4180e73d83b8a069b8250caffd0f35ecaa01159a70b"
  "edge/svg/compressed.svgz|librsvg2-tests|loading/gnome-cool.svgz|e9e8cf047e0134bb88b2c484542e68ff3cfb091d2531d70ceddd96c1314cc6f3"
)

sha_ok() { # file expected-sha256
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

all_present() {
  local entry dest pkg src sum
  for entry in "${FILES[@]}"; do
    IFS='|' read -r dest pkg src sum <<<"$entry"
    sha_ok "$DEST/$dest" "$sum" || return 1
  done
  for entry in "${PACKAGES[@]}"; do
    [ -f "$DEST/licenses/${entry%%|*}.copyright" ] || return 1
  done
}

if all_present; then exit 0; fi

for tool in apt-get dpkg sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool not found: cannot fetch the GPL test images (Debian/Ubuntu only)"; exit 1; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
UPDATED=0

try_download() { # dir package[=version]
  (cd "$1" && apt-get download "$2" >"$1/apt.log" 2>&1)
}

download() { # package version → unpacked into $WORK/x/<package>; non-zero on failure
  local pkg=$1 version=$2 dir="$WORK/dl/$1"
  mkdir -p "$dir"
  log "downloading $pkg $version with apt-get download"
  if ! try_download "$dir" "$pkg=$version"; then
    # Package lists may be missing on a fresh machine; refreshing them needs root.
    if [ "$UPDATED" = 0 ] && [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; UPDATED=1; fi
    if ! try_download "$dir" "$pkg=$version"; then
      log "pinned version $version unavailable; trying the current candidate (checksums still apply)"
      if ! try_download "$dir" "$pkg"; then
        log "apt-get download $pkg failed:"; sed 's/^/    /' "$dir/apt.log" >&2
        return 1
      fi
    fi
  fi
  local deb; deb=$(find "$dir" -maxdepth 1 -name "${pkg}_*.deb" | head -n 1)
  [ -n "$deb" ] || { log "no .deb was downloaded for $pkg"; return 1; }
  mkdir -p "$WORK/x/$pkg"
  dpkg -x "$deb" "$WORK/x/$pkg"
  basename "$deb" >>"$WORK/debs"
}

mkdir -p "$DEST/edge/svg" "$DEST/licenses"
failed=0
declare -A PKG_DIR
for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r pkg version dir <<<"$entry"
  if download "$pkg" "$version"; then
    PKG_DIR[$pkg]="$WORK/x/$pkg/$dir"
    cp "$WORK/x/$pkg/usr/share/doc/$pkg/copyright" "$DEST/licenses/$pkg.copyright"
  else
    failed=1
  fi
done

for entry in "${FILES[@]}"; do
  IFS='|' read -r dest pkg src sum <<<"$entry"
  [ -n "${PKG_DIR[$pkg]:-}" ] || { failed=1; continue; }
  if [ ! -f "${PKG_DIR[$pkg]}/$src" ]; then
    log "missing in $pkg: $src"; failed=1; continue
  fi
  if ! sha_ok "${PKG_DIR[$pkg]}/$src" "$sum"; then
    log "checksum mismatch for $src (package version changed?): not installing $dest"
    rm -f "$DEST/$dest"; failed=1; continue
  fi
  cp "${PKG_DIR[$pkg]}/$src" "$DEST/$dest"
done
cat > "$DEST/README.md" <<EOF
GPL-2+ test images from Debian's gdk-pixbuf-tests and LGPL-2+ SVG fixtures from librsvg2-tests
($(tr '\n' ' ' <"$WORK/debs" 2>/dev/null)), fetched by scripts/fetch-testimages.sh.
Never commit this folder (it is git-ignored). Licences: licenses/gdk-pixbuf-tests.copyright (stanza "Files: tests/*"),
licenses/librsvg2-tests.copyright.
EOF
if [ "$failed" != 0 ]; then log "some GPL test images could not be installed in $DEST"; exit 1; fi
log "GPL test images ready in $DEST"
