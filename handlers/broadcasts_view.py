"""How a broadcast looks to its sender: progress, summaries, audience, and the action buttons.

Shared by the composer, the history and the delivery job's progress messages, so a number or
a button reads the same everywhere.
"""

from __future__ import annotations

import html
import math
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.services.broadcasts import Problem, Summary
from bot.services.broadcasts_audience import Audience, Labels
from bot.services.broadcasts_format import visible_text
from bot.services.groups import group_name
from handlers.callbacks import pack
from models.broadcast import BroadcastStatus

# Callback prefixes of this journey ("bc." + what the button does).
CANCEL, CANCEL_YES = "bc.x", "bc.xy"
FIX, WITHDRAW, WITHDRAW_YES = "bc.f", "bc.w", "bc.wy"
REPORT, DETAIL = "bc.r", "bc.d"
EXCERPT = 60
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of the message as plain, escaped text, for lists."""
    plain = " ".join(visible_text(text).split())
    short = plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"
    return html.escape(short)


def eta(tr: Translator, seconds: float) -> str:
    if seconds < 60:
        return tr._("less than a minute")
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return tr.ngettext("about {n} minute", "about {n} minutes", minutes).format(n=minutes)
    hours = round(minutes / 60)
    return tr.ngettext("about {n} hour", "about {n} hours", hours).format(n=hours)


def counts_line(tr: Translator, summary: Summary) -> str:
    counts = summary.counts
    return tr._("✅ Sent: {sent} · ⚠️ Failed: {failed} · ⏭ Skipped: {skipped}").format(
        sent=tr.number(counts.sent), failed=tr.number(counts.failed),
        skipped=tr.number(counts.skipped))


def progress_text(tr: Translator, summary: Summary, *, seconds_left: float,
                  quiet_until: datetime | None) -> str:
    broadcast, counts = summary.broadcast, summary.counts
    lines = [tr._("📣 <b>Broadcast #{id}</b> is being sent.").format(id=broadcast.id)]
    if broadcast.prepared_at is None:
        lines.append(tr._("Preparing the list of recipients…"))
    done = counts.sent + counts.failed + counts.skipped
    lines.append(tr._("{done} of {total} handled.").format(
        done=tr.number(done), total=tr.number(counts.total)))
    lines.append(counts_line(tr, summary))
    if quiet_until is not None:
        lines.append(tr._("🌙 Quiet hours: sending resumes at {time}.").format(
            time=tr.time(quiet_until)))
    elif counts.pending:
        lines.append(tr._("⏳ Time left: {eta}.").format(eta=eta(tr, seconds_left)))
    return "\n".join(lines)


def final_text(tr: Translator, summary: Summary) -> str:
    broadcast = summary.broadcast
    if broadcast.status == BroadcastStatus.CANCELLED:
        head = tr._("⛔ <b>Broadcast #{id}</b> was cancelled.").format(id=broadcast.id)
    else:
        head = tr._("🏁 <b>Broadcast #{id}</b> is finished.").format(id=broadcast.id)
    return "\n".join([head, counts_line(tr, summary)])


def fixed_text(tr: Translator, summary: Summary) -> str:
    broadcast = summary.broadcast
    done = summary.counts.sent - summary.fixes_failed
    if broadcast.withdrawn_at is not None:
        text = tr.ngettext("🗑 Broadcast #{id} was removed from {n} chat.",
                           "🗑 Broadcast #{id} was removed from {n} chats.", done)
    else:
        text = tr.ngettext("✏️ The correction of broadcast #{id} reached {n} message.",
                           "✏️ The correction of broadcast #{id} reached {n} messages.", done)
    lines = [text.format(id=broadcast.id, n=tr.number(done))]
    if summary.fixes_failed:
        lines.append(tr._("⚠️ Not possible for {n} (blocked, or the message is too old).").format(
            n=tr.number(summary.fixes_failed)))
    return "\n".join(lines)


def status_name(tr: Translator, summary: Summary) -> str:
    broadcast = summary.broadcast
    if broadcast.withdrawn_at is not None:
        return tr._("withdrawn")
    return {
        BroadcastStatus.SCHEDULED: tr._("scheduled"),
        BroadcastStatus.SENDING: tr._("sending"),
        BroadcastStatus.DONE: tr._("finished"),
        BroadcastStatus.CANCELLED: tr._("cancelled"),
    }[BroadcastStatus(broadcast.status)]


def history_entry(tr: Translator, summary: Summary) -> str:
    broadcast = summary.broadcast
    moment = broadcast.started_at or broadcast.scheduled_at
    head = tr._("<b>#{id}</b> · {date} {time} · {status}").format(
        id=broadcast.id, date=tr.short_date(moment), time=tr.time(moment),
        status=status_name(tr, summary))
    return "\n".join([head, excerpt(broadcast.text) or "📎", counts_line(tr, summary)])


def actions(tr: Translator, summary: Summary) -> InlineKeyboardMarkup | None:
    """What the sender can still do with this broadcast."""
    broadcast = summary.broadcast
    buttons = []
    if not broadcast.is_finished:
        buttons.append(InlineKeyboardButton(tr._("⛔ Cancel"), callback_data=pack(CANCEL,
                                                                                   broadcast.id)))
    if broadcast.withdrawn_at is None and summary.counts.sent:
        buttons.append(InlineKeyboardButton(tr._("✏️ Correct"),
                                            callback_data=pack(FIX, broadcast.id)))
        buttons.append(InlineKeyboardButton(tr._("🗑 Withdraw"),
                                            callback_data=pack(WITHDRAW, broadcast.id)))
    if summary.counts.total:
        buttons.append(InlineKeyboardButton(tr._("📄 Report"),
                                            callback_data=pack(REPORT, broadcast.id)))
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup(rows) if rows else None


def audience_text(tr: Translator, audience: Audience, labels: Labels,
                  group_names: dict[str, str]) -> str:
    """One line per filter in use, names in the reader's language."""
    if audience.is_everyone:
        return tr._("All active members")
    lines = []
    if audience.kecamatan:
        lines.append(tr._("Kecamatan: {names}").format(names=_names(audience.kecamatan,
                                                                     labels.regions)))
    if audience.desa:
        lines.append(tr._("Desa: {names}").format(names=_names(audience.desa, labels.regions)))
    if audience.groups:
        names = ", ".join(group_name(tr, code, group_names.get(code)) for code in audience.groups)
        lines.append(tr._("Groups: {names}").format(names=html.escape(names)))
    if audience.languages:
        lines.append(tr._("Language: {names}").format(names=", ".join(
            LANGUAGE_NAMES.get(code, code) for code in audience.languages)))
    if audience.trainings:
        lines.append(tr._("Enrolled in: {names}").format(names=_names(audience.trainings,
                                                                       labels.trainings)))
    if audience.commodities:
        index = 0 if tr.language == "id" else 1
        names = {cid: pair[index] for cid, pair in labels.commodities.items()}
        lines.append(tr._("Following prices of: {names}").format(
            names=_names(audience.commodities, names)))
    return "\n".join(lines)


def _names(values: tuple[str, ...] | tuple[int, ...], known: dict[str, str] | dict[int, str]
           ) -> str:
    return html.escape(", ".join(str(known.get(v, v)) for v in values))  # type: ignore[arg-type]


def explain(tr: Translator, problem: Problem) -> str:
    """A refused request, told plainly."""
    return {
        Problem.NOT_ALLOWED: tr._("Sorry, this is only for programme facilitators."),
        Problem.EMPTY: tr._("The message is empty. Send some text, or a photo or a document."),
        Problem.TOO_LONG: tr._("That is too long: a message can have at most 4,096 characters. "
                               "Please shorten it and send it again."),
        Problem.CAPTION_TOO_LONG: tr._("A caption can have at most 1,024 characters. Please "
                                       "shorten it and send it again."),
        Problem.BAD_LINK: tr._("That does not look like a link. Send an address that starts "
                               "with https://"),
        Problem.BAD_LABEL: tr._("The button text must be 1 to 40 characters."),
        Problem.TRAINING_CLOSED: tr._("That training is no longer open. Choose another one."),
        Problem.IN_THE_PAST: tr._("That time has already passed. Choose a later time."),
        Problem.NOT_FOUND: tr._("This broadcast no longer exists."),
        Problem.FINISHED: tr._("This broadcast has already finished."),
        Problem.WITHDRAWN: tr._("This broadcast was withdrawn."),
        Problem.TOO_OLD: tr._("Telegram only lets us delete messages for 48 hours. Send a "
                              "correction instead."),
        Problem.NOTHING_SENT: tr._("Nothing has been sent yet: cancel it instead."),
        Problem.OUT_OF_SCOPE: tr._("You can only send to members of your own kecamatan. "
                                   "Change the recipients."),
    }[problem]
