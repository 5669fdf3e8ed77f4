"""Typed words: what understanding a typed message costs the bot, per message.

Every private text that no button took is looked up as typed words (`handlers.home
.candidates`), and inside a question as a choice (`bot.core.words.choose`). Measured on a mix
of what seniors type (short phrases in both languages, numbers, a dish's code) and what a
client can paste (4,000 characters), each timed alone, many rounds, each time as a text
never seen before (the questions' labels are already known, as they are in the bot).
"""

from __future__ import annotations

import time

from bench._common import Target, header, percentile, table, verdicts
from bot.core.words import choose, normalise
from handlers.home import candidates

ROUNDS = 2000
TARGET_P99_MS = 1.0  # a lookup must never be what an update waits for
TYPED = [
    "订餐",
    "我要午饭",
    "请帮我订餐吧",
    "ｍｙ　ｏｒｄｅｒｓ",
    "I want lunch please",
    "Order a meal",
    "the weather is nice today, how are you doing?",
    "两份",
    "A",
    "今天午餐",
    "asdf " * 800,  # a pasted page (4,000 characters)
]
DISHES = {
    "Set A: steamed sea bass, greens, rice · ¥9.00": "1",
    "Set B: braised pork, potato, rice · ¥7.50": "2",
    "Set C: mixed vegetables, tofu soup, soft rice · ¥6.00": "3",
    "Minced chicken congee (easy to swallow) · ¥5.00": "4",
    "⚠️ 套餐A：清蒸鲈鱼、青菜、米饭 · ¥9.00": "5",
}
CODES = {"A": "1", "B": "2", "C": "3", "P": "4"}


def fresh() -> None:
    """Forget every text seen (a senior's message is new), keep the questions' labels."""
    normalise.cache_clear()
    for label in [*DISHES, *CODES]:
        normalise(label)


def timed(look_up: str, text: str) -> list[float]:
    millis = []
    for _ in range(ROUNDS):
        fresh()
        start = time.perf_counter()
        if look_up == "intent":
            candidates(text)
        else:
            choose(text, DISHES, CODES)
        millis.append((time.perf_counter() - start) * 1000)
    return sorted(millis)


def main() -> int:
    header(f"Typed words: one lookup per message, {len(TYPED)} texts x {ROUNDS} rounds each")
    rows, worst = [], 0.0
    for look_up in ("intent", "choice"):
        spent = [ms for text in TYPED for ms in timed(look_up, text)]
        spent.sort()
        p50, p99 = percentile(spent, 50), percentile(spent, 99)
        worst = max(worst, p99)
        rows.append([look_up, f"{p50 * 1000:.1f}", f"{p99 * 1000:.1f}", f"{spent[-1] * 1000:.1f}"])
    table(["lookup", "p50 µs", "p99 µs", "max µs"], rows)
    return verdicts([Target("typed-word lookup, p99", worst, TARGET_P99_MS, "ms")])
