"""How a training reads in the chat: category and organizer names, the card, the buttons' data.

Shared by the member screens, the facilitator screens and the notice job, so a training looks
the same wherever it appears. Everything a facilitator typed is escaped here.
"""

from __future__ import annotations

import html
from datetime import date, datetime

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.services.groups import group_name
from bot.services.trainings import TrainingView
from models.training import Category, EnrollmentStatus, OrganizerKind, Training

CATEGORY_NAMES = {
    Category.SEWING: N_("🧵 Sewing"),
    Category.HANDICRAFT: N_("🧶 Handicraft"),
    Category.CULTIVATION: N_("🌱 Crop growing"),
    Category.ORGANIC: N_("🍃 Organic farming"),
    Category.PROCESSING: N_("☕ Crop processing"),
    Category.MANAGEMENT: N_("📒 Farm management"),
    Category.DIGITAL: N_("📱 Digital marketing"),
    Category.FINANCE: N_("💰 Finance & cooperatives"),
    Category.OTHER: N_("📌 Other"),
}
ORGANIZER_KINDS = {
    OrganizerKind.PEMDA: N_("Local government"),
    OrganizerKind.LSM: N_("NGO"),
    OrganizerKind.SWASTA: N_("Private partner"),
}
MARKS = {
    EnrollmentStatus.ENROLLED: N_("✅ You are enrolled."),
    EnrollmentStatus.WAITLISTED: N_("⏳ You are on the waitlist."),
    EnrollmentStatus.OFFERED: N_("🎟 A seat is being held for you."),
}
LIST_NOTE_MAX = 120

# Callback prefixes of this journey ("tr." + what the button does).
LIST, CATEGORY, DETAIL = "tr.l", "tr.k", "tr.d"
ENROLL, CONFIRM, WAITLIST, NOT_NOW = "tr.e", "tr.y", "tr.w", "tr.n"
WITHDRAW, WITHDRAW_YES = "tr.q", "tr.qy"
OFFER_TAKE, OFFER_DECLINE = "tr.o", "tr.od"
RATE, RATE_SKIP = "tr.r", "tr.rs"
MANAGE, MANAGE_EDIT, MANAGE_CANCEL, MANAGE_CANCEL_YES, MANAGE_PEOPLE = (
    "tr.m", "tr.me", "tr.mc", "tr.mcy", "tr.mp")
SHEET, SHEET_PAGE, SHEET_TOGGLE, SHEET_CODE = "tr.h", "tr.hp", "tr.ht", "tr.hc"
FORM = "tr.f"
JOURNEY = "tr."


def keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """Inline buttons from rows of (label, callback data)."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=callback)
                                  for label, callback in row] for row in rows])


def grid(items: list[tuple[str, str]], per_row: int) -> list[list[tuple[str, str]]]:
    return [items[i:i + per_row] for i in range(0, len(items), per_row)]


def category_name(tr: Translator, code: str) -> str:
    label = CATEGORY_NAMES.get(code)  # type: ignore[call-overload]
    return tr._(label) if label else code


def organizer_kind_name(tr: Translator, code: str) -> str:
    label = ORGANIZER_KINDS.get(code)  # type: ignore[call-overload]
    return tr._(label) if label else code


def _clock(tr: Translator, moment: datetime) -> str:
    """`09.00` without the zone, for the first half of a range."""
    return tr.time(moment).rsplit(" ", 1)[0]


def when(tr: Translator, training: Training) -> str:
    """`Kamis, 5 Maret 2026, 09.00–12.00 WIB`, or both dates for a training over several days."""
    start, end = training.starts_at, training.ends_at
    if start.astimezone(tr.tz).date() == end.astimezone(tr.tz).date():
        return f"{tr.date(start)}, {_clock(tr, start)}–{tr.time(end)}"
    return f"{tr.date(start)}, {tr.time(start)} – {tr.date(end)}, {tr.time(end)}"


def day_button(tr: Translator, day: date) -> str:
    """`Kam 5/3`: short enough for three buttons in a row."""
    return format_date(day, "EEE d/M", locale=tr.language)


def place(view: TrainingView) -> str:
    training = view.training
    return (f"{html.escape(training.venue)}, {html.escape(view.desa_name)}, "
            f"Kec. {html.escape(view.kecamatan_name)}")


def seats(tr: Translator, training: Training) -> str:
    if training.seats_left <= 0:
        return tr._("🪑 Full: you can join the waitlist")
    return tr.ngettext("🪑 {n} seat left of {capacity}", "🪑 {n} seats left of {capacity}",
                       training.seats_left).format(n=training.seats_left,
                                                   capacity=training.capacity)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def card(tr: Translator, view: TrainingView, *, number: int | None = None,
         status: str | None = None, full: bool = False, live: bool = True) -> str:
    """The lines every listing shows; `full` adds the description and who it is for.

    `live=False` leaves out the seats left, for a text that is read long after it was made.
    """
    training = view.training
    title = html.escape(training.title)
    lines = [f"<b>{number}. {title}</b>" if number else f"<b>{title}</b>",
             category_name(tr, training.category),
             f"📅 {when(tr, training)}",
             f"📍 {place(view)}"]
    if training.is_published and live:
        lines.append(seats(tr, training))
    if training.accessibility:
        note = training.accessibility if full else _short(training.accessibility, LIST_NOTE_MAX)
        lines.append(f"♿ {html.escape(note)}")
    lines.append(f"🏛 {organizer_kind_name(tr, training.organizer_kind)}: "
                 f"{html.escape(training.organizer)}")
    if full:
        groups = ", ".join(group_name(tr, code) for code in training.target_groups)
        lines.append("👥 " + (tr._("For: {groups}").format(groups=groups) if groups
                             else tr._("Open to everyone")))
        if training.description:
            lines += ["", html.escape(training.description)]
    if not training.is_published:
        lines.append(tr._("❌ This training was cancelled."))
    if status in MARKS:
        lines.append(tr._(MARKS[status]))  # type: ignore[index]
    return "\n".join(lines)


def summary(view: TrainingView, tr: Translator) -> str:
    """Title, time and place: what a reminder or a change notice needs."""
    training = view.training
    return "\n".join([f"<b>{html.escape(training.title)}</b>", f"📅 {when(tr, training)}",
                      f"📍 {place(view)}"])
