"""`python -m bot.i18n.update`: extract messages and add the new ones to every language's .po files.

A message belongs to the domain named after its source file (handlers/prices.py and
bot/services/prices.py → prices.po), anything else to core.po, so people working on different
journeys never edit the same catalog. Existing translations are kept; `--check` only reports.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from bot.i18n.catalog import LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("bot", "handlers", "models")
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}
JOURNEY_DIRS = {"handlers", "services", "jobs"}
PLURALS = {"id": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}

Message = str | tuple[str, str]


def domain_of(path: Path) -> str:
    return path.stem if path.parent.name in JOURNEY_DIRS and path.stem != "__init__" else "core"


def extract(root: Path = ROOT) -> dict[str, dict[Message, list[tuple[str, int]]]]:
    """Messages per domain, each with the places it is used (for reports; not kept in .po)."""
    found: dict[str, dict[Message, list[tuple[str, int]]]] = defaultdict(dict)
    for top in SOURCES:
        for path in sorted((root / top).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            for line, message, _comments, _context in extract_from_file(
                "python", str(path), keywords=KEYWORDS
            ):
                found[domain_of(path)].setdefault(message, []).append((relative, line))
    return found


def _catalog(language: str, domain: str) -> tuple[Path, Catalog]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    if path.exists():
        with path.open("rb") as handle:
            return path, read_po(handle, locale=language)
    catalog = Catalog(locale=language, domain=domain, project="Berdaya", charset="utf-8")
    return path, catalog


def update(check: bool = False) -> list[str]:
    """Adds missing messages and drops ones no longer in the code.

    A message moved to another domain keeps its translation; a domain left empty is removed.

    Only catalogs that change are rewritten, so parallel work on other journeys is untouched.
    """
    problems: list[str] = []
    messages = extract()
    for language in LANGUAGES:
        existing = {p.stem: _catalog(language, p.stem) for p in
                    (LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")}
        known = {m.id: m.string for _, c in existing.values() for m in c if m.id and m.string}
        for domain in sorted(set(messages) | set(existing)):
            path, catalog = existing.get(domain) or _catalog(language, domain)
            wanted = messages.get(domain, {})
            keys = {m if isinstance(m, str) else m[0] for m in wanted}
            changed = False
            stale = [m.id for m in catalog if m.id and (m.id if isinstance(m.id, str)
                                                        else m.id[0]) not in keys]
            for message_id in stale:
                problems.append(f"{path.name} ({language}): unused {message_id!r}")
                del catalog[message_id]
                changed = True
            for message in wanted:
                key = message if isinstance(message, str) else message[0]
                if key not in catalog:
                    problems.append(f"{path.name} ({language}): new {key!r}")
                    catalog.add(message, string=known.get(message, ""))
                    changed = True
            if not check and not wanted and path.exists():
                path.unlink()
            elif changed and not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                catalog.fuzzy = False
                with path.open("wb") as handle:
                    write_po(handle, catalog, width=100, no_location=True)
                _fix_plural_header(path, language)
    return problems


def _fix_plural_header(path: Path, language: str) -> None:
    text = path.read_text("utf-8")
    lines = [line for line in text.splitlines(keepends=True) if "Plural-Forms:" not in line]
    index = next(i for i, line in enumerate(lines) if line.startswith('"Content-Transfer'))
    lines.insert(index + 1, f'"Plural-Forms: {PLURALS[language]}\\n"\n')
    path.write_text("".join(lines), "utf-8")


if __name__ == "__main__":
    report = update(check="--check" in sys.argv)
    print("\n".join(report) or "catalogs are up to date")
    sys.exit(1 if report and "--check" in sys.argv else 0)
