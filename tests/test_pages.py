"""Long texts (a kitchen sheet of a busy window) are split into messages Telegram accepts."""

from __future__ import annotations

from bot.services.notify import PAGE_LIMIT, pages


def test_a_short_text_is_one_page() -> None:
    assert pages("<b>Kitchen</b>\nA: 3") == ["<b>Kitchen</b>\nA: 3"]


def test_a_long_text_splits_at_line_ends_and_loses_nothing() -> None:
    lines = [f"#{n} 王秀英 · 5号楼 301 · 1×A · <i>低盐</i> · 送餐" for n in range(1, 400)]
    body = "\n".join(["<b>厨房单</b>", *lines])
    split = pages(body)
    assert len(split) > 1
    assert all(len(page) <= PAGE_LIMIT for page in split)
    assert "\n".join(split) == body
    assert all(page.count("<i>") == page.count("</i>") for page in split)


def test_a_single_overlong_line_is_cut_to_fit() -> None:
    split = pages("x" * 10_000)
    assert len(split) == 1
    assert len(split[0]) == PAGE_LIMIT
    assert split[0].endswith("…")
