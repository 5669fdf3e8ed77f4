"""One day of the Sunrise canteen, from Sunday afternoon's set-up to Monday night's report.

Every step is a person tapping the same buttons a real user would; the clock jumps from
scene to scene and the scheduler does the rest (windows open and close, the kitchen
sheet, claims, routes, escalations, the daily summary). The day plays in Chinese (Tom and
Anna write English) or, with `lang="en"`, with everyone in English. Every button is found
by its label in the catalogue, in the language of the person who taps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.core.clock import ManualClock
from bot.core.deps import Deps
from bot.core.labels import tag_label, window_label
from bot.demo.stage import Book, invite_code, label, newest, tap
from bot.sandbox import Sandbox, SandboxUser
from bot.services.ordering import messages
from bot.services.people import registration, resident_approval
from bot.services.people.registration import Answers
from data import accounts, windows
from data.models import Window

ADMIN_ID = 9000
LANGUAGE_CODES = {"zh": "zh-hans", "en": "en"}

# Who is who, in each language the day is played in.
NAMES = {
    "zh": {
        "admin": "周主任", "cook": "李师傅", "wang": "王秀英", "zhao": "赵国庆", "lina": "李娜",
        "chen": "小陈", "liu": "老刘", "father": "张建国", "chen_gl": "陈桂兰", "sun": "孙德明",
        "zhou": "周玉珍", "wu": "吴建华", "zheng": "郑淑芬", "feng": "冯志强",
        "liu_gf": "刘桂芳", "huang": "黄德胜", "he": "何秀兰", "ma": "马玉梅",
    },
    "en": {
        "admin": "Director Zhou", "cook": "Chef Li", "wang": "Wang Xiuying",
        "zhao": "Zhao Guoqing", "lina": "Li Na", "chen": "Xiao Chen", "liu": "Old Liu",
        "father": "Zhang Jianguo", "chen_gl": "Chen Guilan", "sun": "Sun Deming",
        "zhou": "Zhou Yuzhen", "wu": "Wu Jianhua", "zheng": "Zheng Shufen",
        "feng": "Feng Zhiqiang", "liu_gf": "Liu Guifang", "huang": "Huang Desheng",
        "he": "He Xiulan", "ma": "Ma Yumei",
    },
}  # fmt: skip
BUILDING = {"zh": "{n}号楼", "en": "Building {n}"}
SPECIAL = {"zh": "番茄炒蛋盖饭", "en": "Tomato and egg on rice"}
HOMES = {5: (31.2316, 121.4752), 7: (31.2331, 121.4764), 9: (31.2289, 121.4718)}


@dataclass
class Others:
    """A senior who orders by chat in a quiet chapter: who, which building, what."""

    user_id: int
    name: str  # key in NAMES
    building: int
    age_band: int
    alone: bool
    diet: tuple[str, ...]
    dish: str  # a dish code, or "special": the cook's dish of the day
    how: str  # delivery or dine_in


OTHERS = [
    Others(3102, "chen_gl", 5, 80, True, ("soft",), "special", "delivery"),
    Others(3104, "sun", 9, 70, True, (), "special", "delivery"),
    Others(3105, "zhou", 9, 80, True, ("low_sugar",), "special", "delivery"),
    Others(3107, "wu", 12, 60, False, (), "A", "dine_in"),
    Others(3108, "zheng", 12, 70, True, ("vegetarian",), "C", "delivery"),
    Others(3109, "feng", 7, 80, True, ("minced",), "P", "delivery"),
]
# The community's own list: three seniors without Telegram (one row has no phone, so it
# is refused and named), one of them on the hardship tier that pays nothing.
ROSTER_ROWS = (
    ("liu_gf", "13700000001", 9, "203", True, True, "soft", "86", "hardship"),
    ("huang", "13700000002", 12, "402", False, False, "", "72", ""),
    ("he", "", 5, "105", True, True, "", "79", ""),
    ("ma", "13700000004", 7, "301", True, True, "low_salt", "81", ""),
)
ROSTER_FILE = {
    "zh": (
        "阳光社区老人名册.csv",
        "老人名册",
        "姓名,电话,楼栋,单元,房间,独居,送餐,饮食,年龄,补贴",
        "是",
        "否",
    ),
    "en": (
        "sunrise-roster.csv",
        "Residents roster",
        "name,phone,building,unit,room,lives_alone,delivery,diet,age,tier",
        "yes",
        "no",
    ),
}


def roster_csv(lang: str) -> bytes:
    _, _, header, yes, no = ROSTER_FILE[lang]
    lines = [header]
    for key, phone, building, room, alone, delivery, diet, age, tier in ROSTER_ROWS:
        home = BUILDING[lang].format(n=building)
        flags = (yes if alone else no, yes if delivery else no)
        lines.append(",".join((NAMES[lang][key], phone, home, "", room, *flags, diet, age, tier)))
    return ("\n".join(lines) + "\n").encode()


class Day:
    """The cast, the clock and the book of one demo day."""

    def __init__(self, sandbox: Sandbox, deps: Deps, clock: ManualClock, lang: str = "zh") -> None:
        self.sandbox, self.deps, self.clock, self.lang = sandbox, deps, clock, lang
        self.book = Book(sandbox)
        self.names = NAMES[lang]
        self.speaks: dict[int, str] = {}
        self.admin = self.person(ADMIN_ID, self.names["admin"])
        self.cook = self.person(2101, self.names["cook"])
        self.wang = self.person(3101, self.names["wang"], location=HOMES[5])
        self.zhao = self.person(3103, self.names["zhao"])
        self.tom = self.person(3201, "Tom", english=True)
        self.lina = self.person(3202, self.names["lina"])
        self.chen = self.person(5101, self.names["chen"])
        self.anna = self.person(5102, "Anna", english=True)
        self.liu = self.person(5103, self.names["liu"])
        self.others = {o.user_id: self.person(o.user_id, self.names[o.name]) for o in OTHERS}

    def person(
        self,
        user_id: int,
        name: str,
        *,
        english: bool = False,
        location: tuple[float, float] | None = None,
    ) -> SandboxUser:
        """Someone in the day, writing the day's language (Tom and Anna always English)."""
        lang = "en" if english else self.lang
        self.speaks[user_id] = lang
        code = LANGUAGE_CODES[lang]
        if location is None:
            return self.sandbox.user(user_id, name, language_code=code)
        return self.sandbox.user(user_id, name, language_code=code, location=location)

    async def press(self, user: SandboxUser, key: str, **values: object) -> None:
        """Tap the button with this catalogue label, in the language of the one who taps."""
        await tap(user, label(self.speaks[user.id], key, **values))

    def how_key(self, user: SandboxUser, how: str) -> str:
        """The "how" button in the voice the bot used: her own ("Bring it to my door") or
        someone else's ("Bring it to Zhang Jianguo's door")."""
        own = f"resident.fulfilment.{how}"
        shown = [button for row in user.keyboard or [] for button in row]
        mine = label(self.speaks[user.id], own)
        return own if any(b.startswith(mine) for b in shown) else f"resident.fulfilment_for.{how}"

    def building(self, n: int) -> str:
        return BUILDING[self.lang].format(n=n)

    def dish(self, user: SandboxUser, code: str) -> str:
        """A dish's name as this person's menu shows it."""
        if code == "special":
            return SPECIAL[self.lang]
        spec = self.deps.config.canteens.canteens[0]
        dish = next(dish for dish in spec.dishes if dish.code == code)
        english = self.speaks[user.id] == "en" and dish.name_en
        return dish.name_en if english and dish.name_en else dish.name

    async def at(self, day: int, hour: int, minute: int = 0) -> None:
        """Move the clock to 1 (Sunday) or 2 (Monday) March at hh:mm; due jobs run."""
        moment = datetime(2026, 3, day, hour, minute, tzinfo=self.clock.tz)
        if moment > self.clock.now():
            self.clock.set(moment)
        await self.sandbox.idle(timeout=30)

    def chapter(self, title: str, *, quiet: str | None = None) -> None:
        self.book.end(self.clock.now().strftime("%a %H:%M"), title, quiet=quiet)

    async def lunch(self) -> Window:
        lunch = await windows.find(self.deps.db.reader, 1, self.clock.now().date(), "lunch")
        assert lunch is not None
        return lunch

    async def lunch_label(self, user: SandboxUser) -> str:
        """Today's lunch on the staff's window buttons."""
        return str(window_label(await self.lunch(), self.speaks[user.id]))

    async def lunch_today(self, user: SandboxUser) -> None:
        """Tap today's lunch on the question "which meal?"."""
        lang = self.speaks[user.id]
        today = self.clock.now().astimezone(self.clock.tz).date()
        meal = messages.window_label(lang, await self.lunch(), today)
        await self.press(user, "resident.order.window_button", window=meal)


async def set_up(day: Day) -> None:
    day.book.begin()
    await day.admin.send("/invite")
    await day.press(day.admin, "staff.role.staff")
    await day.cook.send(f"/start join_{invite_code(day.admin.last)}")
    day.chapter("The community admin invites the canteen's cook")

    for volunteer, bag in ((day.chen, "4"), (day.anna, "2"), (day.liu, "2")):
        await day.cook.send("/invite")
        await day.press(day.cook, "staff.role.volunteer")
        await volunteer.send(f"/start join_{invite_code(day.cook.last)}")
        await day.press(volunteer, "volunteer.join.begin")
        await day.press(volunteer, "volunteer.join.every_day")
        await day.press(volunteer, "volunteer.join.both")
        await tap(volunteer, bag)
        await day.press(volunteer, "volunteer.join.skip")
        if volunteer is day.chen:
            day.chapter("A volunteer joins by the cook's invite link")
    day.chapter("Two more volunteers join", quiet=f"Anna and {day.names['liu']}, two meals each")


async def register_wang(day: Day) -> None:
    wang, name = day.wang, day.names["wang"]
    await wang.send("/start")
    await day.press(wang, "core.button.register")
    await day.press(wang, "resident.register.myself")
    await wang.send(name)
    await day.press(wang, "resident.register.share_phone")
    await day.press(wang, "resident.age.band80")
    await wang.send(day.building(5))
    await day.press(wang, "resident.register.no_unit")
    await wang.send("301")
    for key in ("share_location", "yes"):
        await day.press(wang, f"resident.register.{key}")
    await day.press(wang, "resident.diet.low_salt")
    for key in ("done", "send"):
        await day.press(wang, f"resident.register.{key}")
    await tap(day.admin, approve(day), message=newest(day.admin, name))
    day.chapter(f"{name}, 82, lives alone: she registers herself and the admin approves")


def approve(day: Day) -> str:
    return label(day.speaks[ADMIN_ID], "admin.digest.approve")  # "✅ Approve" + a name


async def register_father(day: Day) -> None:
    tom, father = day.tom, day.names["father"]
    await tom.send("/start")
    await day.press(tom, "core.button.register")
    await day.press(tom, "resident.register.someone")
    await tom.send(father)
    await tom.send("13912345678")
    await day.press(tom, "resident.age.band80")
    await tom.send(day.building(7))
    await day.press(tom, "resident.register.no_unit")
    await tom.send("502")
    for key in ("skip", "yes"):
        await day.press(tom, f"resident.register.{key}")
    await day.press(tom, "resident.diet.soft")
    for key in ("done", "send"):
        await day.press(tom, f"resident.register.{key}")
    await day.at(1, 15, 5)  # the admin's next approval digest (one every few minutes)
    await tap(day.admin, approve(day), message=newest(day.admin, father))
    day.chapter(f"Tom registers his father {father}, who has no phone of his own")


async def family_and_regulars(day: Day) -> None:
    await day.press(day.wang, "core.button.family")
    await day.press(day.wang, "resident.family.invite_button")
    await day.lina.send(f"/start join_{invite_code(day.wang.last)}")
    day.chapter(
        f"{day.names['wang']} invites her daughter {day.names['lina']},"
        " who can now order and hear for her"
    )

    await seat_others(day)
    await import_roster(day)
    zhao = day.zhao
    await zhao.send("/start")
    await day.press(zhao, "core.button.regular")
    await day.press(zhao, "resident.standing.new")
    await day.press(zhao, "resident.meal.lunch")
    await day.press(zhao, "resident.standing.weekdays")
    await tap(zhao, day.dish(zhao, "A"))
    await tap(zhao, "1")
    await day.press(zhao, "resident.fulfilment.pickup")
    await day.press(zhao, "resident.standing.save")
    day.chapter(f"{day.names['zhao']} sets up a regular lunch: every weekday, Set A, picked up")


async def seat_others(day: Day) -> None:
    """Seniors the community already approved (registered as above, without the chatter)."""
    seniors = [(o.user_id, o.building, o.age_band, o.alone, list(o.diet)) for o in OTHERS]
    seniors.append((3103, 7, 70, False, []))
    for user_id, building, band, alone, diet in seniors:
        user = day.others.get(user_id, day.zhao)
        place = HOMES.get(building)
        answers = Answers(
            name=user.name,
            phone=f"1380013{user_id}",
            age_band=band,
            building=day.building(building),
            room="101",
            lat=place[0] if place else None,
            lon=place[1] if place else None,
            lives_alone=alone,
            diet=diet,
            canteen_id=1,
        )
        code = LANGUAGE_CODES[day.speaks[user_id]]
        async with day.deps.db.transaction() as tx:
            await accounts.upsert(tx, user_id, user.name, None, day.clock.now(), code)
        resident = await registration.submit(day.deps, user_id, answers)
        await resident_approval.decide(day.deps, ADMIN_ID, resident.id, True)
        await user.send("/start")
    await day.sandbox.idle()
    day.chapter("Seven more seniors are registered and approved", quiet="7 seniors")


async def import_roster(day: Day) -> None:
    filename, caption, *_ = ROSTER_FILE[day.lang]
    await day.admin.send_document(filename, roster_csv(day.lang), caption=caption)
    await day.press(day.admin, "admin.roster.import_button")
    day.chapter("The admin sends the community's roster: three seniors without Telegram")


async def order_for(day: Day, name: str, steps: tuple[str, ...]) -> None:
    """The cook orders for a senior who has no phone (same questions as a resident)."""
    cook = day.cook
    await cook.send("/order")
    await cook.send(name)
    await tap(cook, name)
    await day.lunch_today(cook)
    await order_rest(day, cook, *steps)


async def menu_of_the_day(day: Day) -> None:
    cook = day.cook
    lang = day.speaks[cook.id]
    await cook.send("/menu")
    await tap(cook, await day.lunch_label(cook))
    await day.press(cook, "staff.menu.add")
    await cook.send(SPECIAL[day.lang])
    await cook.send("13")
    await tap(cook, f"▫️ {tag_label('soft', lang)}")
    await day.press(cook, "staff.menu.next")
    await cook.send("2")
    await day.press(cook, "staff.menu.sold_out", code="B")
    day.chapter("The cook adds today's special (2 portions) and marks Set B sold out")


async def order(day: Day, user: SandboxUser, dish: str, how: str = "delivery") -> None:
    """The usual order: order a meal, lunch today, the dish, 1, how, place it (six taps)."""
    await day.press(user, "core.button.order")
    await day.lunch_today(user)
    await order_rest(day, user, dish, how)


async def order_rest(day: Day, user: SandboxUser, dish: str, how: str = "delivery") -> None:
    await tap(user, day.dish(user, dish))
    await tap(user, "1")
    await day.press(user, day.how_key(user, how))
    await day.press(user, "resident.order.place_button")


async def morning_orders(day: Day) -> None:
    names = day.names
    await order(day, day.wang, "A")
    day.chapter(f"{names['wang']} orders lunch: six taps")
    await order(day, day.tom, "C")
    day.chapter("Tom orders lunch for his father, Set C (soft), delivered")
    for other in OTHERS[:2]:
        await order(day, day.others[other.user_id], other.dish, other.how)
    two = f"{names['sun']} and {names['chen_gl']}"
    day.chapter("Two neighbours take the last two specials", quiet=two)
    zhou = day.others[3105]
    await day.press(zhou, "core.button.order")
    await day.lunch_today(zhou)
    await order_rest(day, zhou, "C")
    day.chapter(f"{names['zhou']} wanted the special: it is sold out, so she takes Set C")
    for other in OTHERS[3:]:
        await order(day, day.others[other.user_id], other.dish, other.how)
    three = f"{names['wu']} (dine-in), {names['zheng']}, {names['feng']}"
    day.chapter("Three more seniors order", quiet=three)
    await order_for(day, names["liu_gf"], ("C",))
    day.chapter(
        f"{names['liu_gf']} (hardship tier) has no phone: the cook orders for her, and she pays ¥0"
    )
    await order_for(day, names["ma"], ("A",))
    day.chapter(f"The cook orders for {names['ma']} too", quiet="Set A, delivered")
    wu = day.others[3107]
    await day.press(wu, "core.button.my_orders")
    await day.press(wu, "resident.orders.cancel_button")
    await day.press(wu, "resident.cancel.yes")  # asked once more: "Cancel lunch on …?"
    day.chapter(f"{names['wu']} will eat at his son's today: he cancels before the cutoff")


async def receive_orders(day: Day) -> None:
    cook, feng = day.cook, day.names["feng"]
    await cook.send("/orders")
    await tap(cook, await day.lunch_label(cook))
    board = cook.last
    found = re.search(rf"#(\d+) {re.escape(feng)}", board.text)
    assert found is not None, board.text
    await tap(cook, label(day.speaks[cook.id], "staff.receipt.decline", id=found[1]), message=board)
    await day.press(cook, "staff.reason_button.area")
    await day.press(cook, "staff.receipt.confirm_all")
    day.chapter(f"The cook confirms the orders, and declines {feng}'s: outside the delivery area")


async def close_and_dispatch(day: Day) -> None:
    await day.at(2, 9, 30)
    day.chapter("09:30 cutoff: ordering closes, the kitchen gets its sheet, volunteers the board")
    chen_lang, anna_lang = day.speaks[day.chen.id], day.speaks[day.anna.id]
    board = newest(day.chen, label(chen_lang, "volunteer.board.bag"))
    take = label(chen_lang, "volunteer.board.take_group", building=day.building(5))
    await tap(day.chen, take, message=board)
    anna_board = newest(day.anna, label(anna_lang, "volunteer.board.bag"))
    await tap(day.anna, label(anna_lang, "volunteer.board.take_one"), message=anna_board)
    day.chapter(
        f"Volunteers claim: {day.names['chen']} takes {day.building(5)}, Anna takes one delivery"
    )
    await day.at(2, 10, 45)
    day.chapter("10:45 claim deadline: the rest is assigned, each volunteer gets an ordered route")
    await day.cook.send("/orders")
    await tap(day.cook, await day.lunch_label(day.cook))
    await day.press(day.cook, "staff.receipt.ready")
    day.chapter("The kitchen is done: the cook marks the meals ready")


async def at_the_doors(day: Day) -> None:
    await day.at(2, 11, 40)
    wang = day.names["wang"]
    for volunteer in (day.chen, day.anna, day.liu):
        lang = day.speaks[volunteer.id]
        ok, na = label(lang, "volunteer.button.ok"), label(lang, "volunteer.button.na")
        for card in [m for m in volunteer.visible if ok in m.inline_texts]:
            await tap(volunteer, na if wang in card.text else ok, message=card)
    day.chapter(f"11:40 at the doors: meals delivered, but nobody opens at {wang}'s")
    await day.at(2, 12, 0)
    day.chapter("12:00 nobody has resolved it: the community admin is told")
    await day.cook.send("/orders")
    await tap(day.cook, await day.lunch_label(day.cook))
    await day.press(day.cook, "staff.receipt.collected")
    day.chapter(f"{day.names['zhao']} collects his regular lunch at the counter")
    huang = day.names["huang"]
    await day.cook.send("/order")
    await day.press(day.cook, "staff.order.walk_in_button")
    await day.cook.send(huang)
    await tap(day.cook, huang)
    await order_rest(day, day.cook, "A", "dine_in")
    day.chapter(f"{huang} walks in at noon: the cook records his meal, served at once")


async def evening(day: Day) -> None:
    await day.at(2, 16, 5)
    await day.press(day.wang, "core.button.order")
    await day.press(day.wang, "resident.again.button")
    day.chapter(
        f"{day.names['wang']} (at the doctor's, all is well) orders tomorrow: same as last time"
    )
    await day.at(2, 20, 0)
    day.chapter("20:00 the day's report reaches the admin")


async def play_day(day: Day) -> None:
    await day.at(1, 15, 0)
    await set_up(day)
    await register_wang(day)
    await register_father(day)
    await family_and_regulars(day)
    await day.at(1, 16, 0)
    day.chapter(
        f"16:00 ordering for Monday opens: {day.names['zhao']}'s regular lunch is placed by itself"
    )
    await day.at(2, 7, 30)
    await menu_of_the_day(day)
    await morning_orders(day)
    await day.at(2, 9, 0)
    await receive_orders(day)
    await close_and_dispatch(day)
    await at_the_doors(day)
    await evening(day)
