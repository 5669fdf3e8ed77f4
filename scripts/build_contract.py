"""Build the sandbox's Bot API contract from the official machine-readable spec.

Usage: python scripts/build_contract.py SPEC OUT

The contract keeps what a validator needs and drops the prose: for every method and
every type, each field's spec types, whether it is required, and the limits written in
its description (length ranges, value ranges, enumerations, fixed discriminators,
"required if ... is not specified"). Types also keep their subtypes and the
"exactly / at most one of the fields" rule of keyboard buttons. The output is
deterministic (sorted keys, indent 1), so re-running it on the same spec changes nothing.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

LENGTH = re.compile(r"\b(\d+)-(\d+) (characters|bytes)\b")
VALUE_RANGE = re.compile(r"Values between (\d+)-(\d+) are accepted")
CONST_QUOTED = re.compile(r'\balways "([^"]+)"')
CONST_BARE = re.compile(r"\bmust be ([a-z_]+)$")
REQUIRED_IF = re.compile(r"Required if ([a-z_ ]+?) (?:is|are) not specified")
ONE_OF_FIELDS = re.compile(
    r"(Exactly|At most) one of the fields other than ([a-z_, ]+?) must be used"
)
INT_ENUM = re.compile(r"one of ((?:\d+(?: \(0x[0-9A-F]+\))?,? (?:or )?)+\d+(?: \(0x[0-9A-F]+\))?)")


def sentences(text: str) -> list[str]:
    """Split a description into sentences, keeping quoted values intact."""
    return [s.strip() for s in re.split(r"(?<=[.;])\s+", text) if s.strip()]


def string_enum(description: str) -> list[str] | None:
    """Values of 'must be one of "a", "b" or "c"' / 'Currently, can be "x" (...), "y"'."""
    for sentence in sentences(description):
        if re.search(r"\b(one of|can be)\b", sentence):
            values = re.findall(r'"([^"]+)"', sentence)
            if len(values) >= 2:
                return values
        if sentence.startswith("Choose one"):
            listed = sentence.split(":", 1)[-1].strip()
            words = [
                word for part in listed.split(", ") for word in part.split(" for ")[0].split(" or ")
            ]
            if all(re.fullmatch(r"[a-z_]+", word) for word in words):
                return words
    return None


def integer_enum(description: str) -> list[int] | None:
    """Values of 'must be one of 3, 6, or 12' (skipping arithmetic such as 6 * 3600)."""
    match = INT_ENUM.search(description)
    if not match:
        return None
    return [int(n) for n in re.findall(r"\d+", re.sub(r"\(0x[0-9A-F]+\)", "", match.group(1)))]


def field_contract(field: dict[str, Any]) -> dict[str, Any]:
    """The contract of one field: types, required, and any limits in its description."""
    description: str = field.get("description", "")
    out: dict[str, Any] = {"types": list(field["types"]), "required": bool(field["required"])}
    if match := LENGTH.search(description):
        out["length"] = [int(match.group(1)), int(match.group(2)), match.group(3)]
    if match := VALUE_RANGE.search(description):
        out["range"] = [int(match.group(1)), int(match.group(2))]
    if match := REQUIRED_IF.search(description):
        out["required_unless"] = match.group(1).split(" and ")
    if out["types"] == ["String"]:
        if match := CONST_QUOTED.search(description) or CONST_BARE.search(description):
            out["const"] = match.group(1)
        elif values := string_enum(description):
            out["enum"] = values
    elif out["types"] == ["Integer"] and (numbers := integer_enum(description)):
        out["enum"] = numbers
    return out


def type_contract(spec_type: dict[str, Any]) -> dict[str, Any]:
    """The contract of one type: its fields, subtypes and one-action-field rule."""
    fields = {f["name"]: field_contract(f) for f in spec_type.get("fields", [])}
    out: dict[str, Any] = {"fields": fields}
    if spec_type.get("subtypes"):
        out["subtypes"] = list(spec_type["subtypes"])
    for line in spec_type.get("description", []):
        if match := ONE_OF_FIELDS.search(line):
            exempt = {name for name in re.split(r",? and |, ", match.group(2)) if name}
            key = "exactly_one_of" if match.group(1) == "Exactly" else "at_most_one_of"
            out[key] = sorted(name for name in fields if name not in exempt)
    return out


def build(spec: dict[str, Any]) -> dict[str, Any]:
    """The whole contract for a parsed api.json."""
    return {
        "version": spec.get("version", ""),
        "methods": {
            name: {"fields": {f["name"]: field_contract(f) for f in method.get("fields", [])}}
            for name, method in spec["methods"].items()
        },
        "types": {name: type_contract(t) for name, t in spec["types"].items()},
    }


def main(argv: list[str]) -> int:
    """Read SPEC, write OUT."""
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    text = json.dumps(build(spec), sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    Path(argv[2]).write_text(text, encoding="utf-8")
    print(f"wrote {argv[2]}: {len(spec['methods'])} methods, {len(spec['types'])} types")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
