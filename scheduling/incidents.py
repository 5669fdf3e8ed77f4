"""The incidents' job: an incident nobody took is raised each time its minutes pass.

The store lists every untaken incident with the moment it is raised next
(`incident:5`), until someone takes or closes it; raising is safe to run twice (the
level moves once), and services say when one opened (`deps.jobs_changed`).
"""

from __future__ import annotations

from bot.services.incidents import handling
from scheduling.runner import Kind

KINDS = (Kind("incident:{}", handling.escalate, handling.due, "incident"),)
