"""The service files name only settings the bot reads: a typo there is a setting silently
ignored in production."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import ENV_NAMES

ROOT = Path(__file__).resolve().parent.parent
FILES = ["deploy/doorstep.service", "Dockerfile", "compose.yaml", "compose.postgres.yaml"]


@pytest.mark.parametrize("name", FILES)
def test_a_service_file_names_only_known_settings(name: str) -> None:
    text = (ROOT / name).read_text("utf-8")
    named = set(re.findall(r"\b((?:DOORSTEP|TELEGRAM)_[A-Z_]+)\b", text))
    assert named, f"{name} names no setting at all"
    assert named - set(ENV_NAMES.values()) == set()


def test_the_service_runs_as_its_own_user_restarts_and_keeps_the_store_in_var_lib() -> None:
    unit = (ROOT / "deploy/doorstep.service").read_text("utf-8")
    for line in (
        "User=doorstep",
        "Restart=on-failure",
        "StateDirectory=doorstep",
        "Environment=DOORSTEP_DB=/var/lib/doorstep/doorstep.sqlite3",
    ):
        assert line in unit.splitlines()
