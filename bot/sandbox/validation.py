"""Check a decoded request against the contract, the way the real Bot API would refuse it.

Values arrive as PTB sends them (see telegram/request/_requestparameter.py): strings as
they are, everything else JSON-encoded, files as multipart parts. `decode_params` turns
them back into JSON values guided by the spec types; `validate` lists every problem.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.sandbox.contract import Contract, FieldSpec, TypeSpec
from bot.sandbox.entities import EntityParseError, parse_text
from bot.sandbox.models import Upload

# Fields whose length limit applies after entity parsing, with their parse_mode field.
PARSED_TEXT = {"text": "parse_mode", "caption": "parse_mode"}
# Telegram's own wording for the commonest refusals, so the bot sees realistic errors.
TELEGRAM_WORDING = {
    ("text", "too long"): "Bad Request: message is too long",
    ("text", "too short"): "Bad Request: message text is empty",
    ("caption", "too long"): "Bad Request: message caption is too long",
    ("callback_data", "too long"): "Bad Request: BUTTON_DATA_INVALID",
    ("callback_data", "too short"): "Bad Request: BUTTON_DATA_INVALID",
}
# Limits Telegram enforces that the spec does not state: inline buttons in one message,
# and in one row (see tginfo/Telegram-Limits); over them it answers "reply markup is too long".
INLINE_BUTTONS = 100
INLINE_ROW = 8
MARKUP_TOO_LONG = "Bad Request: reply markup is too long"


@dataclass(frozen=True, slots=True)
class Problem:
    """One way a request breaks the contract."""

    path: str
    reason: str
    description: str  # what Telegram answers, "Bad Request: ..."

    def render(self, method: str) -> str:
        """Readable line for sandbox.violations."""
        return f"{method}: {self.path}: {self.reason}"


def decode_params(fields: Mapping[str, FieldSpec], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Turn wire values back into JSON values: JSON-decode where the spec wants non-strings."""
    uploads = {k: v for k, v in raw.items() if isinstance(v, Upload)}
    params: dict[str, Any] = {}
    for name, value in raw.items():
        spec = fields.get(name)
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in uploads:
            value = uploads[value[9:]]
        elif isinstance(value, str) and spec is not None and spec.types != ("String",):
            value = _json_or_string(value, spec.types)
        params[name] = value
    attached = {v[9:] for v in raw.values() if isinstance(v, str) and v.startswith("attach://")}
    return {k: v for k, v in params.items() if k not in attached or k in fields}


def _json_or_string(value: str, types: tuple[str, ...]) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value if "String" in types else _Undecodable(value)


class _Undecodable(str):
    """A wire value that is neither JSON nor allowed as a plain string."""


def validate(contract: Contract, method: str, params: Mapping[str, Any]) -> list[Problem]:
    """Every problem with a method call: names, required, types, limits, entity parsing."""
    fields = contract.methods[method]
    problems = [
        Problem(name, "unknown parameter", f"Bad Request: unknown parameter {name}")
        for name in params
        if name not in fields
    ]
    for name, spec in fields.items():
        if name not in params:
            if _is_required(spec, params):
                problems.append(
                    Problem(name, "required parameter is missing", f"Bad Request: {name} is empty")
                )
            continue
        checker = _Checker(contract)
        value = params[name]
        if name in PARSED_TEXT and isinstance(value, str) and PARSED_TEXT[name] in fields:
            value = checker.parsed_text(name, value, params.get(PARSED_TEXT[name]))
        checker.check(value, spec, name)
        problems.extend(checker.problems)
    return problems + _keyboard_limits(params.get("reply_markup"))


def _keyboard_limits(markup: object) -> list[Problem]:
    """An inline keyboard over 100 buttons, or a row over 8, as Telegram refuses them."""
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        return []
    rows = [row for row in rows if isinstance(row, list)]
    problems = []
    total = sum(len(row) for row in rows)
    if total > INLINE_BUTTONS:
        reason = f"too many buttons: {total}, at most {INLINE_BUTTONS}"
        problems.append(Problem("reply_markup.inline_keyboard", reason, MARKUP_TOO_LONG))
    for index, row in enumerate(rows):
        if len(row) > INLINE_ROW:
            reason = f"too many buttons in a row: {len(row)}, at most {INLINE_ROW}"
            problems.append(
                Problem(f"reply_markup.inline_keyboard[{index}]", reason, MARKUP_TOO_LONG)
            )
    return problems


def _is_required(spec: FieldSpec, params: Mapping[str, Any]) -> bool:
    if spec.required:
        return True
    return bool(spec.required_unless) and not all(k in params for k in spec.required_unless)


class _Checker:
    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.problems: list[Problem] = []

    def add(self, path: str, reason: str) -> None:
        leaf = path.rsplit(".", 1)[-1].split("[", 1)[0]
        short = "too long" if "too long" in reason else "too short" if "too short" in reason else ""
        description = TELEGRAM_WORDING.get((leaf, short), f"Bad Request: {path}: {reason}")
        self.problems.append(Problem(path, reason, description))

    def parsed_text(self, name: str, value: str, parse_mode: object) -> str | None:
        try:
            plain, _ = parse_text(value, parse_mode if isinstance(parse_mode, str) else None)
        except EntityParseError as error:
            self.problems.append(Problem(name, str(error), f"Bad Request: {error}"))
            return None
        return plain.strip()

    def check(self, value: Any, spec: FieldSpec, path: str) -> None:
        if value is None:
            return  # the text could not be parsed; already reported
        object_types = [t for t in spec.types if t in self.contract.types]
        array_types = [t for t in spec.types if t.startswith("Array of ")]
        if isinstance(value, dict) and object_types:
            self.problems.extend(self.best_fit(value, object_types, path))
        elif isinstance(value, list) and array_types:
            self.check_array(value, array_types[0], path)
        elif not any(_is_simple(value, t) for t in spec.types):
            self.add(path, f"expected {' or '.join(spec.types)}, got {_describe(value)}")
            return
        self.check_limits(value, spec, path)

    def best_fit(self, value: dict[str, Any], type_names: list[str], path: str) -> list[Problem]:
        """Problems against the object type the value fits best (none if one fits)."""
        results = []
        for name in type_names:
            inner = _Checker(self.contract)
            inner.check_object(value, self.contract.types[name], path)
            results.append(inner.problems)
        return min(results, key=len)

    def check_array(self, value: list[Any], type_name: str, path: str) -> None:
        item_type = type_name.removeprefix("Array of ")
        for i, item in enumerate(value):
            self.check(item, FieldSpec(types=(item_type,), required=True), f"{path}[{i}]")

    def check_object(self, value: Any, spec: TypeSpec, path: str) -> None:
        if not isinstance(value, dict):
            return
        if spec.subtypes:
            self.check_union(value, spec, path)
            return
        for key in value:
            if key not in spec.fields:
                self.add(f"{path}.{key}", f"unknown field of {spec.name}")
        for key, field_spec in spec.fields.items():
            if key in value:
                self.check(value[key], field_spec, f"{path}.{key}")
            elif field_spec.required:
                self.add(f"{path}.{key}", f"required field of {spec.name} is missing")
        actions = [k for k in spec.exactly_one_of + spec.at_most_one_of if k in value]
        if spec.exactly_one_of and len(actions) != 1:
            self.add(
                path,
                f"{spec.name} needs exactly one of {', '.join(spec.exactly_one_of)}; "
                f"got {', '.join(actions) or 'none'}",
            )
        if spec.at_most_one_of and len(actions) > 1:
            self.add(
                path,
                f"{spec.name} allows at most one of its action fields; got {', '.join(actions)}",
            )

    def check_union(self, value: dict[str, Any], spec: TypeSpec, path: str) -> None:
        candidates = [self.contract.types[name] for name in spec.subtypes]
        chosen = [c for c in candidates if _discriminator_matches(c, value)]
        if len(chosen) != 1:
            names = ", ".join(c.name for c in candidates)
            self.add(path, f"not a valid {spec.name} (one of {names})")
            return
        self.check_object(value, chosen[0], path)

    def check_limits(self, value: Any, spec: FieldSpec, path: str) -> None:
        if spec.length and isinstance(value, str):
            low, high, unit = spec.length
            size = len(value.encode("utf-8")) if unit == "bytes" else len(value)
            if size < low:
                self.add(path, f"too short: {size} {unit}, must be {low}-{high} {unit}")
            elif size > high:
                self.add(path, f"too long: {size} {unit}, must be {low}-{high} {unit}")
        if spec.range and isinstance(value, int) and not spec.range[0] <= value <= spec.range[1]:
            self.add(path, f"out of range: {value}, must be {spec.range[0]}-{spec.range[1]}")
        if spec.enum is not None and value not in spec.enum:
            self.add(path, f"{value!r} is not one of {', '.join(map(str, spec.enum))}")
        if spec.const is not None and value != spec.const:
            self.add(path, f"must be {spec.const!r}, got {value!r}")


def _is_simple(value: Any, type_name: str) -> bool:
    if isinstance(value, _Undecodable):
        return False
    if type_name in ("Integer", "Float") and isinstance(value, bool):
        return False
    if type_name == "KeyboardButton":
        return isinstance(value, str)  # "String can be used instead of this object"
    expected = {
        "Integer": int,
        "Float": int | float,
        "String": str,
        "Boolean": bool,
        "InputFile": Upload,
    }.get(type_name)
    return expected is not None and isinstance(value, expected)


def _discriminator_matches(spec: TypeSpec, value: dict[str, Any]) -> bool:
    constants = {k: f.const for k, f in spec.fields.items() if f.const is not None}
    return bool(constants) and all(value.get(k) == c for k, c in constants.items())


def _describe(value: Any) -> str:
    if isinstance(value, _Undecodable):
        return f"undecodable {str(value)[:40]!r}"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, Upload) else "a file"
    return f"{type(value).__name__} {text[:40]}"
