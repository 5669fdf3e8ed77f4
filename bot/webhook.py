"""Webhook mode: Telegram posts each update to the bot instead of the bot asking for them.

PTB's own webhook server (the `webhooks` extra) listens on `webhook_listen:webhook_port`
at the path of the public URL, registers the URL with setWebhook and a secret token,
and answers 403 to any request that does not carry that secret in the
X-Telegram-Bot-Api-Secret-Token header. TLS is the operator's proxy's job (README,
"Running it for real"). Long polling deletes the webhook as it starts, so going back to
polling needs nothing more than starting without one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram import Update

from bot.settings import Settings


@dataclass(frozen=True)
class WebhookPlan:
    """Where the bot listens and what it registers with Telegram."""

    url: str  # the public address, as registered with setWebhook
    listen: str
    port: int
    secret: str

    @property
    def url_path(self) -> str:
        """The path PTB serves: the public URL's, so a proxy forwards it unchanged."""
        return urlsplit(self.url).path.strip("/")

    def serving(self) -> dict[str, Any]:
        """PTB's webhook arguments (`run_webhook` and `Updater.start_webhook` take the same)."""
        return {
            "listen": self.listen,
            "port": self.port,
            "url_path": self.url_path,
            "webhook_url": self.url,
            "secret_token": self.secret,
            "allowed_updates": Update.ALL_TYPES,
        }


def plan(settings: Settings, url: str | None = None) -> WebhookPlan | None:
    """The webhook from `url` (the command line's) or the settings; None means polling."""
    url = url or settings.webhook_url
    if url is None:
        return None
    secret = settings.webhook_secret
    return WebhookPlan(
        url=url,
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        secret=secret.get_secret_value() if secret else secrets.token_urlsafe(32),
    )
