#!/usr/bin/env bash
# make run   → scripts/run.sh serve : action server + Rasa server (REST and socket.io channels)
# make shell → scripts/run.sh shell : action server + `rasa shell`
# Installs and trains first when needed. Ctrl-C stops everything it started.
set -euo pipefail
mode="${1:-serve}"
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/train.sh
source scripts/env.sh

pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_for() {  # url, name, seconds
  local deadline=$(( $(date +%s) + $3 ))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    if [ "$(date +%s)" -gt "$deadline" ]; then echo "$2 did not start within $3 s" >&2; exit 1; fi
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "$2 exited" >&2; exit 1; }; done
    sleep 1
  done
}

rasa run actions --port "$ACTION_PORT" --actions actions > "$BORROWER_VAR_DIR/actions.log" 2>&1 &
pids+=($!)
wait_for "http://localhost:$ACTION_PORT/health" "action server" 120
echo "action server: http://localhost:$ACTION_PORT (log: var/actions.log)"

if [ "$mode" = shell ]; then
  rasa shell --model "$MODEL_PATH" --endpoints endpoints.yml
  exit 0
fi

rasa run --model "$MODEL_PATH" --port "$RASA_PORT" --credentials credentials.yml \
  --endpoints endpoints.yml > "$BORROWER_VAR_DIR/rasa.log" 2>&1 &
pids+=($!)
wait_for "http://localhost:$RASA_PORT/" "Rasa server" 300
cat <<MSG
Rasa server: http://localhost:$RASA_PORT (log: var/rasa.log)
Talk to it:
  curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
       -d '{"sender": "me", "message": "我要投诉平安普惠乱收费"}'
Website widget channel (socket.io): http://localhost:$RASA_PORT/socket.io/
Ctrl-C stops both servers.
MSG
wait -n "${pids[@]}"
echo "a server stopped; see var/*.log" >&2
exit 1
