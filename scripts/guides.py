"""`make guides`: the one-page guide of each role, in Chinese and English, with pictures
of the chat rendered from the sandbox while the demo day plays (scripts/chat_image.py).

    .venv/bin/python scripts/guides.py docs/guides

Each picture is one stretch of one person's chat in one chapter of the demo day
(bot/demo/script.py), so the guides show what the bot really sends today. Run it again
after changing what a role sees, and commit the result.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chat_image import render

from bot.demo import play
from bot.demo.script import Day
from bot.sandbox.transcript import BotEvent, Event
from bot.settings import load_config

LANGS = ("zh", "en")
# Events kept per picture: a long chapter (a registration) shows its end.
MOST = 12


@dataclass(frozen=True)
class Shot:
    """One picture: whose chat (a Day attribute, or "kitchen"), in which chapter, and the
    caption in each language."""

    who: str
    chapter: int
    zh: str
    en: str
    first: bool = False  # the chapter's first events instead of its last


@dataclass(frozen=True)
class Guide:
    role: str
    title: dict[str, str]
    intro: dict[str, str]
    shots: tuple[Shot, ...]


GUIDES = (
    Guide(
        "senior",
        {"zh": "老人：用 Doorstep 订餐", "en": "Seniors: ordering with Doorstep"},
        {
            "zh": "打开机器人，点“开始”。以后都只要点按钮，不用打字。"
            "每一步只问一个问题；点错了可以点“返回”。",
            "en": "Open the bot and press Start. After that you only tap buttons; no typing. "
            "Each step asks one question; tap Back if you tapped the wrong one.",
        },
        (
            Shot(
                "wang",
                3,
                "第一次：登记。姓名、电话、住址、饮食要求，最后交给社区审批。",
                "First time: register. Name, phone, address, diet; then it goes to the "
                "community for approval.",
                first=True,
            ),
            Shot(
                "wang",
                11,
                "订午餐：选哪一餐、哪个套餐、几份、送到家还是自取，最后确认。",
                "Ordering lunch: which meal, which set, how many, brought to your door or "
                "collected; then confirm.",
            ),
            Shot(
                "wang",
                19,
                "食堂确认后，机器人会告诉您。",
                "When the canteen confirms, the bot tells you.",
            ),
            Shot(
                "wang",
                28,
                "“和上次一样”：一次点按就订好明天的饭。",
                "“Same as last time”: one tap orders tomorrow's meal.",
            ),
        ),
    ),
    Guide(
        "family",
        {
            "zh": "家属：替老人订餐、接收提醒",
            "en": "Family: ordering for a senior, hearing from the door",
        },
        {
            "zh": "老人在机器人里点“家属邀请码”，把链接发给您。"
            "您打开链接、点“开始”，就能替老人订餐，"
            "饭送到、或者敲门没人应时，您都会收到消息。",
            "en": "The senior taps “Family invite code” in the bot and sends you the link. Open it "
            "and press Start: you can order for them, and you hear when the meal arrives or "
            "when nobody answers the door.",
        },
        (
            Shot("lina", 5, "用老人发来的邀请链接加入。", "Joining with the senior's invite link."),
            Shot(
                "tom",
                12,
                "替老人订餐（和老人自己订一样）。",
                "Ordering for the senior (the same steps as theirs).",
            ),
            Shot(
                "lina",
                24,
                "敲门没人应：马上告诉家属和食堂。",
                "Nobody answered the door: the family and the canteen are told at once.",
            ),
        ),
    ),
    Guide(
        "cook",
        {
            "zh": "食堂工作人员：菜单、订单、厨房单",
            "en": "Canteen staff: menu, orders, kitchen sheet",
        },
        {
            "zh": "管理员发给您邀请链接。您每天：发布当天菜单（可加特色菜、标记售完），确认订单，"
            "截止后在厨房群收到厨房单，做好后点“餐已做好”。老人打电话来，您也可以替他订。",
            "en": "The admin sends you an invite link. Each day you publish the menu "
            "(add a special, mark a dish sold out), confirm orders, get the kitchen sheet in "
            "the kitchen group at the cutoff, and tap “meals ready” when cooked. When a senior "
            "phones, you order for them.",
        },
        (
            Shot(
                "cook",
                10,
                "今天的菜单：加一道特色菜，标记售完。",
                "Today's menu: add a special, mark one sold out.",
            ),
            Shot("cook", 16, "替没有手机的老人订餐。", "Ordering for a senior without a phone."),
            Shot(
                "cook",
                19,
                "确认订单；不能送的订单说明原因后拒绝。",
                "Confirming orders; declining one, with the reason.",
            ),
            Shot(
                "kitchen",
                20,
                "截止时间一到，厨房群收到厨房单。",
                "At the cutoff the kitchen group gets the sheet.",
            ),
            Shot(
                "cook",
                23,
                "做好了：点“餐已做好”，志愿者就来取。",
                "Cooked: tap meals ready, and volunteers come.",
            ),
        ),
    ),
    Guide(
        "volunteer",
        {
            "zh": "志愿者：认领送餐、按路线送到门口",
            "en": "Volunteers: claiming deliveries, the route to each door",
        },
        {
            "zh": "用食堂发来的邀请链接加入，说好哪几天、哪一餐能帮忙，一次能拿几份。截止后您会收到"
            "待认领的送餐；认领截止后，机器人把路线按顺序发给您。每送到一家，点一下结果。",
            "en": "Join with the canteen's invite link and say which days and meals you can help "
            "and how many meals you can carry. After the cutoff you get deliveries to claim; "
            "then the bot sends your route in order. At each door, tap what happened.",
        },
        (
            Shot(
                "chen",
                1,
                "加入：哪几天、哪一餐、一次几份。",
                "Joining: which days, which meals, how many at once.",
                first=True,
            ),
            Shot("chen", 21, "认领送餐。", "Claiming deliveries."),
            Shot(
                "chen",
                22,
                "按顺序的路线，带地址和地图。",
                "The route in order, with addresses and map pins.",
            ),
            Shot(
                "chen",
                24,
                "在门口：送到了，或者没人应门。",
                "At the door: delivered, or nobody answered.",
            ),
        ),
    ),
    Guide(
        "admin",
        {
            "zh": "社区管理员：邀请、审批、提醒、报表",
            "en": "Community admin: invites, approvals, alerts, reports",
        },
        {
            "zh": "您的编号写在 DOORSTEP_ADMIN_IDS 里（给机器人发 /whoami 可以查到）。"
            "您邀请食堂工作人员，"
            "审批老人和家属的登记，导入社区老人名册，收到没人处理的提醒，每天晚上收到当天汇总。",
            "en": "Your id is in DOORSTEP_ADMIN_IDS (send /whoami to the bot to learn it). "
            "You invite the canteen's staff, approve seniors and families who register, "
            "import the community's roster, get alerts nobody has handled, and the day's "
            "summary each evening.",
        },
        (
            Shot("admin", 0, "邀请食堂工作人员。", "Inviting the canteen's staff."),
            Shot("admin", 3, "审批登记。", "Approving a registration."),
            Shot(
                "admin", 7, "导入老人名册（CSV 或 Excel）。", "Importing the roster (CSV or Excel)."
            ),
            Shot("admin", 25, "没人处理的提醒会交给您。", "An alert nobody handled comes to you."),
            Shot("admin", 29, "每天的汇总。", "The day's summary."),
        ),
    ),
)


class Recording(Day):
    """The demo day, noting where each chapter ends in the transcript."""

    played: list[Recording] = []  # noqa: RUF012 - the one way play() hands the day back

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ends: list[int] = []
        Recording.played.append(self)

    def chapter(self, title: str, *, quiet: str | None = None) -> None:
        self.ends.append(len(self.sandbox.transcript))
        super().chapter(title, quiet=quiet)

    def events(self, who: str, chapter: int) -> tuple[list[Event], str]:
        start = self.ends[chapter - 1] if chapter else 0
        stretch = self.sandbox.transcript[start : self.ends[chapter]]
        if who == "kitchen":
            title = self.sandbox.chat(self.deps.config.canteens.canteens[0].kitchen_chat_id).title
            return [e for e in stretch if e.chat == title], title
        person = getattr(self, who)
        return [e for e in stretch if e.chat == person.title and e.private], person.title


def keyboard_of(events: list[Event]) -> tuple[tuple[str, ...], ...] | None:
    for event in reversed(events):
        if isinstance(event, BotEvent) and event.keyboard is not None:
            return event.keyboard
    return None


def write(day: Recording, lang: str, folder: Path) -> None:
    images = folder / "img"
    images.mkdir(parents=True, exist_ok=True)
    for guide in GUIDES:
        lines = [f"# {guide.title[lang]}", "", guide.intro[lang], ""]
        for n, shot in enumerate(guide.shots, 1):
            events, _ = day.events(shot.who, shot.chapter)
            shown = events[:MOST] if shot.first else events[-MOST:]
            name = f"{guide.role}-{n}.{lang}.png"
            render(shown, images / name, keyboard_of(shown))
            caption = shot.zh if lang == "zh" else shot.en
            lines += [f"## {n}. {caption}", "", f"![{caption}](img/{name})", ""]
        (folder / f"{guide.role}.{lang}.md").write_text("\n".join(lines), "utf-8")


def index(folder: Path) -> None:
    rows = [
        f"| {g.title['zh']} | [中文]({g.role}.zh.md) | [English]({g.role}.en.md) |" for g in GUIDES
    ]
    text = "\n".join(
        [
            "# Guides / 使用指南",
            "",
            "One page per role, to print for the canteen. The pictures are the bot's real",
            "chats, rendered from the local sandbox while the demo day plays (`make guides`).",
            "",
            "| role / 角色 | | |",
            "|---|---|---|",
            *rows,
            "",
        ]
    )
    (folder / "README.md").write_text(text, "utf-8")


def main(folder: Path) -> int:
    logging.getLogger().setLevel(logging.WARNING)
    config = load_config(need_token=False, env_file=None)
    for lang in LANGS:
        with tempfile.TemporaryDirectory(prefix="doorstep-guides-") as workdir:
            _, ok = asyncio.run(play(config, Path(workdir), lang, Recording))
        if not ok:
            print(f"the demo day in {lang} did not pass its checks", file=sys.stderr)
            return 1
        write(Recording.played[-1], lang, folder)
    index(folder)
    print(f"Wrote the guides to {folder}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/guides")))
