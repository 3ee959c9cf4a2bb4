"""Injected failures, so retry and error paths of the bot can be tested on demand."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ApiError

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected fault",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: injected fault",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
# What Telegram's nginx front answers when the Bot API server behind it is down: HTML, not JSON.
GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass
class Fault:
    """One injection rule: the next ``times`` matching calls fail this way."""

    method: str | None
    error_code: int
    description: str | None
    retry_after: int | None
    times: int
    chat_id: int | str | None
    disconnect: bool

    def matches(self, method: str, chat_id: int | str | None) -> bool:
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)

    @property
    def gateway_html(self) -> bool:
        """A bare 502 is answered with nginx's HTML page, as Telegram's front does."""
        return self.error_code == 502 and self.description is None

    def error(self) -> ApiError:
        if self.error_code == 429:
            retry_after = self.retry_after or 1
            description = self.description or f"Too Many Requests: retry after {retry_after}"
            return ApiError(429, description, retry_after)
        description = self.description or _DEFAULT_DESCRIPTIONS.get(
            self.error_code, f"Error {self.error_code}: injected fault"
        )
        return ApiError(self.error_code, description, self.retry_after)


class Faults:
    """The active rules, consumed in the order they were added."""

    def __init__(self) -> None:
        self._rules: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        if fault.times < 1:
            raise ValueError("times must be at least 1")
        self._rules.append(fault)
        return fault

    def take(self, method: str, chat_id: int | str | None) -> Fault | None:
        """The first rule matching this call, used up by one."""
        for fault in self._rules:
            if fault.matches(method, chat_id):
                fault.times -= 1
                if fault.times == 0:
                    self._rules.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        self._rules.clear()
