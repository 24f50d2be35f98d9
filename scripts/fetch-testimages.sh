#!/usr/bin/env bash
# Fetches the GPL-licensed test images into the git-ignored .testdata/ folder.
# They must never be committed; the permissively licensed fixtures live in tests/assets/images/ instead.
#
# Source: the Debian 12 (bookworm) package gdk-pixbuf-tests (GPL-2+, its `tests/*` stanza), fetched with
# `apt-get download` and unpacked with `dpkg -x`. Nothing is installed. Same pinned version as the curated
# test-image set this project's fixtures come from; every file is checked against a pinned SHA-256.
#
#   .testdata/photo-640-orient6.jpg             640x428 photo, EXIF Orientation=6   (bug725582-testrotate.jpg)
#   .testdata/anim-56frames-transparent.gif     350x189, 56 frames, transparency    (aero.gif)
#   .testdata/edge/cmyk-truncated.jpg           256x256 CMYK JPEG, premature end     (premature-end.jpg)
#   .testdata/edge/pixelbomb-64250x64250.jpg    1.4 KB JPEG declaring 4.1 Gpx        (issue205.jpg)
#   .testdata/edge/pixelbomb-25200x33300.png    2.5 MB PNG, 839 Mpx                  (large.png)
#   .testdata/licenses/gdk-pixbuf-tests.copyright
#
# Usage: scripts/fetch-testimages.sh            (DEST=dir to write elsewhere; default <repo>/.testdata)
# Idempotent: exits at once when every file is present with the right checksum.
# Exit status: 0 when all files are in place, 1 otherwise (with a message saying why).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=${DEST:-$ROOT/.testdata}
PKG=gdk-pixbuf-tests
PKG_VERSION=2.42.10+dfsg-1+deb12u4
PKG_DIR=usr/libexec/installed-tests/gdk-pixbuf

log() { printf '[fetch-testimages] %s\n' "$*" >&2; }

# destination path | file in the package | sha256
FILES=(
  "photo-640-orient6.jpg|bug725582-testrotate.jpg|89e4369a00975add3f2bfa3ec344aa44ed7bcf989088911fd775fc4c28965c0f"
  "anim-56frames-transparent.gif|aero.gif|88bb6eaef5b38843f0687656a6b43bea7f1a8b6fac5f566d6c1a0bf61eecdb1f"
  "edge/cmyk-truncated.jpg|premature-end.jpg|82f5f01ee498960297d01d852c46f36999887ce36543b70c295908943d94055f"
  "edge/pixelbomb-64250x64250.jpg|issue205.jpg|3089634fae8232cffbdea5115efb9d12798f90d13a1620b8723626cf02a5f244"
  "edge/pixelbomb-25200x33300.png|large.png|6cdb8a86af260e9b353e25b6be4b245c30f3b44f4f1f7dfdc521284b15898ae6"
)

sha_ok() { # file expected-sha256
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

all_present() {
  local entry dest sum
  for entry in "${FILES[@]}"; do
    dest=${entry%%|*}; sum=${entry##*|}
    sha_ok "$DEST/$dest" "$sum" || return 1
  done
  [ -f "$DEST/licenses/$PKG.copyright" ]
}

if all_present; then exit 0; fi

for tool in apt-get dpkg sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool not found: cannot fetch the GPL test images (Debian/Ubuntu only)"; exit 1; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

download() { # writes the .deb into $WORK; returns non-zero on failure
  (cd "$WORK" && apt-get download "$@" >"$WORK/apt.log" 2>&1)
}

log "downloading $PKG $PKG_VERSION with apt-get download"
if ! download "$PKG=$PKG_VERSION"; then
  # Package lists may be missing on a fresh machine; refreshing them needs root.
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; fi
  if ! download "$PKG=$PKG_VERSION"; then
    log "pinned version $PKG_VERSION unavailable; trying the current candidate (checksums still apply)"
    if ! download "$PKG"; then
      log "apt-get download $PKG failed:"; sed 's/^/    /' "$WORK/apt.log" >&2
      exit 1
    fi
  fi
fi

deb=$(find "$WORK" -maxdepth 1 -name "${PKG}_*.deb" | head -n 1)
[ -n "$deb" ] || { log "no .deb was downloaded"; exit 1; }
mkdir -p "$WORK/x"
dpkg -x "$deb" "$WORK/x"

mkdir -p "$DEST/edge" "$DEST/licenses"
cp "$WORK/x/usr/share/doc/$PKG/copyright" "$DEST/licenses/$PKG.copyright"
failed=0
for entry in "${FILES[@]}"; do
  IFS='|' read -r dest src sum <<<"$entry"
  if [ ! -f "$WORK/x/$PKG_DIR/$src" ]; then
    log "missing in package: $src"; failed=1; continue
  fi
  if ! sha_ok "$WORK/x/$PKG_DIR/$src" "$sum"; then
    log "checksum mismatch for $src (package version changed?): not installing $dest"
    rm -f "$DEST/$dest"; failed=1; continue
  fi
  cp "$WORK/x/$PKG_DIR/$src" "$DEST/$dest"
done
cat > "$DEST/README.md" <<EOF
GPL-2+ test images from Debian's $PKG ($(basename "$deb")), fetched by scripts/fetch-testimages.sh.
Never commit this folder (it is git-ignored). Licence: licenses/$PKG.copyright (stanza "Files: tests/*").
EOF
if [ "$failed" != 0 ]; then log "some GPL test images could not be installed in $DEST"; exit 1; fi
log "GPL test images ready in $DEST"
