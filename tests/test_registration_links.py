"""Poster links: `/start <payload>` pre-fills the desa and credits the facilitator, and
`berdaya link` prints the link and writes its QR code."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from bot import migrations
from bot.app import PLACEHOLDER_TOKEN
from bot.db import SessionMaker, create_engine, create_sessionmaker
from bot.playground.botapi import FakeBotApi
from bot.services import deeplinks, members, regions
from bot.services.deeplinks import LinkPayload
from handlers import trainings
from models import Base, Role
from models.registration import Referral
from tests.support.harness import BotHarness, TestUser
from tests.support.members import make_member
from tests.support.wizard import stored, tap_exact

REJO_SARI_TABIR_ILIR = "15.02.14.2004"
ROOT = Path(__file__).resolve().parents[1]


async def test_poster_link_prefills_the_desa_and_credits_the_facilitator(
    harness: BotHarness,
) -> None:
    facilitator = await make_member(harness.sessionmaker, 500, "Bu Fasil", role=Role.FACILITATOR)
    payload = deeplinks.encode(LinkPayload(REJO_SARI_TABIR_ILIR, None, 500))
    user = harness.user(1001, "Siti")
    await user.send(f"/start {payload}")
    await user.tap("Setuju")
    await user.send("Siti Aminah")
    assert "Apakah ini benar?" in user.text
    assert "Rejo Sari, Kecamatan Tabir Ilir" in user.text
    await user.tap("Ya, benar")
    await user.tap("Selesai")
    await user.tap("Tidak")
    await user.tap("Lewati")
    assert "Rejo Sari, Kecamatan Tabir Ilir" in user.text
    await user.tap("Benar")
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.desa_code == REJO_SARI_TABIR_ILIR
    async with harness.sessionmaker() as session:
        referral = await session.scalar(select(Referral))
    assert referral is not None
    assert (referral.member_id, referral.referred_by_id, referral.desa_code) == (
        member.id, facilitator.id, REJO_SARI_TABIR_ILIR)


async def test_the_suggested_desa_can_be_refused(harness: BotHarness) -> None:
    payload = deeplinks.encode(LinkPayload(REJO_SARI_TABIR_ILIR))
    user = harness.user(1001, "Siti")
    await user.send(f"/start {payload}")
    await user.tap("Setuju")
    await user.send("Siti Aminah")
    await user.tap("Tidak")
    assert len(user.buttons) == 24
    await tap_exact(user, "Bangko")
    await tap_exact(user, "Pasar Bangko")
    assert "kelompok" in user.text


@pytest.mark.parametrize("payload", [
    "bm90LWEtcGF5bG9hZA",  # base64 of "not-a-payload"
    deeplinks.encode(LinkPayload("15.02.14")),  # a kecamatan, not a desa
    deeplinks.encode(LinkPayload("99.99.99.9999", None, 777)),  # unknown desa and person
])
async def test_a_bad_link_is_a_plain_start(harness: BotHarness, payload: str) -> None:
    user = harness.user(1001, "Siti")
    await user.send(f"/start {payload}")
    await user.tap("Setuju")
    await user.send("Siti Aminah")
    assert len(user.buttons) == 24
    await tap_exact(user, "Bangko")
    await tap_exact(user, "Pasar Bangko")
    await user.tap("Selesai")
    await user.tap("Tidak")
    await user.tap("Lewati")
    await user.tap("Benar")
    member = await stored(harness.sessionmaker, 1001)
    assert member is not None and member.desa_code == "15.02.02.1010"
    async with harness.sessionmaker() as session:
        assert (await session.scalars(select(Referral))).all() == []


try:
    from tests.support.trainings import make_training
except ImportError:  # the trainings journey is not installed
    make_training = None

needs_trainings = pytest.mark.skipif(
    make_training is None or getattr(trainings, "offer_training", None) is None,
    reason="the trainings journey has no offer_training yet",
)


def _after(user: TestUser, marker: int) -> str:
    return "\n".join(item.text or item.caption or "" for item in user.sim.replies_since(marker))


@needs_trainings
async def test_a_training_link_offers_the_training_after_registering(
    harness: BotHarness,
) -> None:
    assert make_training is not None
    training = await make_training(harness.sessionmaker)
    user = harness.user(1001, "Siti")
    await user.send(f"/start {deeplinks.encode(LinkPayload(REJO_SARI_TABIR_ILIR, training.id))}")
    await user.tap("Setuju")
    await user.send("Siti Aminah")
    await user.tap("Ya, benar")
    await user.tap("Selesai")
    await user.tap("Tidak")
    await user.tap("Lewati")
    marker = await user.sim.tap("Benar")
    await harness.processed(marker)
    replies = _after(user, marker)
    assert "Terima kasih, Siti Aminah" in replies and training.title in replies


@needs_trainings
async def test_a_registered_member_with_a_training_link_is_offered_it(
    harness: BotHarness,
) -> None:
    assert make_training is not None
    training = await make_training(harness.sessionmaker)
    await make_member(harness.sessionmaker, 1001, "Siti Aminah")
    user = harness.user(1001, "Siti")
    marker = await user.sim.send(f"/start {deeplinks.encode(LinkPayload(None, training.id))}")
    await harness.processed(marker)
    replies = _after(user, marker)
    assert "Selamat datang kembali" in replies and training.title in replies
    marker = await user.sim.send(f"/start {deeplinks.encode(LinkPayload(None, 999_999))}")
    await harness.processed(marker)
    assert "/jadwal" in _after(user, marker)


async def berdaya(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """The real command in a child process; async so the local Bot API keeps answering."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BERDAYA_")}
    clean.update(env, PYTHONPATH=str(ROOT))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=clean,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.fixture
async def cli_env(tmp_path: Path) -> dict[str, str]:
    """A seeded database file with facilitator 500, prepared in-process (fast)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    engine = create_engine(url)
    try:
        await migrations.upgrade(engine)
        sessionmaker = create_sessionmaker(engine)
        await regions.seed_regions(sessionmaker,
                                   regions.parse_regions(regions.default_region_text()))
        await members.set_role(sessionmaker, "500", Role.FACILITATOR)
    finally:
        await engine.dispose()
    return {"BERDAYA_DATABASE__URL": url}


def _url(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("https://"))


def _payload(url: str) -> LinkPayload | None:
    return deeplinks.decode(parse_qs(urlparse(url).query)["start"][0])


async def test_link_command_prints_the_link_and_writes_a_qr_code(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "BERDAYA_TELEGRAM__BOT_USERNAME": "@BerdayaMeranginBot"}
    code, out, err = await berdaya("link", "--desa", "15.02.02.1010", "--by", "500", "--out",
                                   "poster.png", cwd=tmp_path, env=env)
    assert code == 0, err
    url = _url(out)
    assert url.startswith("https://t.me/BerdayaMeranginBot?start=")
    assert _payload(url) == LinkPayload("15.02.02.1010", None, 500)
    assert (tmp_path / "poster.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(("args", "expected"), [
    (("--desa", "15.02.02"), "15.02.02 is not a desa or kelurahan"),
    (("--desa", "15.02.02.1010", "--by", "budi"), "numeric Telegram user id"),
    (("--desa", "15.02.02.1010"), "bot_username"),
])
async def test_link_command_errors_are_one_line(
    tmp_path: Path, cli_env: dict[str, str], args: tuple[str, ...], expected: str
) -> None:
    env = cli_env if expected == "bot_username" else {
        **cli_env, "BERDAYA_TELEGRAM__BOT_USERNAME": "BerdayaBot"}
    code, _, err = await berdaya("link", *args, cwd=tmp_path, env=env)
    errors = [line for line in err.splitlines() if "error" in line.lower()]
    assert code == 1 and "Traceback" not in err and len(errors) == 1
    assert expected in errors[0]


async def test_link_command_asks_telegram_for_the_bot_name(
    tmp_path: Path, cli_env: dict[str, str], api: FakeBotApi
) -> None:
    env = {**cli_env, "BERDAYA_TELEGRAM__TOKEN": PLACEHOLDER_TOKEN,
           "BERDAYA_TELEGRAM__BASE_URL": api.base_url}
    code, out, err = await berdaya("link", "--desa", "15.02.02.1010", "--training", "5",
                                   cwd=tmp_path, env=env)
    if "trainings" in Base.metadata.tables:
        assert code == 1 and "there is no training 5" in err
        return
    assert code == 0, err
    assert _url(out).startswith("https://t.me/BerdayaBot?start=")
    assert [c.method for c in api.calls] == ["getMe"]


async def test_what_a_link_may_point_at(seeded: SessionMaker) -> None:
    await make_member(seeded, 500, "Bu Fasil", role=Role.FACILITATOR)
    await make_member(seeded, 501, "Pak Anggota")
    assert await deeplinks.check_targets(seeded, LinkPayload("15.02.02.1010", None, 500)) == []
    problems = await deeplinks.check_targets(seeded, LinkPayload("15.02.02", None, 501))
    assert problems == [
        "15.02.02 is not a desa or kelurahan in the region table (berdaya db seed loads it)",
        "501 is not a facilitator (berdaya admin add 501 --role facilitator)",
    ]
    assert await deeplinks.check_targets(seeded, LinkPayload(None, None, 777)) == [
        "777 is not a facilitator (berdaya admin add 777 --role facilitator)"]
