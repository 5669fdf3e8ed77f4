"""Routing: who carries which meals, in which order (pure; no Telegram, no database).

`plan_routes` plans a delivery round; `command.run` solves CVRPLIB benchmark files
with the same engine (`doorstep route FILE.vrp`). The solver (PyVRP, with NumPy) is
imported on first use, so that the bot starts without paying for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scheduling.routing.model import Courier, Place, Plan, Stop

if TYPE_CHECKING:
    from scheduling.routing.planner import FAMILIAR_METRES, plan_routes

__all__ = ["FAMILIAR_METRES", "Courier", "Place", "Plan", "Stop", "plan_routes"]


def __getattr__(name: str) -> Any:
    if name in ("FAMILIAR_METRES", "plan_routes"):
        from scheduling.routing import planner

        return getattr(planner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
