#!/usr/bin/env bash
# make run   → scripts/run.sh serve : action server + Rasa server (REST, the website widget, …)
# make shell → scripts/run.sh shell : action server + `rasa shell`
# make wechat-sim → scripts/run.sh wechat-sim : both servers with throw-away WeChat credentials,
#                   then chat through the WeChat channel from the terminal (connectors/wechat_sim.py)
# Installs and trains first when needed. Ctrl-C stops everything it started.
set -euo pipefail
mode="${1:-serve}"
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/train.sh
source scripts/env.sh

if [ "$mode" = wechat-sim ]; then
  # Throw-away credentials for this run only, and WeChat's API replaced by the simulator's
  # stand-in on loopback: the simulator never touches a real account.
  export WECHAT_MODE=safe WECHAT_APP_ID=wx00000000simulator WECHAT_SECRET=simulator-secret
  export WECHAT_TOKEN="sim$(python -c 'import secrets; print(secrets.token_hex(8))')"
  export WECHAT_ENCODING_AES_KEY="$(python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode()[:43])')"
  FAKE_API_PORT="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  export WECHAT_API_BASE="http://127.0.0.1:$FAKE_API_PORT"
fi

# Both servers under supervisord (deploy/supervisord.conf): a crashed one is restarted, one
# dying never stops the other. `make shell` supervises the action server only.
# What they create — the SQLite databases, logs, the key file — is readable by the owner only.
umask 077
export RASA_AUTOSTART=true
[ "$mode" = shell ] && RASA_AUTOSTART=false
supervisord -c deploy/supervisord.conf &
supervisor=$!
stop_all() {
  trap - INT TERM EXIT
  kill -TERM "$supervisor" 2>/dev/null || true  # stops both servers, then itself
  wait "$supervisor" 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_for() {  # url, name, seconds
  local deadline=$(( $(date +%s) + $3 ))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    if [ "$(date +%s)" -gt "$deadline" ]; then echo "$2 did not start within $3 s (see var/*.log)" >&2; exit 1; fi
    kill -0 "$supervisor" 2>/dev/null || { echo "supervisord exited (see var/supervisord.log)" >&2; exit 1; }
    sleep 1
  done
}

wait_for "http://127.0.0.1:$ACTION_PORT/health" "action server" 120
echo "action server: http://localhost:$ACTION_PORT (log: var/actions.log)"

if [ "$mode" = shell ]; then
  python scripts/rasa_server.py shell --model "$MODEL_PATH" --interface "$RASA_INTERFACE" --endpoints endpoints.yml
  exit 0
fi

wait_for "http://127.0.0.1:$RASA_PORT/" "Rasa server" 300
if [ "$mode" = wechat-sim ]; then
  python -m connectors.wechat_sim --url "http://127.0.0.1:$RASA_PORT/webhooks/wechat/" \
    --fake-api-port "$FAKE_API_PORT"
  exit 0
fi
[ -f build/web/rasa-webchat-1.0.1.js ] || echo "website widget bundle missing: run bash scripts/web_assets.sh (needs npm)" >&2
cat <<MSG
Rasa server: http://localhost:$RASA_PORT (log: var/rasa.log)
Talk to it:
  curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
       -d '{"sender": "me", "message": "我要投诉平安普惠乱收费"}'
Website widget: http://localhost:$RASA_PORT/webhooks/socketio/
Servers: supervisorctl -c deploy/supervisord.conf status (a crashed server is restarted)
Ctrl-C stops both servers.
MSG
wait "$supervisor"
