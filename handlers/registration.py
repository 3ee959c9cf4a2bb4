"""Registration, profile, language and personal data: wires this journey's handlers.

Registered from here (the journey list names only this module): the registration
conversation (`registration_flow`, steps in `registration_steps` and `registration_places`),
`profile`, `privacy` and `staff`.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.context import BerdayaContext
from bot.i18n import LANGUAGES, N_
from handlers import identity, privacy, profile, registration_flow, staff, staff_scope
from handlers.commands import Command
from handlers.registration_form import PROFILE, drop_draft, get_draft, went_elsewhere

COMMANDS = [
    Command("start", N_("Start, or show the main menu")),
    Command("daftar", N_("Register (takes about a minute)")),
    Command("profil", N_("See and change your details")),
    Command("bahasa", N_("Change the language")),
    Command("data_saya", N_("See everything Berdaya stores about you")),
    Command("hapus_data", N_("Delete your data from Berdaya")),
    Command("berhenti", N_("Stop receiving announcements")),
    Command("langganan", N_("Receive announcements again")),
    Command("fasilitator", N_("Make a member a facilitator (admins only)"), admin_only=True),
    Command("wilayah_fasilitator", N_("Limit a facilitator to one kecamatan (admins only)"),
            admin_only=True),
]

LANGUAGE_GROUP = identity.GROUP + 1


async def before_journeys(update: Update, context: BerdayaContext) -> None:
    """Runs ahead of every journey: the form's language for people not registered yet, and
    dropping a profile change the member walked away from."""
    draft = get_draft(context)
    if draft is None or update.effective_user is None:
        return
    member = context.member
    if member is not None and member.is_registered:
        if draft.get("mode") == PROFILE and went_elsewhere(update):
            drop_draft(context)
    elif draft.get("language") in LANGUAGES:
        context.use_language(draft["language"], None)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(TypeHandler(Update, before_journeys), group=LANGUAGE_GROUP)
    application.add_handler(registration_flow.conversation(application))
    application.add_handler(registration_flow.stale_handler())
    profile.register(application)
    privacy.register(application)
    staff.register(application)
    staff_scope.register(application)
