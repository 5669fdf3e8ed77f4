"""Routing: who carries which meals, in which order (pure; no Telegram, no database).

`plan_routes` plans a delivery round; `command.run` solves CVRPLIB benchmark files
with the same engine (`doorstep route FILE.vrp`).
"""

from scheduling.routing.model import Courier, Place, Plan, Stop
from scheduling.routing.planner import FAMILIAR_METRES, plan_routes

__all__ = ["FAMILIAR_METRES", "Courier", "Place", "Plan", "Stop", "plan_routes"]
