# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.PHONY: run shell wechat-sim test setup train cases bench-startup bench-nlu bench-pipelines bench-conversations clean

run:    ## install if needed, train if data changed, start action server + Rasa server
	bash scripts/run.sh serve

shell:  ## same, then chat in the terminal with `rasa shell`
	bash scripts/run.sh shell

wechat-sim:  ## same as run, with throw-away WeChat credentials; chat through the WeChat channel in the terminal
	bash scripts/run.sh wechat-sim

test:   ## every test: data validation, test stories, unit tests, end-to-end tests
	bash scripts/test.sh

setup:  ## only create .venv and install the pinned requirements
	bash scripts/setup.sh

train:  ## only (re)train when config, domain, data or lexicon changed
	bash scripts/setup.sh && bash scripts/train.sh

cases:  ## staff CLI for the case store: make cases ARGS="list --status open" (show, set-status, export)
	bash scripts/setup.sh && . scripts/env.sh && python -m borrower.cases $(ARGS)

bench-startup:  ## model-load time, server memory, turn latency → reports/startup.md (add FRESH=1 for install + train)
	bash scripts/setup.sh && bash scripts/train.sh && . scripts/env.sh && python -m bench.startup $(if $(FRESH),--fresh,)

bench-nlu:  ## train on data/nlu*.yml, score bench/nlu_heldout.yml (and nlu_dev.yml) against a TF-IDF baseline → reports/nlu_benchmark.md
	bash scripts/setup.sh && . scripts/env.sh && python -m bench.nlu

bench-pipelines:  ## a baseline revision's pipeline against HEAD's, trained from scratch side by side, and retraining after word-list edits → reports/pipeline_comparison.md
	bash scripts/setup.sh && . scripts/env.sh && python -m bench.pipelines $(if $(BASELINE),--baseline $(BASELINE),)

bench-conversations:  ## play the conversation scripts of bench/conversations/ against the real servers → reports/conversations.md (ONLY=heldout: a held-out batch, once → reports/conversations_heldout.md)
	bash scripts/setup.sh && bash scripts/train.sh && . scripts/env.sh && python -m bench.conversations $(if $(ONLY),--only $(ONLY) --report reports/conversations_$(ONLY).md,)

clean:  ## remove build output, models and runtime data (conversations and cases!)
	rm -rf build .rasa results var models/*.tar.gz models/.inputs.sha256
