#!/usr/bin/env bash
# Creates .venv with a Python that Rasa 3.6 supports (3.8–3.10) and installs the pinned
# requirements. Idempotent: does nothing when .venv is already up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP=$VENV/.requirements.sha256

supported() {  # prints the interpreter's version if it is 3.8–3.10
  "$1" -c 'import sys; v = sys.version_info[:2]; assert (3, 8) <= v <= (3, 10); print("%d.%d" % v)' 2>/dev/null
}

find_python() {
  local candidate
  if [ -n "${PYTHON:-}" ]; then
    supported "$PYTHON" >/dev/null && { echo "$PYTHON"; return; }
    echo "PYTHON=$PYTHON is not Python 3.8–3.10" >&2
  fi
  for candidate in python3.10 python3.9 python3.8 python3; do
    if command -v "$candidate" >/dev/null && supported "$candidate" >/dev/null; then
      command -v "$candidate"; return
    fi
  done
  # pyenv shims refuse unless a version is selected: ask pyenv for the installed ones.
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  if command -v pyenv >/dev/null; then root="$(pyenv root)"; fi
  for candidate in $(ls -d "$root"/versions/3.10* "$root"/versions/3.9* "$root"/versions/3.8* 2>/dev/null | sort -rV); do
    if [ -x "$candidate/bin/python" ] && supported "$candidate/bin/python" >/dev/null; then
      echo "$candidate/bin/python"; return
    fi
  done
  return 1
}

if [ ! -x "$VENV/bin/python" ] || ! supported "$VENV/bin/python" >/dev/null; then
  if ! PY=$(find_python); then
    cat >&2 <<'MSG'
No Python 3.8–3.10 found (Rasa 3.6.21 does not run on 3.11+).
Install one, for example:  pyenv install 3.10.13
or point PYTHON at it:      PYTHON=/path/to/python3.10 make run
MSG
    exit 1
  fi
  echo "setup: creating $VENV with $PY ($(supported "$PY"))"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi

want=$(cat requirements.txt constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing pinned requirements (a few minutes the first time)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
  echo "$want" > "$STAMP"
fi

# The website widget's bundle (build/web/, from the npm registry). Without it everything else
# still works; the widget page says it could not load.
bash scripts/web_assets.sh || echo "setup: the website widget is unavailable until scripts/web_assets.sh succeeds" >&2
