"""What every handler and job needs, built once in the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.settings import Config
from data.db import Database


@dataclass
class Deps:
    config: Config
    db: Database
    clock: Clock
