"""The tip categories: stable codes in the tables, names translated in the catalogs.

The codes and their order match the rows migration 0006 seeds into `tip_categories` (a test
checks), so a category is added with a migration and a line here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import LANGUAGES, N_
from bot.i18n.catalog import translations


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    emoji: str
    name: str
    """Full name, as the programme names it (shown above a list of tips)."""
    short: str
    """Button label: two buttons share a row on a small phone."""


CATEGORIES: tuple[Category, ...] = (
    Category("kopi", "☕", N_("Coffee growing"), N_("Coffee")),
    Category("karet", "🌳", N_("Rubber and tapping"), N_("Rubber")),
    Category("sawit", "🌴", N_("Oil palm"), N_("Oil palm")),
    Category("organik", "🌱", N_("Organic farming and compost"), N_("Organic & compost")),
    Category("hama", "🐛", N_("Pests and diseases"), N_("Pests & diseases")),
    Category("pascapanen", "📦", N_("Post-harvest and processing"), N_("Post-harvest")),
    Category("pemasaran", "📈", N_("Marketing and prices"), N_("Selling & prices")),
    Category("keuangan", "🏦", N_("Finance, KUR loans and cooperatives"),
             N_("Money, KUR & co-ops")),
    Category("kerajinan", "🧵", N_("Sewing and crafts"), N_("Sewing & crafts")),
    Category("digital", "📱", N_("Digital technology (phones, WhatsApp Business, marketplaces)"),
             N_("Phones & online selling")),
    Category("migran", "✈️", N_("Migrant workers' rights"), N_("Migrant workers")),
    Category("aksesibilitas", "♿", N_("Accessibility"), N_("Accessibility")),
)

BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}
CODES: tuple[str, ...] = tuple(BY_CODE)


def get(code: str) -> Category | None:
    return BY_CODE.get(code)


def find_by_name(text: str) -> Category | None:
    """A typed category (code, full or short name, in either language), ignoring case and emoji.

    Facilitators may type instead of tapping; anything that is not clearly one category is
    None, so the caller asks again instead of guessing.
    """
    wanted = _plain(text)
    if not wanted:
        return None
    for category in CATEGORIES:
        names = {category.code}
        for language in LANGUAGES:
            names.update(_plain(translations(language).gettext(n))
                         for n in (category.name, category.short))
        if wanted in names:
            return category
    return None


def _plain(text: str) -> str:
    return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())
