"""What the bot counts as it works, for `/metrics` in Prometheus' text format.

Each Application has its own registry (several bots share one process in the tests and
the demo). What the bot does is counted where it happens: updates and their answer time
by the update processor, messages sent and refused by the outbox sender, 429s by the
sender too, failed steps by the job runner. What the store holds (orders by status,
windows closed, deliveries by outcome, the outbox queue) is read from it when scraped.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Seconds from taking an update to having answered it: a tap should feel immediate.
ANSWER_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The bot's counters and the gauges filled from the store when scraped."""

    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        self.updates = Counter(
            "doorstep_updates_handled", "Telegram updates handled", registry=registry
        )
        self.answer_seconds = Histogram(
            "doorstep_answer_seconds",
            "Seconds from taking an update to having handled it",
            buckets=ANSWER_BUCKETS,
            registry=registry,
        )
        self.outbox_sent = Counter(
            "doorstep_outbox_sent", "Outbox messages Telegram accepted", registry=registry
        )
        self.outbox_failed = Counter(
            "doorstep_outbox_failed",
            "Outbox messages given up (refused, blocked or never answered)",
            ["reason"],
            registry=registry,
        )
        self.waited_429 = Counter(
            "doorstep_telegram_429", "Sends Telegram asked to wait (429)", registry=registry
        )
        self.waited_429_seconds = Counter(
            "doorstep_telegram_429_wait_seconds",
            "Seconds Telegram asked to wait",
            registry=registry,
        )
        self.job_failures = Counter(
            "doorstep_job_failures", "Scheduled steps that failed (each try)", registry=registry
        )
        self.outbox = Gauge(
            "doorstep_outbox_messages", "Outbox messages by status", ["status"], registry=registry
        )
        self.orders = Gauge("doorstep_orders", "Orders by status", ["status"], registry=registry)
        self.windows = Gauge(
            "doorstep_windows",
            "Meal windows by state (closed and later)",
            ["state"],
            registry=registry,
        )
        self.deliveries = Gauge(
            "doorstep_deliveries", "Deliveries by state (outcome)", ["state"], registry=registry
        )
        self.last_update = 0.0  # time.time() when an update was last handled; 0: none yet

    def handled(self, seconds: float) -> None:
        """One update handled, in `seconds`."""
        self.updates.inc()
        self.answer_seconds.observe(seconds)
        self.last_update = time.time()

    def fill(self, gauge: Gauge, counts: dict[str, int]) -> None:
        """Set a by-label gauge from fresh counts (labels no longer counted go away)."""
        gauge.clear()
        for label, count in counts.items():
            gauge.labels(label).set(count)

    def text(self) -> bytes:
        """Everything, in Prometheus' text format."""
        return generate_latest(self.registry)
