"""`doorstep demo` plays the whole day, and its closing figures agree with the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.demo import play
from bot.settings import Config, load_config


@pytest.fixture
def config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Config:
    monkeypatch.chdir(tmp_path)
    for name in ("DOORSTEP_CANTEENS", "DOORSTEP_TZ", "DOORSTEP_ADMIN_IDS"):
        monkeypatch.delenv(name, raising=False)
    return load_config(need_token=False)


async def test_the_demo_day_ends_with_figures_that_add_up(config: Config, tmp_path: Path) -> None:
    text, ok = await play(config, tmp_path)
    assert ok, text[text.index("━━ The day in figures") :]
    for chapter in (
        "registers herself and the admin approves",
        "09:30 cutoff",
        "10:45 claim deadline",
        "nobody opens at 王秀英's",
        "the community admin is told",
        "same as last time",
    ):
        assert chapter in text
    assert "🆘" in text  # the escalation reached the admin
    assert "bot → 周主任 ▸ 阳光社区长者食堂 今日情况（2026-03-02）" in text
    assert "Lunch cooked: 10 portions for 10 orders" in text
    assert "Kitchen CSV rows: 9" in text
    assert "she pays ¥0" in text
