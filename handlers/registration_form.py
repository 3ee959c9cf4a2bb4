"""The registration form as it is being filled: steps, the draft, and moving from step to step.

One conversation ("registration") serves both the first registration and later profile edits:
the steps are the same screens, only what happens after a step differs. The draft lives in
`context.user_data["registration"]` (JSON only), so it survives a restart with the step.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import Application, ConversationHandler, filters

from bot.context import BerdayaContext
from bot.i18n import N_
from bot.services import profile
from bot.services.groups import DISABILITY
from handlers.menu import any_menu_button, main_menu
from handlers.profile import show_profile
from handlers.registration_messages import answer, send

KEY = "registration"
REGISTER, PROFILE = "register", "profile"

LANGUAGE = "language"
CONSENT = "consent"
NAME = "name"
PLACE = "place"
GROUPS = "groups"
DISABILITY_STEP = "disability"
PHONE = "phone"
SUMMARY = "summary"
ORDER = [LANGUAGE, CONSENT, NAME, PLACE, GROUPS, DISABILITY_STEP, PHONE, SUMMARY]
FIELDS = {"name": NAME, "place": PLACE, "groups": GROUPS, "phone": PHONE, "language": LANGUAGE}
"""What the change buttons (summary, profile) call each step."""
END = ConversationHandler.END
BACK_LABEL = N_("↩ Back")
NO_LABEL = N_("❌ No")

Draft = dict[str, Any]
Asker = Callable[[Update, BerdayaContext, Draft], Coroutine[Any, Any, str]]
ASKERS: dict[str, Asker] = {}


def asks(step: str) -> Callable[[Asker], Asker]:
    """Registers the function that shows a step's question (each step module does this)."""

    def add(asker: Asker) -> Asker:
        ASKERS[step] = asker
        return asker

    return add


class HasDraft(filters.UpdateFilter):
    """Typed answers go to a step only while its form is open.

    A member who leaves a profile change half-done (another command, the menu) has their form
    dropped; their next text then reaches the journey they went to, not our "new name" step.
    """

    __slots__ = ("_application",)

    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        super().__init__(name="HasDraft")
        self._application = application

    def filter(self, update: Update) -> bool:
        user = update.effective_user
        data = self._application.user_data.get(user.id) if user is not None else None
        return isinstance(data, dict) and isinstance(data.get(KEY), dict)


OWN_PREFIXES = ("r.", "pf.")
OWN_COMMANDS = frozenset({"batal", "bahasa"})


def went_elsewhere(update: Update) -> bool:
    """A command, menu button or button of another journey: the member left the form."""
    if update.callback_query is not None:
        return not (update.callback_query.data or "").startswith(OWN_PREFIXES)
    message = update.effective_message
    if message is None or not message.text:
        return False
    if message.text.startswith("/"):
        command = message.text.split(maxsplit=1)[0][1:].split("@")[0].lower()
        return command not in OWN_COMMANDS
    return bool(any_menu_button().check_update(update))


def get_draft(context: BerdayaContext) -> Draft | None:
    draft = context.user_data.get(KEY) if context.user_data is not None else None
    return draft if isinstance(draft, dict) else None


def new_draft(context: BerdayaContext, **values: Any) -> Draft:
    assert context.user_data is not None
    draft: Draft = {"mode": REGISTER, "groups": [], **values}
    context.user_data[KEY] = draft
    return draft


def drop_draft(context: BerdayaContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(KEY, None)


async def ask(step: str, update: Update, context: BerdayaContext, draft: Draft) -> str:
    """Show a step's question and remember the step, so /start can resume it after a pause."""
    draft["step"] = step
    return await ASKERS[step](update, context, draft)


async def stale_button(update: Update, context: BerdayaContext) -> None:
    """A button from an earlier step or a finished form: say so, change nothing (the form,
    if one is open, stays at its step)."""
    await answer(update, context.tr._("This button is no longer active."))


def with_draft(callback: Callable[[Update, BerdayaContext], Coroutine[Any, Any, Any]]) -> Any:
    """A step's button tapped after its form was dropped (left, erased) is just stale.

    Typed input never gets here without a form: `HasDraft` lets it pass to other journeys.
    """

    @functools.wraps(callback)
    async def guarded(update: Update, context: BerdayaContext) -> Any:
        if get_draft(context) is None:
            await stale_button(update, context)
            return END
        return await callback(update, context)

    return guarded


async def proceed(update: Update, context: BerdayaContext, draft: Draft, done: str) -> str:
    """What follows a finished step: the next question, the summary, or (profile) saving it."""
    if done == GROUPS:
        return await ask(DISABILITY_STEP, update, context, draft)
    if draft.get("mode") == PROFILE:
        return await save_edit(update, context, draft, done)
    if draft.get("review"):
        return await ask(SUMMARY, update, context, draft)
    return await ask(ORDER[ORDER.index(done) + 1], update, context, draft)


def chosen_groups(draft: Draft) -> list[str]:
    groups = [g for g in draft.get("groups", []) if g != DISABILITY]
    return [*groups, DISABILITY] if draft.get("disability") == "yes" else groups


async def save_edit(update: Update, context: BerdayaContext, draft: Draft, done: str) -> str:
    """A profile change is stored as soon as its step is done, then the profile is shown."""
    member = context.member
    tr = context.tr
    if member is None or not member.is_registered:
        drop_draft(context)
        await send(update, context, tr._("Please register first: send /daftar. It takes about "
                                         "a minute."))
        return END
    sessionmaker = context.runtime.sessionmaker
    if done == NAME:
        await profile.change_name(sessionmaker, member.id, draft["name"])
    elif done == PLACE:
        await profile.change_desa(sessionmaker, member.id, draft["desa"])
    elif done == DISABILITY_STEP:
        await profile.change_groups(sessionmaker, member.id, tuple(chosen_groups(draft)))
    elif done == PHONE:
        await profile.change_phone(sessionmaker, member.id, draft.get("phone"))
    drop_draft(context)
    await send(update, context, tr._("Saved."), main_menu(tr))
    await show_profile(update, context)
    return END
