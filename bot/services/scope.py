"""Which members a staff member may see and message: all of Merangin, or one kecamatan.

Admins always see everything. A facilitator sees everything unless an admin limited them to
one kecamatan (`members.scope_kecamatan`); then statistics, exports and broadcast audiences stay
inside it, and asking for another kecamatan is refused rather than silently narrowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import Member, Role


class OutOfScope(PermissionError):
    """A limited facilitator asked for members outside their kecamatan."""

    def __init__(self, allowed: str, asked: str) -> None:
        super().__init__(f"limited to kecamatan {allowed}, asked for {asked}")
        self.allowed = allowed
        self.asked = asked


@dataclass(frozen=True, slots=True)
class Scope:
    kecamatan: str | None = None
    """None: the whole kabupaten."""

    @property
    def is_limited(self) -> bool:
        return self.kecamatan is not None

    def check(self, kecamatan: str | None) -> str | None:
        """The kecamatan to use for a request: the asked one if allowed, else `OutOfScope`.

        A limited facilitator asking for "everything" (None) gets their own kecamatan.
        """
        if self.kecamatan is None:
            return kecamatan
        if kecamatan is not None and kecamatan != self.kecamatan:
            raise OutOfScope(self.kecamatan, kecamatan)
        return self.kecamatan


EVERYTHING = Scope()


def scope_of(member: Member | None) -> Scope:
    """`None` is the command line, which runs with the operator's full rights."""
    if member is None or member.role == Role.ADMIN:
        return EVERYTHING
    return Scope(member.scope_kecamatan)
