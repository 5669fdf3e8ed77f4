"""Start and stop a built Application by hand (the demo and the tests run it in-process)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update
from telegram.ext import Application


@asynccontextmanager
async def running(
    app: Application,  # type: ignore[type-arg]
    *,
    poll_timeout: int = 1,
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """What `run_polling` does, without owning the event loop: init, poll, and shut down."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0.0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
    )
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
