#!/usr/bin/env bash
# make test: installs when needed, then runs every test with pytest: unit tests,
# `rasa data validate`, the test stories (`rasa test`), and end-to-end tests that start the real
# action and Rasa servers. Only the tests that load the model train it first (the
# `trained_model` fixture of tests/conftest.py), so `bash scripts/test.sh tests/unit` never waits
# for a training.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Tests never touch the developer's conversations or cases.
export BORROWER_VAR_DIR="$(mktemp -d)"
unset TRACKER_DB_URL CASES_DB_URL
source scripts/env.sh
trap 'rm -rf "$BORROWER_VAR_DIR"' EXIT
python -m pytest "$@"
