"""/healthz and /metrics read over HTTP from the running bot, through a scripted lunch."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.core.clock import ManualClock
from bot.sandbox import Sandbox
from tests.harness import Env, bot_running, free_port, make_config
from tests.test_door_outcomes_e2e import card_of, routed


@pytest.fixture
async def watched(
    sandbox: Sandbox, clock: ManualClock, store: str
) -> AsyncIterator[tuple[Env, str]]:
    """The bot with its health endpoint on, and the endpoint's address."""
    port = free_port()
    config = make_config(sandbox, store, DOORSTEP_HEALTH_PORT=str(port))
    async with bot_running(sandbox, config, clock) as env:
        yield env, f"http://127.0.0.1:{port}"


async def get(url: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        if answer.content_type == "application/json":
            return answer.status, await answer.json()
        return answer.status, await answer.text()


def samples(text: str) -> dict[str, float]:
    """Each sample as 'name{label=value}' -> value."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return found


async def test_health_is_off_unless_a_port_is_set(env: Env) -> None:
    assert env.config.settings.health_port is None
    assert "health" not in env.app.bot_data


@pytest.mark.sqlite_only  # the store's file taken away; a database has none
async def test_healthz_turns_unhealthy_when_the_store_is_gone_and_well_again(
    watched: tuple[Env, str],
) -> None:
    env, base = watched
    status, body = await get(f"{base}/healthz")
    assert status == 200
    assert body["ok"] is True
    assert body["store"] == "reachable"
    assert body["jobs_planned"] > 0
    path = env.config.settings.db_path
    moved = path.with_name("moved-away.sqlite3")
    path.rename(moved)
    status, body = await get(f"{base}/healthz")
    assert status == 503
    assert body["store"] == "unreachable"
    assert body["problems"] == [f"the store file {path} is missing"]
    moved.rename(path)
    status, body = await get(f"{base}/healthz")
    assert status == 200
    assert body["problems"] == []


async def test_metrics_counters_move_with_a_lunch(watched: tuple[Env, str]) -> None:
    env, base = watched
    status, text = await get(f"{base}/metrics")
    assert status == 200
    before = samples(text)
    assert before["doorstep_updates_handled_total"] == 0
    assert before.get("doorstep_deliveries{state=delivered}", 0) == 0

    _, ann, _, _, _ = await routed(env)
    await ann.click("✅ Delivered", message=card_of(ann))
    await env.drained()

    after = samples((await get(f"{base}/metrics"))[1])
    handled = after["doorstep_updates_handled_total"]
    assert handled > 10
    assert after["doorstep_answer_seconds_count"] == handled
    assert after["doorstep_outbox_sent_total"] > before["doorstep_outbox_sent_total"]
    assert after["doorstep_deliveries{state=delivered}"] == 1
    assert after["doorstep_orders{status=delivered}"] == 1
    assert after["doorstep_windows{state=dispatched}"] >= 1
    sent = after["doorstep_outbox_sent_total"]
    assert after["doorstep_outbox_messages{status=sent}"] == sent
    status, body = await get(f"{base}/healthz")
    assert body["last_update_seconds_ago"] is not None
