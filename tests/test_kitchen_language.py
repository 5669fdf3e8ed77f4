"""A canteen whose cooks read English gets its kitchen sheet in English."""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.canteen_file import CanteenFile, example_text
from bot.core.clock import ManualClock
from bot.sandbox import Sandbox
from bot.services.kitchen import receipt
from tests.harness import KITCHEN_CHAT, Env, bot_running, make_config
from tests.test_kitchen_e2e import add_resident, lunch, order


@pytest.fixture
async def english_kitchen(
    sandbox: Sandbox, clock: ManualClock, tmp_path: Path
) -> AsyncIterator[Env]:
    text = example_text().replace('kitchen_language = "zh"', 'kitchen_language = "en"')
    canteens = CanteenFile.model_validate(tomllib.loads(text))
    config = make_config(sandbox, tmp_path / "db.sqlite3", canteens)
    async with bot_running(sandbox, config, clock) as env:
        yield env


async def test_the_kitchen_sheet_is_in_the_canteens_kitchen_language(
    english_kitchen: Env,
) -> None:
    env = english_kitchen
    resident = await add_resident(env, 3001, "Wang", diet="low_salt", language="zh")
    placed = await order(env, 3001, resident, "A", 2, "delivery")
    await receipt.confirm(env.deps, 9000, placed)
    await env.advance(minutes=90)  # 09:30: lunch closes
    await env.drained()
    sheet = env.sandbox.chat(KITCHEN_CHAT).messages[0].text
    assert "Set A: steamed sea bass, greens, rice: 2" in sheet
    assert "low salt" in sheet.lower()
    assert "厨房单" not in sheet
    assert (await lunch(env)).state == "closed"
