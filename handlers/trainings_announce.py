"""Right after publishing: offer to announce the training to the members it is for.

The offer names how many members it would reach; one tap hands the announcement to the
broadcast service, which paces it and reports its progress like any broadcast.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BerdayaContext
from bot.i18n import LANGUAGES
from bot.jobs import broadcasts_app as delivery
from bot.services import trainings, trainings_announce
from bot.services.broadcasts import BroadcastRefused
from bot.services.trainings_announce import AnnounceRefused, Refusal
from handlers import broadcasts_view
from handlers.callbacks import pack, pattern, unpack
from handlers.guards import staff_only
from handlers.trainings_form_core import send, settle_tap
from handlers.trainings_render import card, keyboard
from models.training import Training

ANNOUNCE, SKIP = "tr.an", "tr.as"

log = logging.getLogger("berdaya.trainings")


async def offer(update: Update, context: BerdayaContext, training: Training, text: str) -> None:
    """The "published" message, with the announce choice when anyone would receive it."""
    tr = context.tr
    count = await trainings_announce.reach(context.runtime.sessionmaker, training)
    if count == 0:
        await send(update, context, text + "\n\n" + tr._(
            "No registered member lives in that kecamatan and group yet, so there is no one to "
            "announce it to."))
        return
    await send(update, context, text + "\n\n" + tr._(
        "Announce it now to the members it is for? They get the training with an “I'm in” "
        "button."), keyboard([
            [(tr.ngettext("📣 Announce to {n} member", "📣 Announce to {n} members", count).format(
                n=tr.number(count)), pack(ANNOUNCE, training.id, training.version))],
            [(tr._("Not now"), pack(SKIP))]]))


def _texts(context: BerdayaContext, view: trainings.TrainingView) -> dict[str, str]:
    texts = {}
    for language in LANGUAGES:
        tr = context.runtime.translator(language)
        texts[language] = "\n".join([
            tr._("📣 <b>New training near you</b>"), "", card(tr, view, full=True, live=False),
            "", tr._("Tap “I'm in” to take a seat, or see more trainings with /jadwal.")])
    return texts


@staff_only
async def announce_tapped(update: Update, context: BerdayaContext) -> None:
    query = update.callback_query
    assert query is not None and context.member is not None
    tr, runtime = context.tr, context.runtime
    fields = unpack(update, int, int)
    if fields is None:
        await query.answer()
        return
    view = await trainings.get_training(runtime.sessionmaker, fields[0])
    try:
        if view is None:
            raise AnnounceRefused(Refusal.GONE)
        done = await trainings_announce.announce(
            runtime.sessionmaker, fields[0], fields[1], context.member,
            _texts(context, view), runtime.now())
    except AnnounceRefused as refused:
        await query.answer(_refusal(context, refused.refusal), show_alert=True)
        if refused.refusal != Refusal.NOT_YOURS:
            await settle_tap(update)
        return
    except BroadcastRefused as refused:
        await query.answer(broadcasts_view.explain(tr, refused.problem), show_alert=True)
        return
    await settle_tap(update, tr.ngettext(
        "📣 Being announced to {n} member. Follow it in /siaran_riwayat.",
        "📣 Being announced to {n} members. Follow it in /siaran_riwayat.",
        done.recipients).format(n=tr.number(done.recipients)))
    log.info("training %s announced in broadcasts %s", fields[0], done.broadcast_ids)
    delivery.wake_engine(context.application)


def _refusal(context: BerdayaContext, refusal: Refusal) -> str:
    tr = context.tr
    return {
        Refusal.GONE: tr._("This training was changed, cancelled or has started: nothing was "
                           "announced. Open it again from /pelatihan_kelola."),
        Refusal.NOT_YOURS: tr._("Only the facilitator who published it, or an admin, can "
                                "announce this training."),
        Refusal.ALREADY: tr._("This training was already announced. See /siaran_riwayat."),
        Refusal.NOBODY: tr._("No registered member matches this training yet: nothing was "
                             "announced."),
    }[refusal]


async def skip_tapped(update: Update, context: BerdayaContext) -> None:
    await settle_tap(update, context.tr._("Not now"))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(announce_tapped, pattern=pattern(ANNOUNCE)))
    application.add_handler(CallbackQueryHandler(skip_tapped, pattern=pattern(SKIP)))
