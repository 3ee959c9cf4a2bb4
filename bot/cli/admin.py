"""`berdaya admin …`: who may run trainings, report prices and broadcast."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from typing import Annotated

import typer

from bot.cli.common import CliError, settings_of
from bot.services import members, places, staff
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
        area = f"\tkecamatan {entry.scope_kecamatan}" if entry.scope_kecamatan else ""
        typer.echo(f"{entry.external_id}\t{entry.role}\t{entry.full_name or '(not registered)'}"
                   f"{area}")


@app.command()
def scope(
    ctx: typer.Context,
    telegram_user_id: Annotated[str, typer.Argument(
        metavar="TELEGRAM_USER_ID", help="The facilitator's numeric Telegram user id.")],
    kecamatan: Annotated[str | None, typer.Argument(
        help="Kecamatan code (15.02.02) or name (Bangko); leave out with --all.")] = None,
    everywhere: Annotated[bool, typer.Option(
        "--all", help="Lift the limit: the whole kabupaten.")] = False,
) -> None:
    """Limit a facilitator to one kecamatan: they see and message only members there."""
    if (kecamatan is None) == (not everywhere):
        raise CliError("give either a KECAMATAN or --all")
    settings = settings_of(ctx)

    async def go() -> str:
        async with open_database(settings) as sessionmaker:
            member = await members.find_member(sessionmaker, telegram_user_id)
            if member is None or member.role != Role.FACILITATOR:
                raise CliError(f"{telegram_user_id} is not a facilitator "
                               "(berdaya admin list shows who is)")
            place = None
            if kecamatan is not None:
                place = await places.find_kecamatan(sessionmaker, kecamatan)
                if place is None:
                    raise CliError(f"no kecamatan {kecamatan!r} in the region table")
            changed = await staff.set_scope(sessionmaker, member.id,
                                            place.code if place else None, actor=None)
            area = f"kecamatan {place.name} ({place.code})" if place else "the whole kabupaten"
            return f"{telegram_user_id} now works in {area}" if changed else \
                f"nothing changed: {telegram_user_id} already works in {area}"

    typer.echo(asyncio.run(go()))
