"""Storing members: registration in one call, referrals, status changes, promotion, erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.db import SessionMaker
from bot.services import audit, members, privacy, profile, staff
from bot.services.registration import (
    CONSENT_VERSION,
    RegistrationError,
    RegistrationForm,
    register_member,
)
from models import Member, Role, Status
from models.registration import ConsentEvent, Referral
from tests.support import members as support
from tests.support.clock import START
from tests.support.members import make_member

REJO_SARI_TABIR_ILIR = "15.02.14.2004"


def form(**changes: object) -> RegistrationForm:
    values: dict[str, object] = dict(
        external_id="1001", chat_id=1001, full_name="Siti Aminah",
        desa_code=REJO_SARI_TABIR_ILIR, language="id", consent_at=START,
        groups=("petani", "disabilitas"), phone="0812-3456-7890",
    )
    values.update(changes)
    return RegistrationForm(**values)  # type: ignore[arg-type]


async def _member(sessionmaker: SessionMaker, external_id: str) -> Member | None:
    async with sessionmaker() as session:
        return await session.scalar(select(Member).options(selectinload(Member.groups))
                                    .where(Member.external_id == external_id))


def test_test_data_uses_the_current_consent_version() -> None:
    assert support.CONSENT_VERSION == CONSENT_VERSION


async def test_register_stores_everything_in_one_go(seeded: SessionMaker) -> None:
    await register_member(seeded, form())
    member = await _member(seeded, "1001")
    assert member is not None
    assert (member.full_name, member.desa_code, member.phone, member.language) == (
        "Siti Aminah", REJO_SARI_TABIR_ILIR, "+6281234567890", "id")
    assert sorted(g.code for g in member.groups) == ["disabilitas", "petani"]
    assert (member.consent_version, member.consent_at, member.created_at) == (
        CONSENT_VERSION, START, START)
    assert member.is_registered and member.status == Status.ACTIVE and member.role == Role.MEMBER
    async with seeded() as session:
        events = (await session.scalars(select(ConsentEvent))).all()
    assert [(e.member_id, e.action, e.version, e.at) for e in events] == [
        (member.id, "given", CONSENT_VERSION, START)]


@pytest.mark.parametrize(("changes", "message"), [
    ({"full_name": "12345"}, "invalid name"),
    ({"desa_code": "15.02.14"}, "not a desa"),
    ({"desa_code": "99.99.99.9999"}, "not a desa"),
    ({"groups": ("petani", "astronot")}, "unknown group"),
    ({"phone": "0812"}, "invalid phone"),
])
async def test_register_refuses_what_the_chat_should_have_caught(
    seeded: SessionMaker, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(RegistrationError, match=message):
        await register_member(seeded, form(**changes))
    assert await _member(seeded, "1001") is None


async def test_a_staff_row_made_in_advance_is_completed(seeded: SessionMaker) -> None:
    await members.set_role(seeded, "1001", Role.FACILITATOR)
    await register_member(seeded, form())
    member = await _member(seeded, "1001")
    assert member is not None and member.role == Role.FACILITATOR and member.is_registered
    async with seeded() as session:
        assert len((await session.scalars(select(Member))).all()) == 1


async def test_referral_credits_only_staff(seeded: SessionMaker) -> None:
    facilitator = await make_member(seeded, 500, "Bu Fasilitator", role=Role.FACILITATOR)
    await make_member(seeded, 501, "Pak Anggota")
    await register_member(seeded, form(referred_by="500", link_desa=REJO_SARI_TABIR_ILIR,
                                       training_id=7))
    await register_member(seeded, form(external_id="1002", chat_id=1002, referred_by="501"))
    await register_member(seeded, form(external_id="1003", chat_id=1003, referred_by="1003"))
    async with seeded() as session:
        referrals = (await session.scalars(select(Referral))).all()
    siti = await _member(seeded, "1001")
    assert siti is not None
    assert [(r.member_id, r.referred_by_id, r.desa_code, r.training_id) for r in referrals] == [
        (siti.id, facilitator.id, REJO_SARI_TABIR_ILIR, 7)]


async def test_status_changes_never_revive_the_erased(seeded: SessionMaker) -> None:
    member = await make_member(seeded, 1001)
    assert await members.set_status(seeded, member.id, Status.BLOCKED)
    assert not await members.set_status(seeded, member.id, Status.BLOCKED)
    assert await members.set_status(seeded, member.id, Status.ACTIVE)
    assert await privacy.erase_member(seeded, member.id, START)
    assert not await members.set_status(seeded, member.id, Status.ACTIVE)
    gone = await members.get_member(seeded, member.id)
    assert gone is not None and gone.status == Status.DELETED


async def test_profile_changes(seeded: SessionMaker) -> None:
    member = await make_member(seeded, 1001, groups=("petani",))
    await profile.change_name(seeded, member.id, "  Siti   Rahma ")
    await profile.change_desa(seeded, member.id, REJO_SARI_TABIR_ILIR)
    await profile.change_groups(seeded, member.id, ("pemuda", "usaha"))
    await profile.change_phone(seeded, member.id, "6281299998888")
    await profile.change_language(seeded, member.id, "en")
    stored = await profile.load_profile(seeded, member.id)
    assert stored is not None
    assert (stored.full_name, stored.groups, stored.phone, stored.language) == (
        "Siti Rahma", ("pemuda", "usaha"), "+6281299998888", "en")
    assert stored.desa is not None and stored.desa.parent_name == "Tabir Ilir"
    await profile.change_phone(seeded, member.id, None)
    for change, value in [(profile.change_name, "x"), (profile.change_desa, "15.02"),
                          (profile.change_phone, "12"), (profile.change_language, "fr"),
                          (profile.change_groups, ("astronot",))]:
        with pytest.raises(RegistrationError):
            await change(seeded, member.id, value)  # type: ignore[operator]
    stored = await profile.load_profile(seeded, member.id)
    assert stored is not None and stored.phone is None and stored.full_name == "Siti Rahma"


async def test_find_and_promote(seeded: SessionMaker) -> None:
    siti = await make_member(seeded, 1001, "Siti Aminah")
    admin = await make_member(seeded, 1000, "Pak Admin", role=Role.ADMIN)
    await make_member(seeded, 1002, "Sitti Rohani")
    await make_member(seeded, 1003, "Budi 100%_x")
    assert [m.full_name for m in await staff.find_members(seeded, "sit")] == [
        "Siti Aminah", "Sitti Rohani"]
    assert [m.id for m in await staff.find_members(seeded, "1001")] == [siti.id]
    assert [m.id for m in await staff.find_members(seeded, str(siti.id))] == [siti.id]
    assert [m.full_name for m in await staff.find_members(seeded, "100%_")] == ["Budi 100%_x"]
    assert await staff.find_members(seeded, "99999999999") == []
    assert await staff.find_members(seeded, "   ") == []
    assert await staff.make_facilitator(seeded, siti.id, admin)
    assert not await staff.make_facilitator(seeded, siti.id, admin)
    match = await staff.get_match(seeded, siti.id)
    assert match is not None and match.role == Role.FACILITATOR
    assert match.desa_name == "Pasar Bangko" and match.kecamatan_name == "Bangko"
    [entry] = await audit.entries(seeded)
    assert (entry.action, entry.actor_id, entry.subject, entry.details) == (
        "role.changed", admin.id, f"member:{siti.id}", {"from": "member", "to": "facilitator"})


async def test_export_then_erase(seeded: SessionMaker) -> None:
    facilitator = await make_member(seeded, 500, "Bu Fasilitator", role=Role.FACILITATOR)
    await register_member(seeded, form(referred_by="500"))
    siti = await _member(seeded, "1001")
    assert siti is not None
    data = await privacy.export_member(seeded, siti.id, START + timedelta(days=1))
    assert data["member"]["full_name"] == "Siti Aminah"
    assert data["member"]["phone"] == "+6281234567890"
    assert data["member"]["groups"] == ["disabilitas", "petani"]
    assert data["member"]["referral"]["referred_by"] == "Bu Fasilitator"
    assert data["member"]["consents"] == [
        {"action": "given", "version": CONSENT_VERSION, "at": START.isoformat()}]
    assert data["exported_at"] == (START + timedelta(days=1)).isoformat()
    assert privacy.to_json(data).decode().count("Siti Aminah") == 1

    assert await privacy.erase_member(seeded, siti.id, START + timedelta(days=2))
    assert not await privacy.erase_member(seeded, siti.id, START + timedelta(days=2))
    assert await privacy.export_member(seeded, siti.id, START) == {}
    tombstone = await members.get_member(seeded, siti.id)
    assert tombstone is not None
    assert (tombstone.full_name, tombstone.phone, tombstone.desa_code, tombstone.chat_id) == (
        None, None, None, None)
    assert tombstone.external_id == f"deleted-{siti.id}" and not tombstone.is_registered
    assert await members.find_member(seeded, "1001") is None
    async with seeded() as session:
        actions = (await session.scalars(
            select(ConsentEvent.action).where(ConsentEvent.member_id == siti.id)
            .order_by(ConsentEvent.id))).all()
        referral = await session.get(Referral, siti.id)
    assert actions == ["given", "withdrawn"]
    assert referral is not None and referral.referred_by_id == facilitator.id
    assert referral.desa_code is None
    await register_member(seeded, form())
    again = await _member(seeded, "1001")
    assert again is not None and again.id != siti.id
