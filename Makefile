# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean contract browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/doorstep demo

lint: $(STAMP)
	$(BIN)/ruff check bot handlers scheduling data tests bench scripts
	$(BIN)/ruff format --check bot handlers scheduling data tests bench scripts
	$(BIN)/mypy

# The Mini App's tests drive Debian's Chromium (never downloaded by Playwright): installed
# once when missing, a quick check after that.
browser:
	scripts/install_chromium.sh

test: lint browser
	$(BIN)/pytest -q

bench: $(STAMP) browser
	$(BIN)/python -m bench

contract: $(STAMP)
	$(BIN)/python scripts/build_contract.py ../shared/telegram-bot-api/api.json bot/sandbox/contract.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
