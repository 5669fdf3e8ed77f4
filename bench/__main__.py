"""Run the benchmarks: `python -m bench` runs them all, `python -m bench routing` one.

Each `bench/bench_NAME.py` module has a `main()` that prints what it measured, on
what, and a table, and returns 0 when its targets were met (anything else when not).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

PREFIX = "bench_"


def available() -> list[str]:
    """The benchmark names, from the `bench_*.py` modules next to this file."""
    here = [str(Path(__file__).parent)]
    return sorted(
        m.name.removeprefix(PREFIX) for m in pkgutil.iter_modules(here) if m.name.startswith(PREFIX)
    )


def run(name: str) -> int:
    """Runs one benchmark's `main()`; returns its status (None counts as success)."""
    module = importlib.import_module(f"bench.{PREFIX}{name}")
    main = cast(Callable[[], int | None], module.main)
    print(f"== bench {name}", flush=True)
    return main() or 0


def main(argv: list[str]) -> int:
    """Runs the named benchmarks, or all of them; non-zero if any missed its targets."""
    names = argv or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; have: {', '.join(available())}")
        return 2
    statuses = [run(name) for name in names]
    return 1 if any(statuses) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
