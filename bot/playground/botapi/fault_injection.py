"""The ``FakeBotApi`` side of fault injection: tests arm rules, the server consumes them."""

from __future__ import annotations

from .faults import Fault, Faults


class FaultInjection:
    """``inject_fault`` / ``clear_faults``; mixed into ``FakeBotApi``."""

    def __init__(self) -> None:
        self.faults = Faults()

    def inject_fault(
        self,
        method: str | None = "sendMessage",
        error_code: int = 500,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | str | None = None,
        disconnect: bool = False,
    ) -> Fault:
        """Make the next ``times`` calls of ``method`` (None: any) fail.

        With ``disconnect=True`` the connection is closed without an answer instead, as a
        network failure would.
        """
        fault = Fault(method, error_code, description, retry_after, times, chat_id, disconnect)
        return self.faults.add(fault)

    def clear_faults(self) -> None:
        self.faults.clear()
