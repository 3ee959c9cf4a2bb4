"""The real bot in a process of its own, for tests that kill it: `python -m tests.support.run_bot
--database URL --base-url URL [--rate N]`. Polls the given (local) Bot API until SIGTERM."""

from __future__ import annotations

import argparse
import logging

from telegram import Update

from bot.app import build_application
from bot.config import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--rate", type=float, default=25)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = Settings(database={"url": args.database},
                        broadcast={"messages_per_second": args.rate, "quiet_hours": []})
    application = build_application(settings, base_url=args.base_url)
    application.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0, timeout=2)


if __name__ == "__main__":
    main()
