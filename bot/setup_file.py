"""`doorstep init`: a few questions, then a commented canteen file.

The file is the bundled example (bot/canteens.example.toml) with the answers put in its
first canteen, so every comment explaining a key stays beside it. It is validated like
the bot validates it at start, and written only when valid.
"""

from __future__ import annotations

import html
import re
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from bot.canteen_file import CanteenFile, example_text
from bot.core.i18n import t
from bot.settings import describe

Ask = Callable[[str], str]
VALUE = re.compile(r'^(?P<key>\w+)(?P<gap>\s*=\s*)(?P<value>"[^"]*"|[-\d.]+)(?P<rest>.*)$')


def _say(lang: str, key: str, **values: object) -> str:
    return html.unescape(str(t(lang, f"init.{key}", **values)))


class Sections:
    """The file as `[[...]]` sections of lines, edited key by key."""

    def __init__(self, text: str) -> None:
        self.parts: list[list[str]] = [[]]
        for line in text.splitlines():
            if line.startswith("[["):
                self.parts.append([])
            self.parts[-1].append(line)

    def find(self, header: str, **match: str) -> list[int]:
        """Indexes of the sections under `header` whose keys have these (quoted) values."""
        return [
            i
            for i, part in enumerate(self.parts)
            if part and part[0] == header and all(f'{k} = "{v}"' in part for k, v in match.items())
        ]

    def get(self, index: int, key: str) -> str:
        for line in self.parts[index]:
            if (found := VALUE.match(line)) and found["key"] == key:
                return found["value"].strip('"')
        raise KeyError(key)

    def set(self, index: int, key: str, value: str, comment: str | None = None) -> None:
        part = self.parts[index]
        for n, line in enumerate(part):
            if (found := VALUE.match(line)) and found["key"] == key:
                rest = f"  # {comment}" if comment else found["rest"]
                part[n] = f"{key}{found['gap']}{value}{rest}"
                return
        raise KeyError(key)

    def drop(self, index: int) -> None:
        self.parts[index] = []

    def text(self) -> str:
        return "\n".join(line for part in self.parts for line in part) + "\n"


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def interview(ask: Ask, lang: str) -> str:
    """The canteen file the answers make (not yet validated)."""
    file = Sections(example_text())
    canteen = file.find("[[canteens]]")[0]

    def question(key: str, current: str, **values: object) -> str:
        answer = ask(f"{_say(lang, key, **values)} [{current}]: ").strip()
        return answer or current

    for key in ("name", "name_en", "address", "phone", "country"):
        current = file.get(canteen, key) if key != "name_en" else ""
        answer = question(key, current)
        if key == "name_en" and not answer:
            file.set(canteen, key, _quoted(file.get(canteen, "name")))
        else:
            file.set(canteen, key, _quoted(answer))
    kitchen = ask(f"{_say(lang, 'kitchen')}: ").strip()
    if kitchen:
        file.set(canteen, "kitchen_chat_id", kitchen)
    else:
        file.set(canteen, "kitchen_chat_id", "-1001000000001", _say(lang, "kitchen_later"))
    lunch = file.find("[[canteens.windows]]", meal="lunch")[0]
    for key in ("cutoff", "serve"):
        file.set(lunch, key, _quoted(question(f"lunch_{key}", file.get(lunch, key))))
    dinner = file.find("[[canteens.windows]]", meal="dinner")[0]
    if question("dinner", "y").lower().startswith("n"):
        file.drop(dinner)
    else:
        for key in ("cutoff", "serve"):
            file.set(dinner, key, _quoted(question(f"dinner_{key}", file.get(dinner, key))))
    for dish in file.find("[[canteens.dishes]]"):
        name = file.get(dish, "name")
        file.set(dish, "price", question("price", file.get(dish, "price"), dish=name))
    return file.text()


def problems_of(text: str) -> list[str]:
    """What keeps the bot from starting with this canteen file."""
    try:
        CanteenFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        return [str(error)]
    except ValidationError as error:
        return describe(error)
    return []


def run(path: str, lang: str, *, force: bool, ask: Ask = input) -> int:
    """Ask, validate and write; 1 when the file exists (without force) or is not valid."""
    target = Path(path)
    if target.exists() and not force:
        print(_say(lang, "exists", path=target), file=sys.stderr)
        return 1
    print(_say(lang, "intro"))
    text = interview(ask, lang)
    if problems := problems_of(text):
        print(_say(lang, "invalid"), file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    target.write_text(text, "utf-8")
    print(_say(lang, "written", path=target))
    return 0
