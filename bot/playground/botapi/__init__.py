"""A local Telegram Bot API ("fake") that python-telegram-bot talks to over loopback HTTP.

Used by end-to-end tests, the web playground and benchmarks::

    api = FakeBotApi(token="123456:TEST")
    await api.start()
    bot = telegram.Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
    siti = api.user(1001, "Siti")
    await siti.send("/start")
"""

from .api import FakeBotApi
from .errors import ApiError
from .limits import RateLimits
from .spec import BotApiSpec
from .state import Call, CallbackAnswer, ChatItem, ChatState
from .users import SimUser

__all__ = [
    "ApiError",
    "BotApiSpec",
    "Call",
    "CallbackAnswer",
    "ChatItem",
    "ChatState",
    "FakeBotApi",
    "RateLimits",
    "SimUser",
]
