"""Notices sent twice, honestly. Telegram offers no idempotency key: when a whole request
went out and no answer came back, the message may or may not be in the chat. The sender
waits long for an answer, counts every attempt whose fate is unknown in the outbox row,
and stops after three, so a lost answer costs at most three copies, and the store says how
many there may be. The sandbox's accepted timeout delivers the message and answers late.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pytest

from bot.sandbox import Fault, RandomFaults
from bot.services.notices import notify
from scheduling import outbox as sender_module
from tests.harness import Env

ANN = 3100
TEXT = "Your lunch is confirmed."


@dataclass
class AnswerLate:
    """Telegram sends the message to `chat_id` at once and answers `hang` seconds later,
    for the first `times` requests (None: every one)."""

    chat_id: int
    hang: float
    times: int | None = None

    def decide(self, method: str, params: dict[str, Any]) -> Fault | None:
        if method != "sendMessage" or params.get("chat_id") != self.chat_id:
            return None
        if self.times is not None:
            if self.times == 0:
                return None
            self.times -= 1
        return Fault("timeout", hang=self.hang, accepted=True)


async def queue(env: Env, key: str, chat_id: int, text: str) -> None:
    async with env.deps.db.transaction() as tx:
        await notify.text(tx, key, chat_id, text, env.clock.now())
    env.deps.outbox_queued()


async def ann(env: Env) -> Any:
    person = env.user(ANN, "Ann", language_code="en")
    await person.send("/start")
    return person


def copies(person: Any, text: str = TEXT) -> int:
    return [m.text for m in person.messages].count(text)


async def test_a_slow_answer_from_telegram_is_waited_for_not_sent_again(env: Env) -> None:
    """Telegram answers after 5.5 s, past PTB's usual 5 s read timeout: one copy."""
    person = await ann(env)
    env.sandbox.faults = AnswerLate(ANN, hang=5.5, times=1)
    await queue(env, "slow:1", ANN, TEXT)
    await env.drained()
    assert copies(person) == 1
    assert await env.rows("SELECT status, attempts, unsure FROM outbox") == [("sent", 1, 0)]


async def test_when_answers_are_lost_a_notice_goes_out_at_most_three_times(
    env: Env, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Every answer is lost (the message arrives each time): three copies, then the
    sender stops, and the row says each was unsure. The log names the key, not the text."""
    monkeypatch.setattr(sender_module, "ANSWER_TIMEOUT", 0.3, raising=False)
    person = await ann(env)
    env.sandbox.faults = AnswerLate(ANN, hang=1.0)
    await queue(env, "lost:1", ANN, TEXT)
    await env.drained()
    assert copies(person) == 3
    [(status, attempts, unsure, error)] = await env.rows(
        "SELECT status, attempts, unsure, last_error FROM outbox"
    )
    assert (status, attempts, unsure) == ("failed", 3, 3)
    assert "may have arrived" in error
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sum("lost:1" in line for line in warnings) == 3
    assert not any(TEXT in line for line in warnings)


async def test_a_message_caught_mid_request_by_a_crash_is_sent_and_counted_unsure(
    env: Env,
) -> None:
    person = await ann(env)
    async with env.deps.db.transaction() as tx:  # as a process that died mid-request left it
        await notify.text(tx, "crash:1", ANN, TEXT, env.clock.now())
        await tx.execute("UPDATE outbox SET status = 'sending', attempts = 1")
    env.deps.outbox_queued()
    await env.drained()
    assert copies(person) == 1
    assert await env.rows("SELECT status, attempts, unsure FROM outbox") == [("sent", 2, 1)]


async def test_every_extra_copy_under_lost_answers_is_counted_in_the_store(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fifth of the requests time out after Telegram took them: each person sees each
    notice once plus once per unsure attempt of its row, and never loses one."""
    monkeypatch.setattr(sender_module, "ANSWER_TIMEOUT", 0.3, raising=False)
    people = [env.user(3200 + n, f"P{n}", language_code="en") for n in range(6)]
    for person in people:
        await person.send("/start")
    env.sandbox.faults = RandomFaults(share=0.2, seed=3, kinds=("timeout",), hang=1.0, accepted=1)
    for person in people:
        for n in range(3):
            await queue(env, f"many:{person.id}:{n}", person.id, f"Notice {n} for {person.name}")
    await env.drained()

    rows = await env.rows("SELECT key, status, unsure FROM outbox ORDER BY id")
    assert sum(unsure for _, _, unsure in rows) >= 2, "the faults were not exercised"
    # A sent row: its answered copy and one per unsure attempt; a failed one: only those.
    expected = {key: unsure + (status == "sent") for key, status, unsure in rows}
    for person in people:
        for n in range(3):
            seen = copies(person, f"Notice {n} for {person.name}")
            assert seen == expected[f"many:{person.id}:{n}"] >= 1
