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

test: lint browser
	$(BIN)/pytest -q

bench: $(STAMP) browser
	$(BIN)/python -m bench

# The role guides (docs/guides), their pictures rendered from the sandbox while the demo
# day plays; needs a CJK font (fonts-noto-cjk). Not part of `make test`: run it after
# changing what a role sees, and commit the result.
guides: $(STAMP)
	PYTHONPATH=scripts $(BIN)/python scripts/guides.py docs/guides

contract: $(STAMP)
	$(BIN)/python scripts/build_contract.py ../shared/telegram-bot-api/api.json bot/sandbox/contract.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
