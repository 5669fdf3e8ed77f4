"""The log as an operator asks for it: its level by setting, one JSON object a line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main as doorstep

SCRIPT = """
import logging
from bot.cli import main
main(["check-config"])
log = logging.getLogger("doorstep.test")
log.debug("hidden at INFO")
log.info("lunch for %s", "李")
try:
    1 / 0
except ZeroDivisionError:
    log.exception("it broke")
"""


def run(tmp_path: Path, **env: str) -> list[str]:
    """The script in a fresh process (logging is process-wide), its stderr lines."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DOORSTEP_", "TELEGRAM_"))}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=tmp_path,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stderr.splitlines()


def test_json_logs_are_one_object_a_line(tmp_path: Path) -> None:
    lines = run(tmp_path, DOORSTEP_LOG_JSON="1")
    records = [json.loads(line) for line in lines]  # every line is one whole object
    assert [(r["level"], r["logger"], r["message"]) for r in records] == [
        ("INFO", "doorstep.test", "lunch for 李"),
        ("ERROR", "doorstep.test", "it broke"),
    ]
    assert "ZeroDivisionError" in records[1]["error"]
    assert records[0]["time"].endswith("+00:00")


def test_the_log_level_is_a_setting(tmp_path: Path) -> None:
    assert any("hidden at INFO" in line for line in run(tmp_path, DOORSTEP_LOG_LEVEL="debug"))
    quiet = run(tmp_path, DOORSTEP_LOG_LEVEL="WARNING")
    assert not any("lunch for" in line for line in quiet)
    assert any("ERROR doorstep.test: it broke" in line for line in quiet)  # text by default


def test_an_unknown_log_level_names_the_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOORSTEP_LOG_LEVEL", "LOUD")
    assert doorstep(["check-config"]) == 2
    assert "DOORSTEP_LOG_LEVEL: Input should be" in capsys.readouterr().err
