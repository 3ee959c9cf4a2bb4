"""The rules a training must satisfy, as pure checks shared by the chat form and the import.

Every check returns a `Problem` (an English message with placeholders, translated by whoever shows
it), so the chat form, the CSV import and any future channel reject bad input the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.i18n import N_
from models.training import MAX_CAPACITY, Category, OrganizerKind

TITLE = (3, 120)
VENUE = (2, 120)
ORGANIZER = (2, 120)
DESCRIPTION_MAX = 1000
ACCESSIBILITY_MAX = 300
LONGEST = timedelta(days=31)
FURTHEST = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a value was refused; `message` is an English msgid with {placeholders}."""

    field: str
    message: str
    params: dict[str, object] = field(default_factory=dict)

    def english(self) -> str:
        return self.message.format(**self.params)


class TrainingRejected(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.english() for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class TrainingDraft:
    title: str
    category: str
    desa_code: str
    venue: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    organizer: str
    organizer_kind: str
    description: str = ""
    latitude: float | None = None
    longitude: float | None = None
    target_groups: tuple[str, ...] = ()
    accessibility: str = ""


def _length(name: str, value: str, bounds: tuple[int, int], message: str) -> Problem | None:
    low, high = bounds
    if not low <= len(value.strip()) <= high:
        return Problem(name, message, {"min": low, "max": high})
    return None


def check_title(value: str) -> Problem | None:
    return _length("title", value, TITLE,
                   N_("The title must be {min} to {max} characters long."))


def check_venue(value: str) -> Problem | None:
    return _length("venue", value, VENUE,
                   N_("The venue name must be {min} to {max} characters long."))


def check_organizer(value: str) -> Problem | None:
    return _length("organizer", value, ORGANIZER,
                   N_("The organizer's name must be {min} to {max} characters long."))


def check_description(value: str) -> Problem | None:
    if len(value.strip()) > DESCRIPTION_MAX:
        return Problem("description", N_("The description can be at most {max} characters."),
                       {"max": DESCRIPTION_MAX})
    return None


def check_accessibility(value: str) -> Problem | None:
    if len(value.strip()) > ACCESSIBILITY_MAX:
        return Problem("accessibility",
                       N_("The accessibility note can be at most {max} characters."),
                       {"max": ACCESSIBILITY_MAX})
    return None


def check_category(value: str) -> Problem | None:
    if value not in {c.value for c in Category}:
        return Problem("category", N_("Unknown category “{value}”. Use one of: {known}."),
                       {"value": value, "known": ", ".join(c.value for c in Category)})
    return None


def check_organizer_kind(value: str) -> Problem | None:
    if value not in {k.value for k in OrganizerKind}:
        return Problem("organizer_kind",
                       N_("Unknown organizer type “{value}”. Use pemda, lsm or swasta."),
                       {"value": value})
    return None


def check_capacity(value: int, taken: int = 0) -> Problem | None:
    if not 1 <= value <= MAX_CAPACITY:
        return Problem("capacity", N_("The number of seats must be between 1 and {max}."),
                       {"max": MAX_CAPACITY})
    if value < taken:
        return Problem("capacity",
                       N_("{taken} people already hold a seat: the capacity cannot be lower."),
                       {"taken": taken})
    return None


def check_start(starts_at: datetime, now: datetime) -> Problem | None:
    if starts_at <= now:
        return Problem("starts_at",
                       N_("That start time has already passed. Choose a later date and time."))
    if starts_at > now + FURTHEST:
        return Problem("starts_at", N_("The start must be within the coming year."))
    return None


def check_end(starts_at: datetime, ends_at: datetime) -> Problem | None:
    if ends_at <= starts_at:
        return Problem("ends_at", N_("The end must be after the start."))
    if ends_at - starts_at > LONGEST:
        return Problem("ends_at", N_("A training can last at most {days} days."),
                       {"days": LONGEST.days})
    return None


def check_location(latitude: float | None, longitude: float | None) -> Problem | None:
    if latitude is None and longitude is None:
        return None
    if (latitude is None or longitude is None or not math.isfinite(latitude)
            or not math.isfinite(longitude) or not -90 <= latitude <= 90
            or not -180 <= longitude <= 180):
        return Problem("location", N_("The location is not a valid point on the map."))
    return None


def check_groups(codes: tuple[str, ...], known: set[str]) -> Problem | None:
    unknown = [code for code in codes if code not in known]
    if unknown:
        return Problem("target_groups", N_("Unknown target group “{value}”. Use: {known}."),
                       {"value": unknown[0], "known": ", ".join(sorted(known))})
    return None


def check_draft(draft: TrainingDraft, now: datetime, group_codes: set[str],
                taken: int = 0, *, past_ok: bool = False) -> list[Problem]:
    """Everything but the desa (which needs the database); `past_ok` for unchanged times."""
    checks = [
        check_title(draft.title), check_category(draft.category),
        check_description(draft.description), check_venue(draft.venue),
        check_location(draft.latitude, draft.longitude),
        None if past_ok else check_start(draft.starts_at, now),
        check_end(draft.starts_at, draft.ends_at),
        check_capacity(draft.capacity, taken), check_groups(draft.target_groups, group_codes),
        check_organizer(draft.organizer), check_organizer_kind(draft.organizer_kind),
        check_accessibility(draft.accessibility),
    ]
    return [problem for problem in checks if problem is not None]


def unknown_desa(code: str) -> Problem:
    return Problem("desa_code", N_("Desa code {value} is not in the region list."),
                   {"value": code})
