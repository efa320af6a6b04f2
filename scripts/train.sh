#!/usr/bin/env bash
# Trains the model when its inputs changed since the last training, and only what changed:
# Rasa's graph cache (.rasa/cache) retrains the components whose inputs changed. Our components
# add what Rasa cannot see to their fingerprints (the jieba dictionary from lexicon/, their own
# code; scripts/model_inputs.py), so a word-list edit retrains at most the NLU components that
# read tokens, never the policies, and no `--force` is needed.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

hash_of() { find "$@" -type f \( -name '*.yml' -o -name '*.py' -o -name '*.txt' \) -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1; }

# The spaCy pipeline with the lexicon's entity ruler: read when the model loads, not trained.
RULER_STAMP=build/spacy_zh.inputs.sha256
ruler_inputs=$(hash_of lexicon borrower/lexicon.py scripts/build_nlu_resources.py)
if [ ! -d build/spacy_zh ] || [ "$(cat "$RULER_STAMP" 2>/dev/null)" != "$ruler_inputs" ]; then
  python scripts/build_nlu_resources.py
  echo "$ruler_inputs" > "$RULER_STAMP"
fi

# What the model is trained from: Rasa's inputs and what our components add to them.
STAMP=models/.inputs.sha256
want="$(hash_of config.yml domain.yml data) $(python scripts/model_inputs.py)"
if [ -f "$MODEL_PATH" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
  echo "train: model is up to date ($MODEL_PATH)"
  exit 0
fi
echo "train: training what changed"
start=$(date +%s)
rasa train --fixed-model-name "$(basename "$MODEL_PATH" .tar.gz)" --out "$(dirname "$MODEL_PATH")"
echo "$want" > "$STAMP"
echo "train: done in $(( $(date +%s) - start )) s"
