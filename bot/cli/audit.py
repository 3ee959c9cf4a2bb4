"""`berdaya audit --since DATE`: the audit trail of staff actions, one tab-separated line each."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, time, tzinfo
from typing import Annotated

import typer

from bot.cli.common import CliError, settings_of
from bot.services import audit as trail
from bot.services.audit import CLI, Entry
from bot.setup import open_database


def parse_since(value: str, tz: tzinfo, now: datetime) -> datetime:
    """Local midnight of a YYYY-MM-DD day that is not in the future."""
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise CliError(f"--since must be a date like 2026-03-02, not {value!r}") from None
    today = now.astimezone(tz).date()
    if day > today:
        raise CliError(f"--since {value} is in the future (today is {today.isoformat()})")
    return datetime.combine(day, time(), tzinfo=tz)


def _actor(entry: Entry) -> str:
    if entry.actor_id is None:
        return CLI if entry.actor_role == CLI else "-"
    name = " ".join((entry.actor_name or "").split())
    return f"{name} #{entry.actor_id}" if name else f"#{entry.actor_id}"


def line(entry: Entry, tz: tzinfo) -> str:
    """Time (local), actor, role, action, subject, details as compact JSON."""
    details = json.dumps(entry.details, ensure_ascii=False, sort_keys=True,
                         separators=(",", ":"))
    return "\t".join([entry.at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z"), _actor(entry),
                      entry.actor_role, entry.action, entry.subject or "-", details])


def audit(
    ctx: typer.Context,
    since: Annotated[str, typer.Option(
        "--since", metavar="DATE", help="First day to show, YYYY-MM-DD (from local midnight).",
    )],
    limit: Annotated[int | None, typer.Option(
        "--limit", min=1, help="Only the newest N entries since DATE.",
    )] = None,
    action: Annotated[str | None, typer.Option(
        "--action", metavar="PREFIX", help="Only actions starting with PREFIX, e.g. training "
        "or broadcast.withdrawn.",
    )] = None,
) -> None:
    """Print facilitators' and admins' actions since DATE, oldest first, one per line:
    time (WIB), actor (name #id, or cli), role, action, subject, details (JSON)."""
    settings = settings_of(ctx)
    tz = settings.program.tz
    start = parse_since(since, tz, datetime.now(tz))

    async def go() -> list[Entry]:
        async with open_database(settings) as sessionmaker:
            return await trail.entries(sessionmaker, since=start, limit=limit, action=action)

    found = asyncio.run(go())
    if not found:
        what = f" matching {action!r}" if action else ""
        typer.echo(f"no audit entries{what} since {start.date().isoformat()}")
        return
    for entry in reversed(found):
        typer.echo(line(entry, tz))
