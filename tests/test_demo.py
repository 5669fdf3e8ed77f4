"""`doorstep demo` plays the whole day, and its closing figures agree with the store."""

from __future__ import annotations

import re
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


async def test_the_demo_day_plays_in_english_with_everyone_writing_english(
    config: Config, tmp_path: Path
) -> None:
    """`doorstep demo --lang en`: the same day; no Chinese is left but the language button's
    own name ("Language / 语言"), which is the same in every language on purpose."""
    text, ok = await play(config, tmp_path, "en")
    assert ok, text[text.index("━━ The day in figures") :]
    for chapter in (
        "Wang Xiuying, 82, lives alone: she registers herself and the admin approves",
        "Tom registers his father Zhang Jianguo",
        "Liu Guifang (hardship tier) has no phone: the cook orders for her, and she pays ¥0",
        "nobody opens at Wang Xiuying's",
        "the community admin is told",
        "same as last time",
    ):
        assert chapter in text
    told = text.index("the community admin is told")
    raised = text[told : text.index("━━", told)]  # the incident's card, and nothing besides
    assert raised.count("bot → Director Zhou ▸") == 1, raised
    assert "bot → Director Zhou ▸ ⏰ Nobody has taken incident #1 yet." in raised
    assert "👤 Wang Xiuying" in raised
    assert "bot → Director Zhou ▸ Today at Sunrise Community Canteen (2026-03-02)" in text
    assert "Lunch cooked: 10 portions for 10 orders" in text
    assert "Kitchen CSV rows: 9" in text
    chinese = [
        line
        for line in text.replace("🌐 Language / 语言", "").splitlines()
        if re.search(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]", line)
    ]
    assert chinese == []
