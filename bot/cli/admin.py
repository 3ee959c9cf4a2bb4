"""`berdaya admin …`: who may run trainings, report prices and broadcast."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from typing import Annotated

import typer

from bot.cli.common import CliError, settings_of
from bot.services import members
from bot.setup import open_database
from models import Role

app = typer.Typer(help="Facilitators and admins.", no_args_is_help=True)


class StaffRole(StrEnum):
    FACILITATOR = "facilitator"
    ADMIN = "admin"


@app.command()
def add(
    ctx: typer.Context,
    telegram_user_id: Annotated[str, typer.Argument(
        metavar="TELEGRAM_USER_ID", help="Numeric Telegram user id (the person may not have "
        "opened the bot yet).",
    )],
    role: Annotated[StaffRole, typer.Option(help="facilitator or admin")] = StaffRole.FACILITATOR,
) -> None:
    """Give a Telegram user the facilitator or admin role."""
    if not telegram_user_id.isdigit() or int(telegram_user_id) <= 0:
        raise CliError(f"TELEGRAM_USER_ID must be a positive number, not {telegram_user_id!r} "
                       "(ask the person to send /start to @userinfobot to learn theirs)")
    settings = settings_of(ctx)

    async def go() -> None:
        async with open_database(settings) as sessionmaker:
            await members.set_role(sessionmaker, telegram_user_id, Role(role))

    asyncio.run(go())
    typer.echo(f"{telegram_user_id} is now {role}")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Show facilitators and admins."""
    settings = settings_of(ctx)

    async def go() -> list[members.StaffEntry]:
        async with open_database(settings) as sessionmaker:
            return await members.list_staff(sessionmaker)

    staff = asyncio.run(go())
    if not staff:
        typer.echo("no facilitators or admins yet: berdaya admin add TELEGRAM_USER_ID --role admin")
    for entry in staff:
        typer.echo(f"{entry.external_id}\t{entry.role}\t{entry.full_name or '(not registered)'}")
