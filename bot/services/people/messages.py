"""People in words: registration, approval, the team, privacy and erasure, the wellness
watch and the daily check-in.

The services decide (who is asked, who is told, what changed); this module only says it.
"""

from __future__ import annotations

from bot.core.i18n import Html, t


def erased_name(lang: str, resident_id: int) -> Html:
    """How an erased senior is named wherever her name was: 'erased resident #7'."""
    return t(lang, "admin.report.erased", id=resident_id)
