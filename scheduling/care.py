"""The jobs that look after seniors beyond the meal: incidents and feedback.

An incident nobody took is raised each time its minutes pass: the store lists every
untaken incident with the moment it is raised next (`incident:5`), until someone takes
or closes it; raising is safe to run twice (the level moves once), and services say
when one opened (`deps.jobs_changed`). The staff's digest of the day's meal ratings goes
out at each canteen's daily summary time (`admin:feedback:canteen:1`), once a day; and
on the 1st each volunteer is thanked for last month's rounds (`admin:thanks:canteen:1`).
"""

from __future__ import annotations

from bot.services.feedback import rating
from bot.services.incidents import handling
from bot.services.volunteering import hours
from scheduling.admin_jobs import MONTHLY_AT, admin_kind
from scheduling.runner import Kind

KINDS = (
    Kind("incident:{}", handling.escalate, handling.due, "incident"),
    admin_kind("feedback", rating.digest, lambda spec: spec.daily_summary),
    admin_kind("thanks", hours.thank, lambda _: MONTHLY_AT, every="month"),
)
