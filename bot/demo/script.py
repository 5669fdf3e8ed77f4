"""One day of the Sunrise canteen, from Sunday afternoon's set-up to Monday night's report.

Every step is a person tapping the same buttons a real user would; the clock jumps from
scene to scene and the scheduler does the rest (windows open and close, the kitchen
sheet, claims, routes, escalations, the daily summary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.clock import ManualClock
from bot.demo.stage import Book, invite_code, newest, tap
from bot.deps import Deps
from bot.sandbox import Sandbox, SandboxUser
from bot.services import registration, resident_approval
from bot.services.labels import window_label
from bot.services.registration import Answers
from data import accounts, windows

ADMIN_ID = 9000
ORDER = "🍱 订餐"
PLACE = "✅ 确认下单"
DOOR = "🚪 送到家门口"


@dataclass
class Others:
    """A senior who orders by chat in a quiet chapter: who, which building, what."""

    user_id: int
    name: str
    building: str
    age_band: int
    alone: bool
    diet: tuple[str, ...]
    dish: str
    how: str


OTHERS = [
    Others(3102, "陈桂兰", "5号楼", 80, True, ("soft",), "番茄炒蛋", DOOR),
    Others(3104, "孙德明", "9号楼", 70, True, (), "番茄炒蛋", DOOR),
    Others(3105, "周玉珍", "9号楼", 80, True, ("low_sugar",), "番茄炒蛋", DOOR),
    Others(3107, "吴建华", "12号楼", 60, False, (), "套餐A", "🍽️ 在食堂吃"),
    Others(3108, "郑淑芬", "12号楼", 70, True, ("vegetarian",), "套餐C", DOOR),
    Others(3109, "冯志强", "7号楼", 80, True, ("minced",), "肉末粥", DOOR),
]
# The community's own list: three seniors without Telegram (one row has no phone, so it
# is refused and named), one of them on the hardship tier that pays nothing.
ROSTER = (
    "姓名,电话,楼栋,单元,房间,独居,送餐,饮食,年龄,补贴\n"
    "刘桂芳,13700000001,9号楼,,203,是,是,soft,86,hardship\n"
    "黄德胜,13700000002,12号楼,,402,否,否,,72,\n"
    "何秀兰,,5号楼,,105,是,是,,79,\n"
    "马玉梅,13700000004,7号楼,,301,是,是,low_salt,81,\n"
).encode()
HOMES = {"5号楼": (31.2316, 121.4752), "7号楼": (31.2331, 121.4764), "9号楼": (31.2289, 121.4718)}


class Day:
    """The cast, the clock and the book of one demo day."""

    def __init__(self, sandbox: Sandbox, deps: Deps, clock: ManualClock) -> None:
        self.sandbox, self.deps, self.clock = sandbox, deps, clock
        self.book = Book(sandbox)
        self.admin = sandbox.user(ADMIN_ID, "周主任", language_code="zh-hans")
        self.cook = sandbox.user(2101, "李师傅", language_code="zh-hans")
        self.wang = sandbox.user(3101, "王秀英", language_code="zh-hans", location=HOMES["5号楼"])
        self.zhao = sandbox.user(3103, "赵国庆", language_code="zh-hans")
        self.tom = sandbox.user(3201, "Tom", language_code="en")
        self.lina = sandbox.user(3202, "李娜", language_code="zh-hans")
        self.chen = sandbox.user(5101, "小陈", language_code="zh-hans")
        self.anna = sandbox.user(5102, "Anna", language_code="en")
        self.liu = sandbox.user(5103, "老刘", language_code="zh-hans")
        self.others = {
            o.user_id: sandbox.user(o.user_id, o.name, language_code="zh-hans") for o in OTHERS
        }

    async def at(self, day: int, hour: int, minute: int = 0) -> None:
        """Move the clock to 1 (Sunday) or 2 (Monday) March at hh:mm; due jobs run."""
        moment = datetime(2026, 3, day, hour, minute, tzinfo=self.clock.tz)
        if moment > self.clock.now():
            self.clock.set(moment)
        await self.sandbox.idle(timeout=30)

    def chapter(self, title: str, *, quiet: str | None = None) -> None:
        self.book.end(self.clock.now().strftime("%a %H:%M"), title, quiet=quiet)

    async def lunch_label(self) -> str:
        lunch = await windows.find(self.deps.db.conn, 1, self.clock.now().date(), "lunch")
        assert lunch is not None
        return str(window_label(lunch, "zh"))


async def set_up(day: Day) -> None:
    day.book.begin()
    await day.admin.send("/invite")
    await tap(day.admin, "工作人员")
    await day.cook.send(f"/start join_{invite_code(day.admin.last)}")
    day.chapter("The community admin invites the canteen's cook")

    for volunteer, bag in ((day.chen, "4"), (day.anna, "2"), (day.liu, "2")):
        await day.cook.send("/invite")
        await tap(day.cook, "志愿者")
        await volunteer.send(f"/start join_{invite_code(day.cook.last)}")
        await tap(volunteer, "🗓")
        for answer in (
            "每天" if volunteer is not day.anna else "Every day",
            "两餐都可以" if volunteer is not day.anna else "Both",
            bag,
        ):
            await tap(volunteer, answer)
        await tap(volunteer, "跳过" if volunteer is not day.anna else "Skip")
        if volunteer is day.chen:
            day.chapter("A volunteer joins by the cook's invite link")
    day.chapter("Two more volunteers join", quiet="Anna and 老刘, two meals each")


async def register_wang(day: Day) -> None:
    wang = day.wang
    await wang.send("/start")
    for step in ("📝 登记", "🙋 我自己"):
        await tap(wang, step)
    await wang.send("王秀英")
    await tap(wang, "📱")
    await tap(wang, "80岁")
    await wang.send("5号楼")
    await tap(wang, "没有单元")
    await wang.send("301")
    for step in ("📍", "是", "少盐", "✅ 好了", "✅ 提交审核"):
        await tap(wang, step)
    await tap(day.admin, "✅ 通过", message=newest(day.admin, "王秀英"))
    day.chapter("王秀英, 82, lives alone: she registers herself and the admin approves")


async def register_father(day: Day) -> None:
    tom = day.tom
    await tom.send("/start")
    for step in ("📝 Register", "👵 Someone I care for"):
        await tap(tom, step)
    await tom.send("张建国")
    await tom.send("13912345678")
    await tap(tom, "80 or older")
    await tom.send("7号楼")
    await tap(tom, "No unit")
    await tom.send("502")
    for step in ("Skip", "Yes", "Soft", "✅ Done", "✅ Send for approval"):
        await tap(tom, step)
    await day.at(1, 15, 5)  # the admin's next approval digest (one every few minutes)
    await tap(day.admin, "✅ 通过", message=newest(day.admin, "张建国"))
    day.chapter("Tom registers his father 张建国, who has no phone of his own")


async def family_and_regulars(day: Day) -> None:
    await tap(day.wang, "👪 家属")
    await tap(day.wang, "🔗 邀请家人")
    await day.lina.send(f"/start join_{invite_code(day.wang.last)}")
    day.chapter("王秀英 invites her daughter 李娜, who can now order and hear for her")

    await seat_others(day)
    await import_roster(day)
    zhao = day.zhao
    await zhao.send("/start")
    await tap(zhao, "🔁 固定订餐")
    for step in ("➕", "午餐", "每个工作日", "套餐A", "1", "🥡 自己来取", "✅"):
        await tap(zhao, step)
    day.chapter("赵国庆 sets up a regular lunch: every weekday, Set A, picked up")


async def seat_others(day: Day) -> None:
    """Seniors the community already approved (registered as above, without the chatter)."""
    seniors = [(o.user_id, o.name, o.building, o.age_band, o.alone, list(o.diet)) for o in OTHERS]
    seniors.append((3103, "赵国庆", "7号楼", 70, False, []))
    for user_id, name, building, band, alone, diet in seniors:
        user = day.sandbox.user(user_id, name, language_code="zh-hans")
        place = HOMES.get(building)
        answers = Answers(
            name=name,
            phone=f"1380013{user_id}",
            age_band=band,
            building=building,
            room="101",
            lat=place[0] if place else None,
            lon=place[1] if place else None,
            lives_alone=alone,
            diet=diet,
            canteen_id=1,
        )
        async with day.deps.db.transaction() as tx:
            await accounts.upsert(tx, user_id, name, None, day.clock.now(), "zh-hans")
        resident = await registration.submit(day.deps, user_id, answers)
        await resident_approval.decide(day.deps, ADMIN_ID, resident.id, True)
        await user.send("/start")
    await day.sandbox.idle()
    day.chapter("Seven more seniors are registered and approved", quiet="7 seniors")


async def import_roster(day: Day) -> None:
    await day.admin.send_document("阳光社区老人名册.csv", ROSTER, caption="老人名册")
    await tap(day.admin, "✅ 导入")
    day.chapter("The admin sends the community's roster: three seniors without Telegram")


async def order_for(cook: SandboxUser, name: str, steps: tuple[str, ...]) -> None:
    """The cook orders for a senior who has no phone (same questions as a resident)."""
    await cook.send("/order")
    await cook.send(name)
    await tap(cook, name)
    for step in steps:
        await tap(cook, step)


async def menu_of_the_day(day: Day) -> None:
    cook = day.cook
    await cook.send("/menu")
    await tap(cook, await day.lunch_label())
    await tap(cook, "➕")
    await cook.send("番茄炒蛋盖饭")
    await cook.send("13")
    for step in ("▫️ 软食", "下一步"):
        await tap(cook, step)
    await cook.send("2")
    await tap(cook, "🚫 B")
    day.chapter("The cook adds today's special (2 portions) and marks Set B sold out")


async def order(user: SandboxUser, dish: str, how: str = DOOR) -> None:
    for step in (ORDER, "今天午餐", dish, "1", how, PLACE):
        await tap(user, step)


async def morning_orders(day: Day) -> None:
    await order(day.wang, "套餐A")
    day.chapter("王秀英 orders lunch: six taps")
    tom = day.tom
    for step in ("🍱 Order a meal", "Lunch today", "Set C", "1", "🚪 Bring it to my door"):
        await tap(tom, step)
    await tap(tom, "✅ Place order")
    day.chapter("Tom orders lunch for his father, Set C (soft), delivered")
    for other in OTHERS[:2]:
        await order(day.others[other.user_id], other.dish, other.how)
    day.chapter("Two neighbours take the last two specials", quiet="孙德明 and 陈桂兰")
    zhou = day.others[3105]
    for step in (ORDER, "今天午餐"):
        await tap(zhou, step)
    await order_rest(zhou, "套餐C")
    day.chapter("周玉珍 wanted the special: it is sold out, so she takes Set C")
    for other in OTHERS[3:]:
        await order(day.others[other.user_id], other.dish, other.how)
    day.chapter("Three more seniors order", quiet="吴建华 (dine-in), 郑淑芬, 冯志强")
    await order_for(day.cook, "刘桂芳", ("今天午餐", "套餐C", "1", DOOR, PLACE))
    day.chapter("刘桂芳 (hardship tier) has no phone: the cook orders for her, and she pays ¥0")
    await order_for(day.cook, "马玉梅", ("今天午餐", "套餐A", "1", DOOR, PLACE))
    day.chapter("The cook orders for 马玉梅 too", quiet="Set A, delivered")
    wu = day.others[3107]
    await tap(wu, "📋 我的订单")
    await tap(wu, "✖️ 取消订单")
    day.chapter("吴建华 will eat at his son's today: he cancels before the cutoff")


async def order_rest(user: SandboxUser, dish: str) -> None:
    for step in (dish, "1", DOOR, PLACE):
        await tap(user, step)


async def receive_orders(day: Day) -> None:
    cook = day.cook
    await cook.send("/orders")
    await tap(cook, await day.lunch_label())
    board = cook.last
    feng = re.search(r"#(\d+) 冯志强", board.text)
    assert feng is not None, board.text
    await tap(cook, f"❌ #{feng.group(1)}", message=board)
    await tap(cook, "不在送餐范围")
    await tap(cook, "✅ 全部确认")
    day.chapter("The cook confirms the orders, and declines 冯志强's: outside the delivery area")


async def close_and_dispatch(day: Day) -> None:
    await day.at(2, 9, 30)
    day.chapter("09:30 cutoff: ordering closes, the kitchen gets its sheet, volunteers the board")
    board = newest(day.chen, "认领")
    await tap(day.chen, "认领5号楼", message=board)
    anna_board = newest(day.anna, "Deliveries for")
    await tap(day.anna, "#", message=anna_board)
    day.chapter("Volunteers claim: 小陈 takes Building 5, Anna takes one delivery")
    await day.at(2, 10, 45)
    day.chapter("10:45 claim deadline: the rest is assigned, each volunteer gets an ordered route")
    await day.cook.send("/orders")
    await tap(day.cook, await day.lunch_label())
    await tap(day.cook, "🍽")
    day.chapter("The kitchen is done: the cook marks the meals ready")


async def at_the_doors(day: Day) -> None:
    await day.at(2, 11, 40)
    for volunteer in (day.chen, day.anna, day.liu):
        english = volunteer is day.anna
        ok, na = ("✅ Delivered", "🚪 No answer") if english else ("✅ 已送达", "🚪 无人应门")
        for card in [m for m in volunteer.visible if ok in m.inline_texts]:
            await tap(volunteer, na if "王秀英" in card.text else ok, message=card)
    day.chapter("11:40 at the doors: meals delivered, but nobody opens at 王秀英's")
    await day.at(2, 12, 0)
    day.chapter("12:00 nobody has resolved it: the community admin is told")
    await day.cook.send("/orders")
    await tap(day.cook, await day.lunch_label())
    await tap(day.cook, "🤲")
    day.chapter("赵国庆 collects his regular lunch at the counter")
    await day.cook.send("/order")
    await tap(day.cook, "🚶")
    await day.cook.send("黄德胜")
    await tap(day.cook, "黄德胜")
    for step in ("套餐A", "1", "🍽️", PLACE):
        await tap(day.cook, step)
    day.chapter("黄德胜 walks in at noon: the cook records his meal, served at once")


async def evening(day: Day) -> None:
    await day.at(2, 16, 5)
    await tap(day.wang, ORDER)
    await tap(day.wang, "🔁")
    day.chapter("王秀英 (at the doctor's, all is well) orders tomorrow: same as last time")
    await day.at(2, 20, 0)
    day.chapter("20:00 the day's report reaches the admin")


async def play_day(day: Day) -> None:
    await day.at(1, 15, 0)
    await set_up(day)
    await register_wang(day)
    await register_father(day)
    await family_and_regulars(day)
    await day.at(1, 16, 0)
    day.chapter("16:00 ordering for Monday opens: 赵国庆's regular lunch is placed by itself")
    await day.at(2, 7, 30)
    await menu_of_the_day(day)
    await morning_orders(day)
    await day.at(2, 9, 0)
    await receive_orders(day)
    await close_and_dispatch(day)
    await at_the_doors(day)
    await evening(day)
