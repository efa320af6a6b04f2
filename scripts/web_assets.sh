#!/usr/bin/env bash
# The website widget's bundle (connectors/webchat.py serves it, no CDN): lib/index.js of
# rasa-webchat@1.0.1 from the npm registry — a self-contained UMD bundle with React and
# socket.io-client 3.x inside — into build/web/ (git-ignored). The tarball is checked against the
# registry's sha512 integrity, then the bundle's Google Fonts @import is removed so that the page
# depends on no other host. Idempotent and quick when the bundle is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=1.0.1
INTEGRITY="sha512-Ld1zVJvTAaTrs6A5p8t70agNNrKYRyXlvqXZRgBoDvKKUXbA0jhJKECi5bdPGlaR6jsmqWtVylHS+YqIqo0x8w=="
BUNDLE_SHA256=efa10301912389282c2cc7a9a4db16ccf2997c5cf5a5cea835601cf0b4e8d858  # after the edit
OUT=build/web
BUNDLE=$OUT/rasa-webchat-$VERSION.js
FONT_IMPORT='@import url(https://fonts\.googleapis\.com/css?family=Inter:400,500,700&display=swap);'

sha256() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$BUNDLE" ] && [ "$(sha256 "$BUNDLE")" = "$BUNDLE_SHA256" ]; then
  exit 0
fi
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  cat >&2 <<MSG
web_assets: npm (Node.js) not found. The website widget needs rasa-webchat@$VERSION from the npm
registry. Install Node.js with npm (Debian: apt-get install -y npm), then run:
  bash scripts/web_assets.sh
MSG
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "web_assets: fetching rasa-webchat@$VERSION from the npm registry"
npm pack --silent --pack-destination "$tmp" "rasa-webchat@$VERSION" >/dev/null
tarball="$tmp/rasa-webchat-$VERSION.tgz"
got=$(node -e 'const c = require("crypto"), fs = require("fs");
  process.stdout.write("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"));' "$tarball")
if [ "$got" != "$INTEGRITY" ]; then
  echo "web_assets: rasa-webchat-$VERSION.tgz has integrity $got, expected $INTEGRITY; not used" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$tmp" package/lib/index.js package/LICENSE
sed "s#$FONT_IMPORT##g" "$tmp/package/lib/index.js" > "$tmp/bundle.js"
if grep -q "fonts.googleapis.com" "$tmp/bundle.js" || [ "$(sha256 "$tmp/bundle.js")" != "$BUNDLE_SHA256" ]; then
  echo "web_assets: removing the web font import did not give the expected bundle" >&2
  exit 1
fi
mkdir -p "$OUT"
cp "$tmp/package/LICENSE" "$OUT/rasa-webchat-LICENSE"  # Apache-2.0
mv "$tmp/bundle.js" "$BUNDLE"
echo "web_assets: $BUNDLE ready"
