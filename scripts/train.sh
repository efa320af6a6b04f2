#!/usr/bin/env bash
# Trains the model only when its inputs changed since the last training.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

STAMP=models/.inputs.sha256
hash_of() { find "$@" -type f \( -name '*.yml' -o -name '*.py' -o -name '*.txt' \) -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1; }
# What Rasa fingerprints itself, and what it cannot see (the lexicon and our components).
rasa_inputs=$(hash_of config.yml domain.yml data)
nlu_inputs=$(hash_of lexicon components borrower/text.py borrower/lexicon.py scripts/build_nlu_resources.py)
want="$rasa_inputs $nlu_inputs"
have=$(cat "$STAMP" 2>/dev/null || true)

if [ ! -d build/spacy_zh ] || [ "${have#* }" != "$nlu_inputs" ]; then
  python scripts/build_nlu_resources.py
fi
if [ -f "$MODEL_PATH" ] && [ "$have" = "$want" ]; then
  echo "train: model is up to date ($MODEL_PATH)"
  exit 0
fi
force=()
[ "${have#* }" = "$nlu_inputs" ] || force=(--force)  # Rasa's cache cannot see lexicon changes
echo "train: training (inputs changed)"
start=$(date +%s)
rasa train --fixed-model-name "$(basename "$MODEL_PATH" .tar.gz)" --out "$(dirname "$MODEL_PATH")" "${force[@]}"
echo "$want" > "$STAMP"
echo "train: done in $(( $(date +%s) - start )) s"
