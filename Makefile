# The two commands that matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10; pyenv machines have it under ~/.pyenv, others on PATH.
PYTHON310 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10) $(shell command -v python3.10))
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
INSTALLED := $(VENV)/.installed
SPACY_PIPELINE := build/spacy/iwm_en/meta.json
SEMANTIC_INDEX := build/index/semantic.npz
RISK_MODEL := build/risk/model.pickle
CONCERN_MODEL := build/concern/model.pickle
KIND_MODEL := build/kinds/model.npz
# The browser tests drive Debian's chromium (Playwright with the system executable).
CHROMIUM := /usr/bin/chromium
HAPROXY := /usr/sbin/haproxy
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# config-diet.yml has DIET as the intent classifier, 8 minutes of training instead of 1.5 (README,
# "Training"): make run CONFIG=config-diet.yml
CONFIG ?= config.yml
MODEL := models/$(if $(filter config.yml,$(CONFIG)),iwm,iwm-$(subst config-,,$(basename $(notdir $(CONFIG))))).tar.gz

CONTENT := $(shell find content -type f 2>/dev/null)
TRAINING_DATA := $(shell find nlu -type f 2>/dev/null)

export ACTION_ENDPOINT_URL ?= http://127.0.0.1:5055/webhook
export TRACKER_DB ?= var/tracker.db
export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export RASA_TELEMETRY_ENABLED ?= false

AUDIT_VENV := .venv-audit

.PHONY: help setup train run shell test lint format validate audit bench profile cluster cluster-bench clean

help:
	@echo "make run    set up everything (venv, spaCy pipeline, model) and start the bot"
	@echo "make shell  set up and chat in the terminal"
	@echo "make test   set up and run every test"
	@echo "make bench  measure this bot against a plain 'rasa init' bot, side by side (results/bench.json)"
	@echo "make cluster REPLICAS=2 ACTION_SERVERS=1  Rasa replicas behind HAProxy, PostgreSQL + Redis locks"
	@echo "make profile where the Rasa server's time goes under load (py-spy; results/profile.json)"
	@echo "make audit  check the pinned dependencies for known vulnerabilities (needs the network)"

$(INSTALLED): requirements.lock requirements-model.lock pyproject.toml
	@test -n "$(PYTHON310)" || { echo "python3.10 not found: Rasa 3.6 needs Python 3.10"; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==24.0
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# The spaCy pipeline's entity ruler is built from the topics and terms only.
$(SPACY_PIPELINE): $(filter-out content/safety/% content/instruments/%,$(CONTENT)) bot/nlp.py bot/content.py | $(INSTALLED)
	$(PY) -m bot build-nlp

# Sentence embeddings of every topic's training examples and every bank phrasing (bot/retrieval.py).
$(SEMANTIC_INDEX): nlu/topics $(wildcard nlu/topics/*.yml content/questions/*.yml) bot/embedding.py bot/retrieval.py | $(INSTALLED)
	$(PY) -m bot build-index

# What people send every day: ordinary examples for both safety classifiers (bot/text_classifier.py).
EVERYDAY_MESSAGES := nlu/feelings.yml nlu/conversation.yml nlu/questionnaire.yml $(wildcard nlu/topics/*.yml) bot/text_classifier.py bot/embedding.py

# The crisis check's risk classifier (bot/risk.py): seconds to train, so it is rebuilt with its data.
$(RISK_MODEL): content/safety/risk_training.yml bot/risk.py $(EVERYDAY_MESSAGES) | $(INSTALLED)
	$(PY) -m bot build-risk

# The classifier that notices control or abuse (bot/concerns.py), built the same way.
$(CONCERN_MODEL): content/safety/concern_training.yml bot/concerns.py $(EVERYDAY_MESSAGES) | $(INSTALLED)
	$(PY) -m bot build-concern

# The learnt reading of the kind of answer a letter wants (bot/kind_model.py), from the spent sets
# of real letters that content/kinds.yml lists.
$(KIND_MODEL): content/kinds.yml $(wildcard tests/data/real_questions_*.yml) bot/kind_model.py bot/kinds.py bot/focus.py bot/embedding.py | $(INSTALLED)
	$(PY) -m bot build-kinds

# Make calls Rasa only when training data, domain, config or content changed; Rasa's own
# cache (.rasa/) then retrains just the components whose inputs changed.
$(MODEL): $(SPACY_PIPELINE) $(TRAINING_DATA) $(CONTENT) domain.yml $(CONFIG)
	$(RASA) train --data nlu --domain domain.yml --config $(CONFIG) \
		--out models --fixed-model-name $(basename $(basename $(notdir $(MODEL))))
	touch $@

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The cluster's load balancer, from Debian's packages.
$(HAPROXY):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy

setup: $(INSTALLED) $(SPACY_PIPELINE) $(SEMANTIC_INDEX) $(RISK_MODEL) $(CONCERN_MODEL) $(KIND_MODEL)

train: $(MODEL)

run: $(MODEL) setup
	MODEL=$(MODEL) ./scripts/run.sh

shell: $(MODEL) setup
	MODEL=$(MODEL) ./scripts/run.sh shell

validate: setup
	$(RASA) data validate --data nlu --domain domain.yml --config config.yml --fail-on-warnings

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: $(MODEL) setup $(CHROMIUM) $(HAPROXY) lint validate
	$(RASA) test core --stories tests/stories --model $(MODEL) --out results/core \
		--fail-on-prediction-errors
	$(PY) -m pytest -q

# pip-audit lives in its own venv: its dependencies must not move Rasa's pins.
$(AUDIT_VENV)/.installed: requirements-audit.lock
	@test -n "$(PYTHON310)" || { echo "python3.10 not found"; exit 1; }
	test -x $(AUDIT_VENV)/bin/python || $(PYTHON310) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install --quiet -r requirements-audit.lock
	touch $@

audit: $(AUDIT_VENV)/.installed
	$(AUDIT_VENV)/bin/python scripts/audit.py

# Not part of `make test` (a short smoke run of it is: tests/test_bench.py).
bench: $(MODEL) setup
	MODEL=$(MODEL) $(PY) scripts/bench.py results --config $(CONFIG)

profile: $(MODEL) setup
	MODEL=$(MODEL) $(PY) scripts/profile_server.py results

REPLICAS ?= 2
ACTION_SERVERS ?= 1
cluster: $(MODEL) setup $(HAPROXY)
	$(PY) scripts/cluster.py --replicas $(REPLICAS) --action-servers $(ACTION_SERVERS)

# Not part of `make test`: throughput with 1 and with 2 replicas, one run (results/cluster-bench.json).
cluster-bench: $(MODEL) setup $(HAPROXY)
	$(PY) scripts/cluster_bench.py results

clean:
	rm -rf build models results .pytest_cache
