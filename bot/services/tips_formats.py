"""Tip files facilitators edit: one Markdown file per tip, or a CSV / Excel sheet, one row each.

A Markdown tip (the shipped library in bot/data/tips is written this way)::

    ---
    id: karet-bokar-bersih
    category: karet
    source: Pusat Penelitian Karet; Ditjenbun Kementan
    published: yes
    ---

    # id: Bokar bersih, harga lebih baik

    Isi tips dalam Bahasa Indonesia…

    # en: Clean rubber slabs fetch a better price

    The English version…

A sheet has the columns id, category, published, source, photo, title_id, body_id, title_en,
body_en. Every file is checked completely before anything is stored; each problem names the
file and line or row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook

from bot.services import tips_categories, tips_manage
from bot.services.tips_manage import TipProblem
from models.tip import TIP_LANGUAGES

COLUMNS = ["id", "category", "published", "source", "photo",
           *(f"{part}_{lang}" for lang in TIP_LANGUAGES for part in ("title", "body"))]
KEY_PATTERN = "lower-case letters, digits and hyphens"
TRUE = {"yes", "ya", "true", "1", "y"}
FALSE = {"no", "tidak", "false", "0", "n"}


class LibraryError(ValueError):
    """The file(s) were rejected; `problems` lists every one, nothing was stored."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__("; ".join(problems[:10]) + more)


@dataclass
class TipRecord:
    key: str
    category: str
    texts: dict[str, tuple[str, str]]
    """language → (title, body)."""
    source: str | None = None
    published: bool = True
    photo_file_id: str | None = None
    origin: str = field(default="", compare=False)
    """Where it was read, for error messages: `kopi-petik-merah.md`, `tips.csv row 4`."""

    @property
    def language(self) -> str:
        """The version written first: Indonesian when there is one."""
        return next(lang for lang in TIP_LANGUAGES if lang in self.texts)


class _Checker:
    """Collects every problem of a batch of records instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.keys: dict[str, str] = {}

    def record(
        self, origin: str, key: str, category: str, published: str, source: str, photo: str,
        texts: dict[str, tuple[str, str]],
    ) -> TipRecord | None:
        before = len(self.problems)
        key = key.strip()
        if not key:
            self.problems.append(f"{origin}: id is missing")
        elif tips_manage.slug(key) != key or len(key) > tips_manage.KEY_MAX:
            self.problems.append(f"{origin}: id {key!r} must be {KEY_PATTERN}, at most "
                                 f"{tips_manage.KEY_MAX} characters")
        elif key in self.keys:
            self.problems.append(f"{origin}: id {key!r} is used twice (also {self.keys[key]})")
        else:
            self.keys[key] = origin
        category = category.strip().lower()
        if tips_categories.get(category) is None:
            self.problems.append(f"{origin}: unknown category {category!r}; use one of "
                                 + ", ".join(tips_categories.CODES))
        flag = published.strip().lower()
        if flag and flag not in TRUE | FALSE:
            self.problems.append(f"{origin}: published must be yes or no, not {published!r}")
        cleaned: dict[str, tuple[str, str]] = {}
        for language, (title, body) in texts.items():
            if not title.strip() and not body.strip():
                continue
            try:
                cleaned[language] = (tips_manage.clean_title(title), tips_manage.clean_body(body))
            except TipProblem as problem:
                self.problems.append(f"{origin}: {_describe(problem, language)}")
        if not cleaned and len(self.problems) == before:
            self.problems.append(f"{origin}: needs a title and body in id or en")
        try:
            source_text = tips_manage.clean_source(source) if source.strip() else None
        except TipProblem as problem:
            self.problems.append(f"{origin}: {_describe(problem, '')}")
            source_text = None
        if len(self.problems) > before:
            return None
        return TipRecord(key, category, cleaned, source_text, flag not in FALSE,
                         photo.strip() or None, origin)

    def result(self, records: list[TipRecord | None]) -> list[TipRecord]:
        if self.problems:
            raise LibraryError(self.problems)
        return [r for r in records if r is not None]


def _describe(problem: TipProblem, language: str) -> str:
    name = f"{problem.field}_{language}" if language else problem.field
    if problem.code == "too_long":
        return (f"{name} is {problem.length} characters; the limit is {problem.limit}")
    return f"{name} is empty"


# Markdown ------------------------------------------------------------------------------------

def _parse_markdown(text: str, origin: str, checker: _Checker) -> TipRecord | None:
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        checker.problems.append(f"{origin} line 1: must start with a '---' header")
        return None
    header: dict[str, str] = {}
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        checker.problems.append(f"{origin}: the header is not closed with '---'")
        return None
    for number in range(1, end):
        line = lines[number]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, colon, value = line.partition(":")
        if not colon or name.strip().lower() not in {"id", "category", "source", "published",
                                                     "photo"}:
            checker.problems.append(f"{origin} line {number + 1}: unknown header line {line!r}")
            continue
        header[name.strip().lower()] = value.strip()
    texts: dict[str, tuple[str, str]] = {}
    current: str | None = None
    body: list[str] = []
    for number in range(end + 1, len(lines)):
        line = lines[number]
        if line.startswith("# "):
            language, colon, title = line[2:].partition(":")
            language = language.strip().lower()
            if not colon or language not in TIP_LANGUAGES or language in texts:
                checker.problems.append(
                    f"{origin} line {number + 1}: a version starts with '# id: Title' or "
                    "'# en: Title', once each")
                current = None
                continue
            current, body = language, []
            texts[language] = (title.strip(), "")
        elif current is not None:
            body.append(line)
            texts[current] = (texts[current][0], "\n".join(body))
        elif line.strip():
            checker.problems.append(f"{origin} line {number + 1}: text before '# id: Title'")
    return checker.record(origin, header.get("id", ""), header.get("category", ""),
                          header.get("published", ""), header.get("source", ""),
                          header.get("photo", ""), texts)


def read_markdown_folder(folder: Path) -> list[TipRecord]:
    """Every `*.md` in the folder except README files, in name order."""
    paths = sorted(p for p in folder.iterdir()
                   if p.suffix == ".md" and not p.name.upper().startswith("README"))
    return parse_markdown_texts((p.name, p.read_text("utf-8")) for p in paths)


def parse_markdown_texts(files: Iterable[tuple[str, str]]) -> list[TipRecord]:
    checker = _Checker()
    records = [_parse_markdown(text, name, checker) for name, text in files]
    return checker.result(records)


def to_markdown(record: TipRecord) -> str:
    header = ["---", f"id: {record.key}", f"category: {record.category}"]
    if record.source:
        header.append(f"source: {record.source}")
    header.append(f"published: {'yes' if record.published else 'no'}")
    if record.photo_file_id:
        header.append(f"photo: {record.photo_file_id}")
    parts = ["\n".join([*header, "---"])]
    for language in TIP_LANGUAGES:
        if language in record.texts:
            title, body = record.texts[language]
            parts.append(f"# {language}: {title}\n\n{body}")
    return "\n\n".join(parts) + "\n"


def write_markdown_folder(records: Iterable[TipRecord], folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for record in records:
        (folder / f"{record.key}.md").write_text(to_markdown(record), "utf-8")
        count += 1
    return count


# Sheets ----------------------------------------------------------------------------------------

def _from_rows(rows: Iterable[dict[str, str]], origin: str, first_row: int) -> list[TipRecord]:
    checker = _Checker()
    records = []
    for number, row in enumerate(rows, first_row):
        if not any((value or "").strip() for value in row.values()):
            continue
        cell = {name: (row.get(name) or "") for name in COLUMNS}
        texts = {lang: (cell[f"title_{lang}"], cell[f"body_{lang}"]) for lang in TIP_LANGUAGES}
        records.append(checker.record(f"{origin} row {number}", cell["id"], cell["category"],
                                      cell["published"], cell["source"], cell["photo"], texts))
    return checker.result(records)


def _check_header(header: list[str], origin: str) -> None:
    missing = [c for c in ("id", "category") if c not in header]
    if not any(f"title_{lang}" in header for lang in TIP_LANGUAGES):
        missing.append("title_id or title_en")
    unknown = [c for c in header if c and c not in COLUMNS]
    if missing or unknown:
        problems = [f"{origin} row 1: missing column {c}" for c in missing]
        problems += [f"{origin} row 1: unknown column {c!r}" for c in unknown]
        raise LibraryError(problems)


def parse_csv(text: str, origin: str) -> list[TipRecord]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    _check_header(header, origin)
    reader.fieldnames = header
    return _from_rows(reader, origin, first_row=2)


def to_csv(records: Iterable[TipRecord]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_row(record) for record in records)
    return buffer.getvalue()


def parse_xlsx(path: Path) -> list[TipRecord]:
    origin = path.name
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise LibraryError([f"{origin}: not an Excel .xlsx file ({exc})"]) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(v or "").strip().lower() for v in next(rows, ())]
        _check_header(header, origin)
        dicts = ({name: _cell(value) for name, value in zip(header, row, strict=False)}
                 for row in rows)
        return _from_rows(dicts, origin, first_row=2)
    finally:
        workbook.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def write_xlsx(records: Iterable[TipRecord], path: Path) -> int:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "tips"
    sheet.append(COLUMNS)
    count = 0
    for record in records:
        row = _row(record)
        sheet.append([row[c] for c in COLUMNS])
        count += 1
    sheet.freeze_panes = "A2"
    workbook.save(path)
    return count


def _row(record: TipRecord) -> dict[str, str]:
    row = {"id": record.key, "category": record.category,
           "published": "yes" if record.published else "no",
           "source": record.source or "", "photo": record.photo_file_id or ""}
    for language in TIP_LANGUAGES:
        title, body = record.texts.get(language, ("", ""))
        row[f"title_{language}"], row[f"body_{language}"] = title, body
    return row


def read_path(path: Path) -> list[TipRecord]:
    """A folder of Markdown files, one .md file, a .csv or an .xlsx."""
    if path.is_dir():
        return read_markdown_folder(path)
    if not path.is_file():
        raise LibraryError([f"{path}: no such file or folder"])
    suffix = path.suffix.lower()
    if suffix == ".md":
        return parse_markdown_texts([(path.name, path.read_text("utf-8"))])
    if suffix == ".csv":
        return parse_csv(path.read_text("utf-8"), path.name)
    if suffix == ".xlsx":
        return parse_xlsx(path)
    raise LibraryError([f"{path}: use a folder of .md files, a .md, .csv or .xlsx file"])


def write_path(records: list[TipRecord], path: Path) -> int:
    """By the name: .csv, .xlsx, else a folder of Markdown files."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.write_text(to_csv(records), "utf-8")
        return len(records)
    if suffix == ".xlsx":
        return write_xlsx(records, path)
    if path.exists() and not path.is_dir():
        raise LibraryError([f"{path}: exists and is not a folder; export to a .csv, .xlsx or "
                            "a folder"])
    return write_markdown_folder(records, path)
