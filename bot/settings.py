"""Settings from the environment and `.env`, plus the canteen file they point at."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.canteen_file import CanteenFile, load_canteen_file
from data.db import POSTGRESQL, SQLITE, target


class Settings(BaseSettings):
    """Process settings; every field reads one environment variable."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    token: SecretStr | None = Field(default=None, validation_alias="TELEGRAM_BOT_TOKEN")
    api_base_url: str = Field(
        default="https://api.telegram.org/bot", validation_alias="TELEGRAM_API_BASE_URL"
    )
    # The store: a SQLite file (a path or sqlite:///path) or a PostgreSQL database
    # (postgresql://user@host/db).
    db: str = Field(default="./doorstep.sqlite3", validation_alias="DOORSTEP_DB")
    tz_name: str = Field(default="Asia/Shanghai", validation_alias="DOORSTEP_TZ")
    admin_ids: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(), validation_alias="DOORSTEP_ADMIN_IDS"
    )
    canteens_path: Path | None = Field(default=None, validation_alias="DOORSTEP_CANTEENS")
    # A scheduled step (a close, the dispatch, a report) failing this long is told to
    # the canteen's staff and the admins; it is tried again all the while.
    step_alert_minutes: int = Field(
        default=3, ge=1, le=1440, validation_alias="DOORSTEP_STEP_ALERT_MINUTES"
    )
    # Webhook mode (off: long polling). The public HTTPS address Telegram posts updates to;
    # the operator's proxy forwards it to webhook_listen:webhook_port, same path.
    webhook_url: str | None = Field(default=None, validation_alias="DOORSTEP_WEBHOOK_URL")
    # Telegram sends it with every update and requests without it are refused; when
    # unset, a new random one is registered at each start.
    webhook_secret: SecretStr | None = Field(
        default=None, validation_alias="DOORSTEP_WEBHOOK_SECRET"
    )
    webhook_listen: str = Field(default="127.0.0.1", validation_alias="DOORSTEP_WEBHOOK_LISTEN")
    webhook_port: int = Field(
        default=8443, ge=1, le=65535, validation_alias="DOORSTEP_WEBHOOK_PORT"
    )

    # The Mini App's web server: off unless a port is given (0 takes any free port).
    web_port: int | None = Field(default=None, ge=0, le=65535, validation_alias="DOORSTEP_WEB_PORT")
    web_host: str = Field(default="127.0.0.1", validation_alias="DOORSTEP_WEB_HOST")
    # The https address the operator's proxy serves it at; the chat's buttons open it.
    web_url: str | None = Field(default=None, validation_alias="DOORSTEP_WEB_URL")
    # How long Telegram's signed initData is accepted after Telegram signed it: a kitchen
    # tablet keeps its board open through a day's service.
    web_login_hours: int = Field(
        default=24, ge=1, le=168, validation_alias="DOORSTEP_WEB_LOGIN_HOURS"
    )

    @field_validator("web_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("must start with https:// (Telegram opens Mini Apps only over https)")
        return value.rstrip("/") if value else value

    # Several `doorstep run` on one PostgreSQL store: the leader holds its lease this long
    # past each renewal (every fifth of it); a standby takes over within about this long
    # of the leader's death.
    lease_seconds: float = Field(
        default=10.0, ge=2.0, le=300.0, validation_alias="DOORSTEP_LEASE_SECONDS"
    )

    @field_validator("api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(
                "must start with http:// or https:// (for example https://api.telegram.org/bot)"
            )
        return value

    # Daily backups (bot/services/upkeep/backups.py): at backup_at, into backup_dir (default:
    # `backups` beside the store), the newest backup_keep kept; 0 turns them off.
    backup_dir: Path | None = Field(default=None, validation_alias="DOORSTEP_BACKUP_DIR")
    backup_keep: int = Field(default=7, ge=0, le=3650, validation_alias="DOORSTEP_BACKUP_KEEP")
    backup_at: time = Field(default=time(3, 30), validation_alias="DOORSTEP_BACKUP_AT")
    # The log: its level, and one JSON object a line instead of text (bot/core/logs.py).
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", validation_alias="DOORSTEP_LOG_LEVEL"
    )
    log_json: bool = Field(default=False, validation_alias="DOORSTEP_LOG_JSON")
    # /healthz and /metrics (bot/health.py): off unless a port is given.
    health_port: int | None = Field(
        default=None, ge=1, le=65535, validation_alias="DOORSTEP_HEALTH_PORT"
    )
    health_listen: str = Field(default="127.0.0.1", validation_alias="DOORSTEP_HEALTH_LISTEN")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be the public https:// address Telegram posts updates to")
        return value or None

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        secret = value.get_secret_value() if value is not None else ""
        if value is not None and not (
            1 <= len(secret) <= 256
            and all(c.isascii() and (c.isalnum() or c in "_-") for c in secret)
        ):
            raise ValueError("must be 1-256 characters: letters, digits, _ and - only")
        return value

    @field_validator("db")
    @classmethod
    def _store(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty (a file path, or postgresql://user@host/database)")
        target(value)  # a URL of another kind is refused with the reason
        return value

    @field_validator("tz_name")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name like Asia/Shanghai)"
            ) from None
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(part.lstrip("-").isdigit() for part in parts):
                raise ValueError("must be Telegram user ids separated by commas, like 1001,1002")
            return tuple(int(part) for part in parts)
        return value

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and ":" not in value.get_secret_value():
            raise ValueError("does not look like a bot token (expected 123456:ABC...)")
        return value

    @property
    def file_base_url(self) -> str:
        """Where files are downloaded from, in PTB's `base_file_url` form: the Bot API's
        convention is `<server>/bot<token>/<method>` and `<server>/file/bot<token>/<path>`."""
        server = self.api_base_url.removesuffix("/").removesuffix("/bot")
        return f"{server}/file/bot"

    @property
    def on_postgres(self) -> bool:
        return target(self.db)[0] == POSTGRESQL

    @property
    def db_path(self) -> Path:
        """The SQLite file (ValueError for a PostgreSQL store)."""
        backend, where = target(self.db)
        if backend != SQLITE:
            raise ValueError("DOORSTEP_DB is a PostgreSQL database, not a file")
        return Path(where)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)


class ConfigError(Exception):
    """A setting or the canteen file is wrong; the message names the key and the reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


ENV_NAMES = {
    "token": "TELEGRAM_BOT_TOKEN",
    "api_base_url": "TELEGRAM_API_BASE_URL",
    "db": "DOORSTEP_DB",
    "tz_name": "DOORSTEP_TZ",
    "admin_ids": "DOORSTEP_ADMIN_IDS",
    "canteens_path": "DOORSTEP_CANTEENS",
    "step_alert_minutes": "DOORSTEP_STEP_ALERT_MINUTES",
    "webhook_url": "DOORSTEP_WEBHOOK_URL",
    "webhook_secret": "DOORSTEP_WEBHOOK_SECRET",
    "webhook_listen": "DOORSTEP_WEBHOOK_LISTEN",
    "webhook_port": "DOORSTEP_WEBHOOK_PORT",
    "backup_dir": "DOORSTEP_BACKUP_DIR",
    "backup_keep": "DOORSTEP_BACKUP_KEEP",
    "backup_at": "DOORSTEP_BACKUP_AT",
    "log_level": "DOORSTEP_LOG_LEVEL",
    "log_json": "DOORSTEP_LOG_JSON",
    "health_port": "DOORSTEP_HEALTH_PORT",
    "health_listen": "DOORSTEP_HEALTH_LISTEN",
    "web_port": "DOORSTEP_WEB_PORT",
    "web_host": "DOORSTEP_WEB_HOST",
    "web_url": "DOORSTEP_WEB_URL",
    "web_login_hours": "DOORSTEP_WEB_LOGIN_HOURS",
    "lease_seconds": "DOORSTEP_LEASE_SECONDS",
}


def _where(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def describe(error: ValidationError, *, prefix: str = "") -> list[str]:
    """One line per problem: `KEY: reason`."""
    lines = []
    for item in error.errors():
        loc = tuple(part for part in item["loc"] if part not in ("function-after",))
        key = ENV_NAMES.get(str(loc[0]), "") if not prefix and loc else ""
        where = key or _where(loc)
        message = str(item["msg"]).removeprefix("Value error, ")
        lines.append(f"{prefix}{where}: {message}")
    return lines


@dataclass(frozen=True)
class Config:
    """Everything validated at start: the settings and the canteen file."""

    settings: Settings
    canteens: CanteenFile


def load_config(*, need_token: bool, env_file: str | None = ".env") -> Config:
    """Read and validate settings and the canteen file; raise ConfigError naming each key."""
    try:
        settings = Settings(_env_file=env_file)
    except ValidationError as error:
        raise ConfigError(describe(error)) from None
    problems: list[str] = []
    if need_token and settings.token is None:
        problems.append("TELEGRAM_BOT_TOKEN: is missing (get one from @BotFather)")
    where = str(settings.canteens_path) if settings.canteens_path else "bundled example"
    try:
        canteens = load_canteen_file(settings.canteens_path)
    except OSError as error:
        raise ConfigError(
            [*problems, f"DOORSTEP_CANTEENS: cannot read {where}: {error.strerror}"]
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            [*problems, f"DOORSTEP_CANTEENS: {where} is not valid TOML: {error}"]
        ) from None
    except ValidationError as error:
        raise ConfigError([*problems, *describe(error, prefix=f"{where}: ")]) from None
    if problems:
        raise ConfigError(problems)
    return Config(settings=settings, canteens=canteens)
