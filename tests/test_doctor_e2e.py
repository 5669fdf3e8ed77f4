"""`doorstep doctor` against the sandbox as Telegram: it names what breaks day one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.canteen_file import load_canteen_file
from bot.cli import main as doorstep
from bot.core.clock import ManualClock
from bot.doctor import diagnose, report
from bot.sandbox import Sandbox
from tests.harness import ADMIN_ID, KITCHEN_CHAT, ON_POSTGRES, TOKEN, bot_running, make_config

OTHER_ADMIN = 9001


def canteens_with_kitchen(chat_id: int) -> object:
    spec = load_canteen_file(None)
    canteen = spec.canteens[0].model_copy(update={"kitchen_chat_id": chat_id})
    return spec.model_copy(update={"canteens": [canteen]})


async def test_doctor_names_an_admin_who_never_started_and_a_group_without_the_bot(
    sandbox: Sandbox, tmp_path: Path, store: str, clock: ManualClock
) -> None:
    started = sandbox.user(ADMIN_ID, "Zhou", language_code="zh-hans")
    sandbox.user(OTHER_ADMIN, "李主任", language_code="zh-hans")  # never pressed Start
    config = make_config(
        sandbox,
        store,
        canteens_with_kitchen(-1009999),  # a group the bot was never added to
        DOORSTEP_ADMIN_IDS=f"{ADMIN_ID},{OTHER_ADMIN}",
        DOORSTEP_BACKUP_KEEP="7",
    )
    async with bot_running(sandbox, config, clock) as env:
        await started.send("/start")
        async with env.deps.db.transaction() as tx:  # the store knows her name
            await tx.execute(
                "UPDATE accounts SET first_name = '李主任' WHERE id = ?", (OTHER_ADMIN,)
            )

    findings = await diagnose(config, "zh")
    text = report(findings, "zh")
    problems = [f for f in findings if not f.ok]
    assert "机器人令牌可用：机器人是 @doorstep_bot。" in text
    assert f"管理员 Zhou（{ADMIN_ID}）已经打开过机器人。" in text
    assert f"管理员 李主任（{OTHER_ADMIN}）还没有打开过机器人" in text
    assert "请 李主任 打开 t.me/doorstep_bot，点“开始”（Start）。" in text
    assert "机器人不在 阳光社区长者食堂 的厨房群（-1009999）里" in text
    assert "把 @doorstep_bot 拉进厨房群" in text
    if ON_POSTGRES:  # the database's own backups, which the bot does not take or see
        assert "备份由数据库自己做" in text
        assert len(problems) == 2
    else:
        assert "里还没有备份" in text
        assert len(problems) == 3
    english = report(await diagnose(config, "en"), "en")
    assert "Ask 李主任 to open t.me/doorstep_bot and press Start." in english


async def test_doctor_passes_when_all_is_in_place(sandbox: Sandbox, tmp_path: Path) -> None:
    store = tmp_path / "doorstep.sqlite3"
    folder = tmp_path / "backups"
    config = make_config(sandbox, store, DOORSTEP_BACKUP_DIR=str(folder), DOORSTEP_BACKUP_KEEP="7")
    await sandbox.user(ADMIN_ID, "Zhou").send("/start", wait=False)  # pressed Start
    folder.mkdir()
    (folder / "doorstep-2026-03-02T033000.sqlite3").write_bytes(b"")  # taken just now
    findings = await diagnose(config, "en")
    assert [f.text for f in findings if not f.ok] == []
    said = report(findings, "en")
    group = f"The bot is in the kitchen group of Sunrise Community Canteen ({KITCHEN_CHAT})"
    assert group in said
    assert "All 7 checks passed." in said


async def test_doctor_says_when_the_bot_may_not_post_in_the_kitchen_group(
    tmp_path: Path,
) -> None:
    async with Sandbox() as box:
        box.group(KITCHEN_CHAT, "Kitchen", bot_status="restricted")
        config = make_config(box, tmp_path / "doorstep.sqlite3", DOORSTEP_ADMIN_IDS="")
        findings = await diagnose(config, "en")
    problems = [f.text for f in findings if not f.ok]
    assert any("but may not post there" in p for p in problems)
    assert any("No admin is set" in p for p in problems)


async def test_doorstep_doctor_speaks_the_operators_language_and_exits_1_on_a_problem(
    sandbox: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    for name, value in {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": sandbox.base_url,
        "DOORSTEP_DB": str(tmp_path / "doorstep.sqlite3"),
        "DOORSTEP_ADMIN_IDS": str(OTHER_ADMIN),
        "LANG": "zh_CN.UTF-8",
    }.items():
        monkeypatch.setenv(name, value)
    sandbox.user(OTHER_ADMIN, "李主任")  # never pressed Start
    assert await asyncio.to_thread(doorstep, ["doctor"]) == 1  # it runs its own event loop
    said = capsys.readouterr().out
    assert f"❌ 管理员 {OTHER_ADMIN}（{OTHER_ADMIN}）还没有打开过机器人" in said
    assert "发现 " in said
