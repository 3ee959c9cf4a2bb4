"""PTB persistence kept in the database: conversation states and user_data, nothing else.

Only JSON goes in (form answers, codes, ids), so the rows stay readable for the data export and
deletable for the right to erasure. Bot and chat data are not persisted: the database proper is
the truth for everything lasting.
"""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

from sqlalchemy import delete, select
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from bot.db import SessionMaker
from models import ConversationState, UserData

FLUSH_SECONDS = 1.0


class SqlPersistence(BasePersistence[dict[Any, Any], dict[Any, Any], Any]):
    def __init__(self, sessionmaker: SessionMaker, update_interval: float = FLUSH_SECONDS) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True,
                                        callback_data=False),
            update_interval=update_interval,
        )
        self.sessionmaker = sessionmaker

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        async with self.sessionmaker() as session:
            rows = await session.scalars(select(UserData))
            return {row.user_id: dict(row.data) for row in rows}

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        async with self.sessionmaker() as session, session.begin():
            if not data:
                await session.execute(delete(UserData).where(UserData.user_id == user_id))
                return
            row = await session.get(UserData, user_id)
            if row is None:
                session.add(UserData(user_id=user_id, data=deepcopy(data)))
            else:
                row.data = deepcopy(data)

    async def drop_user_data(self, user_id: int) -> None:
        async with self.sessionmaker() as session, session.begin():
            await session.execute(delete(UserData).where(UserData.user_id == user_id))

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """The database is only written by this process; nothing to pull back in."""

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self.sessionmaker() as session:
            rows = await session.scalars(
                select(ConversationState).where(ConversationState.name == name)
            )
            return {tuple(json.loads(row.key)): row.state for row in rows}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        encoded = json.dumps(list(key))
        async with self.sessionmaker() as session, session.begin():
            if new_state is None:
                await session.execute(delete(ConversationState).where(
                    ConversationState.name == name, ConversationState.key == encoded))
                return
            row = await session.get(ConversationState, (name, encoded))
            if row is None:
                session.add(ConversationState(name=name, key=encoded, state=new_state))
            else:
                row.state = new_state

    async def drop_conversations_of(self, user_id: int) -> None:
        """Erasure: a conversation key names the user's chat and id, so those rows go too."""
        async with self.sessionmaker() as session, session.begin():
            rows = await session.scalars(select(ConversationState))
            for row in rows:
                if user_id in json.loads(row.key):
                    await session.delete(row)

    async def flush(self) -> None:
        """Every update is written through; nothing is buffered here."""

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Chat data is not persisted (see module docstring)."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Chat data is not persisted."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Chat data is not persisted."""

    async def get_bot_data(self) -> Any:
        raise NotImplementedError("bot_data is the in-memory Runtime and is never persisted")

    async def update_bot_data(self, data: Any) -> None:
        """bot_data is not persisted."""

    async def refresh_bot_data(self, bot_data: Any) -> None:
        """bot_data is not persisted."""

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        """Callback data is not persisted: our buttons carry their own compact data."""
