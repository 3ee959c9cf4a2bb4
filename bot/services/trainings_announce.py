"""Announcing a newly published training to the members it is for, through the broadcast service.

The audience is the training's kecamatan and target groups (no groups = everyone there). Each
language gets its own broadcast, so every member reads the announcement in their own language;
the broadcast's "I'm in" button enrolls them. A training is announced once: a second tap, or a
tap after the training changed, is refused rather than sending twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy import exists, select

from bot.db import SessionMaker
from bot.services import broadcasts
from bot.services.broadcasts import Button
from bot.services.broadcasts_audience import Audience, count_recipients
from bot.services.trainings import may_manage
from models import Member
from models.broadcast import Broadcast, BroadcastStatus, ButtonKind
from models.training import Training, TrainingStatus


class Refusal(StrEnum):
    GONE = "gone"
    """Cancelled, started, or changed since the button was shown."""
    NOT_YOURS = "not_yours"
    ALREADY = "already"
    NOBODY = "nobody"


class AnnounceRefused(ValueError):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True, slots=True)
class Announced:
    broadcast_ids: tuple[int, ...]
    recipients: int


def audience_for(training: Training) -> Audience:
    return Audience(kecamatan=(training.kecamatan_code,), groups=tuple(training.target_groups))


async def reach(sessionmaker: SessionMaker, training: Training) -> int:
    """How many members an announcement would reach now, for the button's label."""
    return await count_recipients(sessionmaker, audience_for(training))


async def _announceable(sessionmaker: SessionMaker, training_id: int, version: int,
                        sender: Member, now: datetime) -> Training:
    async with sessionmaker() as session:
        training = await session.get(Training, training_id)
        if training is None or training.status != TrainingStatus.PUBLISHED \
                or training.starts_at <= now or training.version != version:
            raise AnnounceRefused(Refusal.GONE)
        if not may_manage(sender, training):
            raise AnnounceRefused(Refusal.NOT_YOURS)
        done = await session.scalar(select(exists().where(
            Broadcast.training_id == training_id, Broadcast.button_kind == ButtonKind.JOIN,
            Broadcast.status != BroadcastStatus.CANCELLED)))
        if done:
            raise AnnounceRefused(Refusal.ALREADY)
        return training


async def announce(sessionmaker: SessionMaker, training_id: int, version: int, sender: Member,
                   texts: dict[str, str], now: datetime) -> Announced:
    """One broadcast per language in `texts` that has readers; `BroadcastRefused` passes through
    (a facilitator limited to another kecamatan, say)."""
    training = await _announceable(sessionmaker, training_id, version, sender, now)
    base = audience_for(training)
    made: list[int] = []
    total = 0
    for language, text in texts.items():
        audience = replace(base, languages=(language,))
        count = await count_recipients(sessionmaker, audience)
        if count == 0:
            continue
        broadcast = await broadcasts.create_broadcast(
            sessionmaker, sender_member_id=sender.id, text=text, audience=audience,
            button=Button(ButtonKind.JOIN, training_id=training.id), now=now)
        made.append(broadcast.id)
        total += count
    if not made:
        raise AnnounceRefused(Refusal.NOBODY)
    return Announced(tuple(made), total)
