#!/usr/bin/env bash
# Starts the action server and the Rasa server (REST + socket.io) on localhost and
# stops both on Ctrl-C. `run.sh shell` chats in the terminal instead of serving.
# Ports and model come from the environment so tests can run a private copy.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077  # databases, keys and logs in var/ are readable by this user only

export RASA_PORT=${RASA_PORT:-5005}
export ACTION_PORT=${ACTION_PORT:-5055}
MODEL=${MODEL:-models/iwm.tar.gz}
export ACTION_ENDPOINT_URL="http://127.0.0.1:${ACTION_PORT}/webhook"
# Conversations (Rasa tracker store) and assessment answers (bot.storage) live in var/.
mkdir -p var && chmod 700 var
export TRACKER_DB=${TRACKER_DB:-var/tracker.db}
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export RASA_TELEMETRY_ENABLED=${RASA_TELEMETRY_ENABLED:-false}

# Settings are checked and missing secrets created (0600, in var/) before anything starts.
.venv/bin/python -m bot check-config
# The Rasa server sends the action server's token (endpoints.yml) and needs it in its environment.
ACTION_SERVER_TOKEN=$(.venv/bin/python -m bot secret ACTION_SERVER_TOKEN)
export ACTION_SERVER_TOKEN

children=()
stop() {
    trap - INT TERM EXIT
    if ((${#children[@]})); then
        kill "${children[@]}" 2>/dev/null || true
        wait "${children[@]}" 2>/dev/null || true
    fi
    echo "IWM Guide stopped."
}
trap stop INT TERM EXIT

wait_until_up() {  # name url
    for _ in $(seq 1 240); do
        if curl -fsS -o /dev/null "$2" 2>/dev/null; then return 0; fi
        sleep 0.5
    done
    echo "$1 did not start within 120 s" >&2
    return 1
}

.venv/bin/python -m bot.rasa_ext.action_server &
children+=($!)
wait_until_up "action server" "http://127.0.0.1:${ACTION_PORT}/health"

if [[ "${1:-}" == "shell" ]]; then
    .venv/bin/rasa shell --model "$MODEL" --endpoints endpoints.yml
    exit 0
fi

# Rasa's HTTP API (trackers, model) only opens when RASA_AUTH_TOKEN (or _FILE) is set; the
# launcher passes it to Rasa without putting it on the command line.
.venv/bin/python -m bot.rasa_ext.server --model "$MODEL" --endpoints endpoints.yml \
    --credentials credentials.yml --interface "${RASA_HOST:-127.0.0.1}" --port "$RASA_PORT" &
children+=($!)
wait_until_up "Rasa server" "http://127.0.0.1:${RASA_PORT}/"

if [[ -n "${TELEGRAM_BOT_TOKEN:-}" ]]; then
    RASA_URL="http://127.0.0.1:${RASA_PORT}" .venv/bin/python -m bot.channels.telegram &
    children+=($!)
    echo "Telegram bridge started (long polling; set TELEGRAM_WEBHOOK_URL for webhook mode)."
fi

cat <<MSG

IWM Guide is running.
  REST:      POST http://127.0.0.1:${RASA_PORT}/webhooks/rest/webhook  {"sender": "me", "message": "hi"}
             with the header "Authorization: Bearer \$(cat var/iwm_rest_token)"
  Web chat:  http://127.0.0.1:${RASA_PORT}/webchat/   (demo page; embed with /webchat/widget.js)
  Press Ctrl-C to stop both servers.

MSG
wait -n "${children[@]}"
