"""Checks calls against the machine-readable Bot API spec (``telegram-bot-api-10.0.json``).

The spec lists each method's fields (``name``, ``types``, ``required``) and each type's fields;
polymorphic types (``MaybeInaccessibleMessage``, ``BotCommandScope``, …) list ``subtypes``. A
value matches when it fits one of its declared types, recursively, so a wrong type deep inside a
``reply_markup`` is reported with its path, e.g. ``sendMessage.reply_markup.inline_keyboard[0][1]
.callback_data``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .params import Kind, UploadedFile

_CONSTANT = re.compile(r"(?:must be|always)\s+[“\"]?([a-z_]+)[”\"]?")
_DISCRIMINATORS = ("type", "status", "source")
_SCALAR_KINDS: dict[tuple[str, ...], Kind] = {
    ("Integer",): "int",
    ("Float",): "float",
    ("Boolean",): "bool",
    ("String",): "str",
    ("Integer", "String"): "int_or_str",
    ("InputFile", "String"): "file_or_str",
    ("InputFile",): "file",
}


def _describe(value: Any) -> str:
    if isinstance(value, UploadedFile):
        return "an uploaded file"
    return f"{type(value).__name__} {json.dumps(value, ensure_ascii=False, default=str)[:60]}"


def _constant(spec_field: Mapping[str, Any]) -> str | None:
    """The fixed value a subtype's discriminator field must have ("always “emoji”")."""
    description = spec_field.get("description", "")
    if isinstance(description, list):
        description = " ".join(description)
    match = _CONSTANT.search(description)
    return match.group(1) if match else None


PTB_DEFAULTS = frozenset({"parse_mode", "disable_notification", "protect_content",
                          "allow_sending_without_reply", "link_preview_options"})
"""python-telegram-bot fills its `Defaults` into every call that goes through its generic send path,
e.g. `parse_mode` on editMessageReplyMarkup or sendLocation. Telegram ignores parameters a method
does not define, so these are not mistakes of the bot's."""


class BotApiSpec:
    """The loaded spec and the checks built on it."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = data.get("version", "")
        self.methods: dict[str, Any] = dict(data["methods"])
        self.types: dict[str, Any] = dict(data["types"])
        self._method_names = {name.lower(): name for name in self.methods}

    @classmethod
    def load(cls, path: str | Path) -> BotApiSpec:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def method_name(self, name: str) -> str | None:
        """The method's spelling in the spec (Telegram's method names ignore case)."""
        return self._method_names.get(name.lower())

    def _fields(self, method: str) -> dict[str, Any]:
        spec = self.methods.get(self.method_name(method) or "", {})
        return {f["name"]: f for f in spec.get("fields", ())}

    def field_kind(self, method: str, name: str) -> Kind | None:
        """How a field of ``method`` is decoded from a string, by its declared types."""
        spec_field = self._fields(method).get(name)
        if spec_field is None:
            return None
        return _SCALAR_KINDS.get(tuple(spec_field["types"]), "json")

    def check_call(self, method: str, params: Mapping[str, Any]) -> list[str]:
        """Problems with one call: unknown method or field, missing required field, bad type."""
        name = self.method_name(method)
        if name is None:
            return [f"{method}: unknown method"]
        fields = self._fields(name)
        problems = [
            f"{name}.{field}: required field missing"
            for field, spec_field in fields.items()
            if spec_field["required"] and field not in params
        ]
        for field, value in params.items():
            spec_field = fields.get(field)
            if spec_field is None:
                if field not in PTB_DEFAULTS:
                    problems.append(f"{name}.{field}: unknown parameter")
            else:
                problems += self.check_value(value, spec_field["types"], f"{name}.{field}")
        return problems

    def check_result(self, method: str, result: Any) -> list[str]:
        """Problems with a method's result against its declared return types."""
        name = self.method_name(method)
        if name is None:
            return [f"{method}: unknown method"]
        return self.check_value(result, self.methods[name]["returns"], f"{name}()")

    def check_value(self, value: Any, types: list[str], where: str) -> list[str]:
        """Problems of ``value`` against the best-fitting of ``types`` (none if one fits)."""
        candidates = [self._problems(value, type_name, where) for type_name in types]
        best = min(candidates, key=len)
        if best and len(types) > 1 and not isinstance(value, dict | list):
            return [f"{where}: expected {' or '.join(types)}, got {_describe(value)}"]
        return best

    def _problems(self, value: Any, type_name: str, where: str) -> list[str]:
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                return [f"{where}: expected {type_name}, got {_describe(value)}"]
            inner = type_name[len("Array of ") :]
            return [
                p for i, v in enumerate(value) for p in self._problems(v, inner, f"{where}[{i}]")
            ]
        scalar_ok = {
            "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "Boolean": lambda v: isinstance(v, bool),
            "True": lambda v: v is True,
            "String": lambda v: isinstance(v, str),
            "InputFile": lambda v: isinstance(v, UploadedFile),
        }
        if type_name in scalar_ok:
            if scalar_ok[type_name](value):
                return []
            return [f"{where}: expected {type_name}, got {_describe(value)}"]
        spec_type = self.types.get(type_name)
        if spec_type is None:
            return []
        if "subtypes" in spec_type:
            return self.check_value(value, spec_type["subtypes"], where)
        if not isinstance(value, dict):
            return [f"{where}: expected {type_name}, got {_describe(value)}"]
        return self._object_problems(value, type_name, spec_type, where)

    def _object_problems(
        self, value: dict[str, Any], type_name: str, spec_type: dict[str, Any], where: str
    ) -> list[str]:
        fields = {f["name"]: f for f in spec_type.get("fields", ())}
        problems = [
            f"{where}.{name}: required field missing"
            for name, spec_field in fields.items()
            if spec_field["required"] and name not in value
        ]
        for name, item in value.items():
            spec_field = fields.get(name)
            if spec_field is None:
                problems.append(f"{where}.{name}: unknown field of {type_name}")
                continue
            problems += self.check_value(item, spec_field["types"], f"{where}.{name}")
            constant = _constant(spec_field) if name in _DISCRIMINATORS else None
            if constant is not None and item != constant:
                problems.append(f"{where}.{name}: expected {constant!r}, got {item!r}")
        return problems
