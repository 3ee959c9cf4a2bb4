"""`run_polling` in pieces, for callers that own the event loop (playground, tests, benchmarks).

PTB calls `post_init`, `post_stop` and `post_shutdown` only from `run_polling`/`run_webhook`;
without them the "/" command lists are never published and journeys' jobs never start.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application


async def start_polling(
    application: Application, poll_timeout: float = 10  # type: ignore[type-arg]
) -> None:
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
    )
    await application.start()


async def stop_polling(application: Application) -> None:  # type: ignore[type-arg]
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
