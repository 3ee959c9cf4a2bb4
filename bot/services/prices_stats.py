"""Robust statistics for small, noisy price samples: medians, MAD outliers, weekly change.

Members' reports are few and sometimes wrong (a missing zero, a price per ons); medians and
median absolute deviations shrug that off where means and standard deviations would not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

OUTLIER_MADS = Decimal(3)
MAD_FLOOR = Decimal("0.05")
"""A MAD below 5 % of the median is taken as 5 %: identical reports must not make every
slightly different one an outlier."""
MIN_SAMPLE = 3
ABSURD_FACTOR = Decimal(10)
WEEK = timedelta(days=7)


def median(values: Sequence[Decimal]) -> Decimal:
    if not values:
        raise ValueError("median of nothing")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def mad(values: Sequence[Decimal], center: Decimal | None = None) -> Decimal:
    """Median absolute deviation around `center` (the median by default)."""
    center = median(values) if center is None else center
    return median([abs(v - center) for v in values])


def is_outlier(value: Decimal, sample: Sequence[Decimal]) -> bool:
    """Beyond 3 MADs of the sample's median; never with fewer than three earlier values."""
    if len(sample) < MIN_SAMPLE:
        return False
    center = median(sample)
    spread = max(mad(sample, center), center * MAD_FLOOR)
    return abs(value - center) > OUTLIER_MADS * spread


def is_absurd(value: Decimal, usual: Decimal | None) -> bool:
    """More than ten times the usual price, or less than a tenth: most likely a typing slip."""
    if usual is None or usual <= 0:
        return False
    return value > usual * ABSURD_FACTOR or value * ABSURD_FACTOR < usual


@dataclass(frozen=True, slots=True)
class Change:
    before: Decimal
    before_on: date
    amount: Decimal
    percent: Decimal


def weekly_change(
    latest: tuple[date, Decimal], history: Sequence[tuple[date, Decimal]]
) -> Change | None:
    """Against the newest value on or before a week earlier (at most two weeks earlier)."""
    day, value = latest
    target, oldest = day - WEEK, day - 2 * WEEK
    earlier = [(d, v) for d, v in history if oldest <= d <= target]
    if not earlier:
        return None
    before_on, before = max(earlier)
    amount = value - before
    percent = (amount * 100 / before).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Change(before, before_on, amount, percent)


def percent_difference(value: Decimal, reference: Decimal) -> Decimal:
    return ((value - reference) * 100 / reference).quantize(Decimal("0.1"), ROUND_HALF_UP)
