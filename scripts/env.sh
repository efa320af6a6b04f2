# Sourced by the other scripts: runtime configuration with defaults. Any variable already set
# in the environment wins, so `RASA_PORT=5006 make run` or a PostgreSQL TRACKER_DB_URL work.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BORROWER_ROOT="$ROOT"  # for deploy/supervisord.conf
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore::DeprecationWarning}"
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_PORT="${ACTION_PORT:-5055}"
# Closed by default: both servers listen on loopback only. Set RASA_INTERFACE=0.0.0.0 (behind a
# reverse proxy, README "Security") to open the Rasa server; the action server (SANIC_HOST, read
# by rasa-sdk) should stay where only Rasa reaches it.
export RASA_INTERFACE="${RASA_INTERFACE:-127.0.0.1}"
export SANIC_HOST="${SANIC_HOST:-127.0.0.1}"
export BORROWER_VAR_DIR="${BORROWER_VAR_DIR:-$ROOT/var}"
# The secret Rasa sends the action server (endpoints.yml), which answers nothing else: one per run
# unless configured (a deployment sets the same value for both).
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_PORT/webhook}"
export TRACKER_DB_URL="${TRACKER_DB_URL:-sqlite:///$BORROWER_VAR_DIR/tracker.db}"
export CASES_DB_URL="${CASES_DB_URL:-sqlite:///$BORROWER_VAR_DIR/cases.db}"
export MODEL_PATH="${MODEL_PATH:-$ROOT/models/borrower.tar.gz}"
export PATH="$ROOT/.venv/bin:$PATH"
mkdir -p "$BORROWER_VAR_DIR"
