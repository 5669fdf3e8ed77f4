"""The wellness watch: a senior living alone who goes quiet is noticed; one who checks in is not."""

from __future__ import annotations

from bot.sandbox import SandboxUser
from bot.services.ordering import placing
from data import accounts, links, windows
from tests.harness import ADMIN_ID, Env
from tests.residents_kit import seen, senior

QUIET = "Wellness check"


async def with_family(env: Env, resident_id: int, account_id: int, name: str) -> SandboxUser:
    async with env.deps.db.transaction() as tx:
        await accounts.ensure(tx, account_id, env.clock.now())
        await links.create(tx, account_id, resident_id, "family", env.clock.now())
    family = env.user(account_id, name, language_code="en")
    await family.send("/start")
    return family


async def people(env: Env) -> tuple[SandboxUser, SandboxUser, SandboxUser]:
    """Ann lives alone with her daughter Mei linked; the admin is there."""
    admin = env.user(ADMIN_ID, "Admin", language_code="en")
    await admin.send("/start")
    ann = env.user(3001, "Ann", language_code="en")
    await ann.send("/start")
    ann_id = await senior(env, 3001, "Ann Lee", alone=True)
    mei = await with_family(env, ann_id, 3002, "Mei")
    return admin, ann, mei


async def check_in_today(env: Env, user: SandboxUser, day: int) -> None:
    """Tap the newest "I'm fine" button, once the day's question has arrived."""
    for _ in range(100):
        asked = [m for m in user.messages if "let us know you are fine" in m.history[0]]
        if len(asked) >= day:
            break
        await env.settle()
    await user.click("🙂 I'm fine")
    assert user.last.text == "Thank you! Have a good day. 🌷"


async def test_a_senior_silent_for_three_days_raises_an_alert_to_family_and_admin(
    env: Env,
) -> None:
    admin, _, mei = await people(env)
    await env.advance(days=2)
    assert not any(QUIET in m.text for m in admin.messages)
    await env.advance(days=1)
    text = await seen(env, mei, QUIET)
    assert "days without news of Ann Lee: 3." in text
    assert "Building 5 301" in text
    assert "13800138000" in text
    await seen(env, admin, "days without news of Ann Lee")
    await env.advance(days=1)
    alerts = [m for m in admin.messages if QUIET in m.text]
    assert len(alerts) == 1  # once per quiet spell, not every day


async def test_a_senior_who_checks_in_every_morning_raises_no_alert(env: Env) -> None:
    admin, ann, mei = await people(env)
    bo = env.user(3003, "Bo", language_code="en")
    await bo.send("/start")
    await senior(env, 3003, "Bo Chen", alone=True)
    for day in range(1, 5):
        await env.advance(days=1)
        await check_in_today(env, ann, day)
    await seen(env, admin, "days without news of Bo Chen")
    assert not any("Ann Lee" in m.text and QUIET in m.text for m in admin.messages)
    assert not any(QUIET in m.text for m in mei.messages)
    checked = await env.rows("SELECT COUNT(*) FROM checkins WHERE checked_at IS NOT NULL")
    assert checked == [(4,)]


async def test_a_missed_check_in_alerts_the_family_at_the_deadline_then_the_admin(
    env: Env,
) -> None:
    admin, ann, mei = await people(env)
    await env.advance(days=1)  # Tuesday 08:00: asked
    await seen(env, ann, "let us know you are fine")
    await env.advance(hours=2)  # 10:00: the deadline
    await seen(env, mei, "Ann Lee has not tapped “I'm fine” this morning")
    assert not any("Missed check-in" in m.text for m in admin.messages)
    await env.advance(hours=1)  # 11:00: nobody helped
    await seen(env, admin, "Missed check-in")
    await ann.click("🙂 I'm fine")
    assert ann.last.text == "Thank you! Have a good day. 🌷"


async def test_only_the_senior_can_press_their_check_in(env: Env) -> None:
    _, _ann, mei = await people(env)
    resident_id = (await env.rows("SELECT id FROM residents"))[0][0]
    await mei.press(f"chk1:ok:{resident_id}")
    assert mei.callback_answers[-1].text == "Sorry, you cannot do that."
    assert await env.rows("SELECT COUNT(*) FROM checkins") == [(0,)]


async def test_no_missed_check_in_alert_for_a_senior_who_ordered_today(env: Env) -> None:
    """An order is a sign of life: nobody is alarmed at the deadline."""
    admin, ann, mei = await people(env)
    await env.advance(days=1)  # Tuesday 08:00: asked
    await seen(env, ann, "let us know you are fine")
    resident_id = (await env.rows("SELECT id FROM residents"))[0][0]
    tuesday = env.clock.now().date()
    window = await windows.find(env.deps.db.conn, 1, tuesday, "lunch")
    assert window is not None
    menu = {item.code: item for item in await windows.menu(env.deps.db.conn, window.id)}
    draft = placing.Draft(resident_id, window.id, menu["A"].id, 1, "pickup")
    await placing.place(env.deps, 3002, draft, "en")  # her daughter orders her lunch
    await env.advance(hours=3)  # 11:00: past the deadline and the escalation
    await env.drained()
    assert not any("has not tapped" in m.text for m in mei.messages)
    assert not any("Missed check-in" in m.text for m in admin.messages)


async def test_any_tap_of_the_senior_counts_as_a_sign_of_life(env: Env) -> None:
    _, ann, mei = await people(env)
    await env.advance(days=1)  # Tuesday 08:00: asked
    await seen(env, ann, "let us know you are fine")
    await ann.send("/help")  # she is up and about in the chat
    await env.advance(hours=3)
    await env.drained()
    assert not any("has not tapped" in m.text for m in mei.messages)


async def test_a_senior_who_ordered_early_is_not_asked(env: Env) -> None:
    _, ann, _ = await people(env)
    await env.advance(days=1, hours=-1)  # Tuesday 07:00
    await ann.send("/start")
    await env.advance(hours=1)  # 08:00: the check-in question goes out
    await env.drained()
    assert not any("let us know you are fine" in m.text for m in ann.messages)


async def test_a_late_im_fine_sends_an_all_clear_to_whoever_was_alerted(env: Env) -> None:
    admin, ann, mei = await people(env)
    await env.advance(days=1)
    await seen(env, ann, "let us know you are fine")
    await env.advance(hours=3)  # 11:00: the family, then the admin were told
    await seen(env, admin, "Missed check-in")
    await ann.click("🙂 I'm fine")
    await seen(env, mei, "All clear: Ann Lee tapped")
    await seen(env, admin, "All clear: Ann Lee tapped")
