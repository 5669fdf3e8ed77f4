"""What the benchmarks share: the machine line, percentiles, tables, verdicts, RSS."""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from telegram.ext import AIORateLimiter

REPO = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024


def machine() -> str:
    """CPU count, Python, platform and the load average now, in one line."""
    one, five, _ = os.getloadavg()
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return (
        f"on {os.cpu_count()} CPUs, {python}, {platform.system()} {platform.release()}, "
        f"load average {one:.2f} (1 min) {five:.2f} (5 min)"
    )


def header(what: str) -> None:
    """Say what is measured and on what, before the figures."""
    print(what)
    print(machine())


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` percentile (0..100) by linear interpolation; nan when empty."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return values[0] if share <= 0 else cuts[min(int(share), 99) - 1]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print rows under headers; the first column left-aligned, the others right."""
    cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        first = row[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        print("  ".join([first, *rest]).rstrip())


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return str(value)


@dataclass(frozen=True)
class Target:
    """One target: what was measured against what was wanted."""

    name: str
    measured: float
    limit: float
    unit: str
    at_least: bool = False  # True: the figure must reach the limit; False: stay under it

    @property
    def met(self) -> bool:
        if self.at_least:
            return self.measured >= self.limit
        return self.measured < self.limit

    def line(self) -> str:
        sign = ">=" if self.at_least else "<"
        verdict = "PASS" if self.met else "MISS"
        return (
            f"{verdict}  {self.name}: {self.measured:.2f} {self.unit} "
            f"(target {sign} {self.limit:g} {self.unit})"
        )


def verdicts(targets: Sequence[Target]) -> int:
    """Print a PASS/MISS line per target; 0 when all were met."""
    for target in targets:
        print(target.line())
    sys.stdout.flush()
    return 0 if all(t.met for t in targets) else 1


def rss_mib(pid: int | str = "self") -> float:
    """Resident set size of a process in MiB, from /proc/PID/status (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / MIB
    raise LookupError(f"no VmRSS for process {pid}")


def bench_env() -> dict[str, str]:
    """The environment for a child process: this repo importable, PTB durations as timedelta."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env["PTB_TIMEDELTA"] = "true"
    return env


@contextlib.contextmanager
def ptb_limits(scale: float | None) -> Iterator[None]:
    """While building the app: PTB's AIORateLimiter with its overall and group rates
    multiplied by `scale` (None: no overall or group limit), so a benchmark that scales
    Telegram's limits, or lifts them as the floor bot has none, scales PTB's the same."""
    from bot import app as bot_app

    shipped = bot_app.AIORateLimiter

    def scaled(max_retries: int) -> AIORateLimiter:
        if scale is None:
            return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=max_retries)
        return AIORateLimiter(
            overall_max_rate=30 * scale, group_max_rate=20 * scale, max_retries=max_retries
        )

    bot_app.AIORateLimiter = scaled  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        bot_app.AIORateLimiter = shipped  # type: ignore[misc]
