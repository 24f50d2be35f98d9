#!/usr/bin/env bash
# Installs what CdnProxy's tests and benchmarks need on a fresh Debian machine that has the .NET SDK (the server
# itself needs nothing more: `dotnet restore` brings libvips). Node.js/npm are installed with apt when missing.
# Idempotent: every step checks first. Usage: scripts/setup.sh [--for-tests] [--for-publish] [--for-bench]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
S3RVER_VERSION="3.7.1"            # S3-compatible server for the S3 origin's integration tests
S3RVER_DIR="$ROOT/.native/s3rver"

log() { printf '[setup] %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
APT_UPDATED=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then log "apt-get not available; please install: ${missing[*]}"; return 1; fi
  local aptlog; aptlog=$(mktemp)
  if [ $APT_UPDATED -eq 0 ]; then $SUDO apt-get update -qq >"$aptlog" 2>&1 || true; APT_UPDATED=1; fi
  log "apt-get install ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$aptlog" 2>&1; then
    sed 's/^/    /' "$aptlog" >&2; rm -f "$aptlog"; return 1
  fi
  rm -f "$aptlog"
}

install_s3rver() {
  if [ -x "$S3RVER_DIR/node_modules/.bin/s3rver" ] \
     && grep -q "\"version\": \"$S3RVER_VERSION\"" "$S3RVER_DIR/node_modules/s3rver/package.json" 2>/dev/null; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm || { log "npm not found and not installable"; return 1; }
  log "installing s3rver@$S3RVER_VERSION into $S3RVER_DIR"
  mkdir -p "$S3RVER_DIR"
  # Quiet on success; on failure npm's own output says why (network, proxy, a missing compiler...).
  local npm_log
  npm_log=$(mktemp)
  if ! (cd "$S3RVER_DIR" && npm install --no-audit --no-fund --no-save --prefix "$S3RVER_DIR" "s3rver@$S3RVER_VERSION") >"$npm_log" 2>&1; then
    log "npm install s3rver@$S3RVER_VERSION failed:"
    cat "$npm_log" >&2
    rm -f "$npm_log"
    return 1
  fi
  rm -f "$npm_log"
}

# OpenCV's face cascades (p:face) from Debian's opencv-data (BSD-3), unpacked into the git-ignored .native/opencv-data
# (never committed); the server finds them there or in /usr/share/opencv4 (apt-get install opencv-data).
OPENCV_DATA_DIR="$ROOT/.native/opencv-data"
install_face_cascades() {
  [ -f "$OPENCV_DATA_DIR/lbpcascades/lbpcascade_frontalface_improved.xml" ] && return 0
  command -v apt-get >/dev/null 2>&1 || { log "apt-get not available: cannot fetch opencv-data"; return 1; }
  local tmp; tmp=$(mktemp -d)
  if [ $APT_UPDATED -eq 0 ]; then $SUDO apt-get update -qq >/dev/null 2>&1 || true; APT_UPDATED=1; fi
  log "fetching opencv-data (face cascades) into $OPENCV_DATA_DIR"
  if ! (cd "$tmp" && chmod 777 "$tmp" && apt-get download -qq opencv-data >/dev/null 2>&1); then rm -rf "$tmp"; return 1; fi
  dpkg -x "$tmp"/opencv-data_*.deb "$tmp/x"
  mkdir -p "$OPENCV_DATA_DIR"
  cp -r "$tmp/x/usr/share/opencv4/haarcascades" "$tmp/x/usr/share/opencv4/lbpcascades" "$OPENCV_DATA_DIR/"
  rm -rf "$tmp"
}

# The tiny face detector's weights (CdnProxy:Faces:Detector=TinyDnn) from npm's @vladmandic/face-api (MIT), pinned and
# checked; only the two model files are kept, in the git-ignored .native/face-api (never committed).
FACE_API_VERSION="1.7.15"
FACE_API_DIR="$ROOT/.native/face-api"
TINY_FACE_FILES=(
  "b7503ce7df31039b1c43316a9b865cab6a70dd748cc602d3fa28b551503c3871  tiny_face_detector_model.bin"
  "5d1af4849ac48d5b985f4a9b16010c512353ddd6fcc63d50fd0bc9e9e64296e5  tiny_face_detector_model-weights_manifest.json"
)
install_tiny_face_model() {
  (cd "$FACE_API_DIR" 2>/dev/null && printf '%s\n' "${TINY_FACE_FILES[@]}" | sha256sum --check --status) && return 0
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm || { log "npm not found and not installable"; return 1; }
  log "fetching @vladmandic/face-api@$FACE_API_VERSION (tiny face detector weights) into $FACE_API_DIR"
  local tmp; tmp=$(mktemp -d)
  if ! (cd "$tmp" && npm pack --silent "@vladmandic/face-api@$FACE_API_VERSION" >/dev/null 2>&1); then rm -rf "$tmp"; return 1; fi
  tar -xzf "$tmp"/vladmandic-face-api-*.tgz -C "$tmp" package/model/tiny_face_detector_model.bin \
    package/model/tiny_face_detector_model-weights_manifest.json package/LICENSE
  if ! (cd "$tmp/package/model" && printf '%s\n' "${TINY_FACE_FILES[@]}" | sha256sum --check --status); then
    log "face-api model files do not match their checksums"; rm -rf "$tmp"; return 1
  fi
  mkdir -p "$FACE_API_DIR"
  cp "$tmp"/package/model/* "$tmp/package/LICENSE" "$FACE_API_DIR/"
  rm -rf "$tmp"
}

# libvips itself comes with `dotnet restore` (the NetVips.Native package); nothing to install for it. Debian's
# libvips42 is needed only to run on the system libvips (CDNPROXY_LIBVIPS=system) and is installed for the test of it.
for arg in "$@"; do
  case "$arg" in
    --for-tests)
      # GPL test images go to the git-ignored .testdata/ (never committed). Tests that need them decide
      # for themselves what a missing file means (skip locally, fail when CI=true).
      install_s3rver || { log "s3rver could not be installed (the S3 origin tests need it)"; exit 1; }
      install_face_cascades || { log "opencv-data could not be fetched (the face detection tests need it)"; exit 1; }
      install_tiny_face_model || { log "the tiny face detector's weights could not be fetched (the face detection tests need them)"; exit 1; }
      "$ROOT/scripts/fetch-testimages.sh" || log "warning: GPL test images unavailable; tests that need them will skip (or fail when CI=true)"
      # gdk-pixbuf decodes our BMP output in tests (libvips has no BMP loader): an independent reader.
      apt_install libgdk-pixbuf2.0-bin || log "warning: gdk-pixbuf unavailable; BMP round-trip tests will fail when CI=true"
      # The Redis tier's integration tests start their own redis-server (free port, no persistence, temp dir);
      # the system service is neither needed nor used.
      apt_install redis-server
      # The PostgreSQL job store's tests run their own cluster (initdb in a temp dir, free loopback port, as the
      # postgres user when run as root); the system service is neither needed nor used.
      apt_install postgresql
      # The playground's browser test drives Debian's Chromium through Playwright (browsers are never downloaded).
      apt_install chromium || log "warning: chromium unavailable; the playground browser test will fail when CI=true"
      # The system-libvips fallback (CDNPROXY_LIBVIPS=system) is tested against Debian's libvips42.
      apt_install libvips42 || log "warning: libvips42 unavailable; the system-libvips test will fail when CI=true"
      # The published server (compiled ahead of time) is tested too: scripts/publish.sh needs the native toolchain,
      # scripts/test-published.sh talks to it with curl and reads answers with python3.
      apt_install clang zlib1g-dev curl python3
      ;;
    --for-publish)
      # Native AOT links with the platform's toolchain (clang, and zlib for the runtime's compression).
      apt_install clang zlib1g-dev
      ;;
    --for-bench)
      apt_install clang zlib1g-dev   # the server under test is the published one (scripts/publish.sh)
      apt_install wrk curl jq nginx redis-server   # nginx: the static-file peer of bench/cache.sh; jq reads the stats JSON
      install_s3rver || { log "s3rver could not be installed (the S3 origin of bench/scale-out.sh needs it)"; exit 1; }
      ;;
    *) log "unknown option $arg"; exit 2 ;;
  esac
done
