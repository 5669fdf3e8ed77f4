"""The week's menu in Chromium: a cook edits a dish and adds its photo; residents then see
the photo when they choose the dish in the chat."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from playwright.async_api import Browser

from bot.core.i18n import t
from tests.harness import Env
from tests.residents_kit import senior
from tests.web_kit import (
    DARK,
    make_staff,
    open_screen,
    screenshot,
    serious_violations,
    signed,
)

COOK, ANN = 6001, 6101
WAIT_MS = 10_000


def png(width: int = 16, height: int = 12) -> bytes:
    """A small orange picture, made here (no file from outside)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xf0\x80\x20" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_a_dish_edited_and_photographed_in_the_menu_shows_in_the_chat(
    web_env: Env, browser: Browser, tmp_path: Path
) -> None:
    env = web_env
    await make_staff(env, COOK)
    cook = env.user(COOK, "Cook", "en")
    await cook.send("/start")
    page = await open_screen(browser, env, "menu", signed(env, COOK, "Cook"))
    body = page.locator("#body")
    lunch_id = (await env.rows("SELECT id FROM windows ORDER BY day, cutoff_at"))[0][0]
    item_id, code = (
        await env.rows(
            "SELECT id, code FROM menu_items WHERE window_id = ? ORDER BY code", (lunch_id,)
        )
    )[0]
    dish = body.locator(f"#dish-{item_id}")
    await dish.wait_for(timeout=WAIT_MS)
    assert await serious_violations(page) == []

    await dish.get_by_text(t("en", "web.menu.change", code=code)).click()
    await dish.locator("input[name=name_en]").fill("Steamed fish set")
    await dish.locator("input[name=price]").fill("16")
    await dish.locator("input[name=tags][value=low_salt]").check()
    await dish.locator("input[name=allergens][value=fish]").check()
    await dish.get_by_role("button", name=t("en", "web.menu.save", code=code)).click()
    saved = t("en", "web.menu.saved", dish="Steamed fish set")
    await body.get_by_text(saved).wait_for(timeout=WAIT_MS)
    [(name_en, price_fen, tags, allergens)] = await env.rows(
        "SELECT name_en, price_fen, tags, allergens FROM menu_items WHERE id = ?", (item_id,)
    )
    assert (name_en, price_fen, allergens) == ("Steamed fish set", 1600, "fish")
    assert "low_salt" in tags.split(",")

    not_a_photo = tmp_path / "notes.txt"
    not_a_photo.write_text("not a picture")
    await dish.locator("input[type=file]").set_input_files(str(not_a_photo))
    await dish.get_by_role("button", name=t("en", "web.menu.upload")).click()
    await body.get_by_text(t("en", "web.menu.bad_photo")).wait_for(timeout=WAIT_MS)
    await page.reload()
    await dish.get_by_text(t("en", "web.menu.change", code=code)).click()

    picture = tmp_path / "fish.png"
    picture.write_bytes(png())
    await dish.locator("input[type=file]").set_input_files(str(picture))
    await dish.get_by_role("button", name=t("en", "web.menu.upload")).click()
    photo_saved = t("en", "web.menu.photo_saved", dish="Steamed fish set")
    await body.get_by_text(photo_saved).wait_for(timeout=WAIT_MS)
    [(file_id,)] = await env.rows("SELECT photo_file_id FROM menu_items WHERE id = ?", (item_id,))
    assert file_id
    assert await serious_violations(page) == []
    await screenshot(page, "menu-en")

    await senior(env, ANN, "Ann")
    ann = env.user(ANN, "Ann", "en")
    await ann.send("/start")
    await ann.click(t("en", "core.button.order"))
    lunch = next(b for row in ann.keyboard or [] for b in row if "lunch" in b.lower())
    await ann.click(lunch)
    photos = [m for m in ann.messages if m.kind == "photo"]
    assert len(photos) == 1
    assert photos[0].file is not None
    assert photos[0].file.file_id == file_id
    assert photos[0].file.upload.content == png()
    assert "Steamed fish set" in photos[0].text
    assert ann.last.text.startswith(t("en", "resident.menu.ask", lines="").strip()[:10])


async def test_the_menu_in_chinese_and_the_dark_theme_and_closed_to_residents(
    web_env: Env, browser: Browser
) -> None:
    env = web_env
    await make_staff(env, COOK, lang="zh")
    page = await open_screen(browser, env, "menu", signed(env, COOK, "厨师", "zh"), DARK)
    await page.locator("#body .dish").first.wait_for(timeout=WAIT_MS)
    assert await serious_violations(page) == []
    await screenshot(page, "menu-zh-dark")

    await senior(env, ANN, "Ann")
    refused = await open_screen(browser, env, "menu", signed(env, ANN, "Ann"))
    assert t("en", "web.page.not_allowed") in await refused.locator("#body").inner_text()


async def test_a_photo_sent_in_the_chat_with_a_dish_letter_is_kept_for_that_dish(
    web_env: Env,
) -> None:
    env = web_env
    await make_staff(env, COOK)
    cook = env.user(COOK, "Cook", "en")
    await cook.send("/start")
    await cook.send_photo(png(), caption="")
    assert cook.last.text == t("en", "web.menu.photo_needs_code")
    await cook.send_photo(png(), caption="Z")
    assert cook.last.text == t("en", "web.menu.no_such_code", code="Z")
    assert await env.rows("SELECT id FROM menu_items WHERE photo_file_id IS NOT NULL") == []

    await cook.send_photo(png(32, 24), caption="a")
    photos = await env.rows(
        "SELECT DISTINCT photo_file_id FROM menu_items WHERE code = 'A' AND photo_file_id"
        " IS NOT NULL"
    )
    assert len(photos) == 1
    kept = await env.rows("SELECT COUNT(*) FROM menu_items WHERE photo_file_id IS NOT NULL")
    assert "📷" in cook.last.text
    assert f"({kept[0][0]} meals)" in cook.last.text
    assert kept[0][0] >= 2  # every menu with a dish A that can still change

    await senior(env, ANN, "Ann")
    ann = env.user(ANN, "Ann", "en")
    await ann.send("/start")
    await ann.send_photo(png(), caption="A")  # not staff: what any stray message gets
    assert await env.rows("SELECT COUNT(*) FROM menu_items WHERE photo_file_id IS NOT NULL") == kept
    await ann.click(t("en", "core.button.order"))
    lunch = next(b for row in ann.keyboard or [] for b in row if "lunch" in b.lower())
    await ann.click(lunch)
    shown = [m for m in ann.messages if m.kind == "photo" and m.file is not None]
    assert [m.file.file_id for m in shown if m.file] == [photos[0][0]]
