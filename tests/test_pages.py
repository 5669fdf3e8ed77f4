"""Long texts and long lists are cut into messages Telegram accepts, losing nothing."""

from __future__ import annotations

from bot.core.pager import BUTTON_LIMIT, TEXT_LIMIT, Entry, Pager, size, split
from bot.sandbox.entities import parse_text


def parses(part: str) -> bool:
    plain, _ = parse_text(part, "HTML")
    return bool(plain.strip())


def test_a_short_text_is_one_page() -> None:
    assert split("<b>Kitchen</b>\nA: 3") == ["<b>Kitchen</b>\nA: 3"]


def test_a_long_text_splits_at_line_ends_and_loses_nothing() -> None:
    lines = [f"#{n} 王秀英 · 5号楼 301 · 1×A · <i>低盐</i> · 送餐" for n in range(1, 400)]
    body = "\n".join(["<b>厨房单</b>", *lines])
    parts = split(body)
    assert len(parts) > 1
    assert all(size(part) <= TEXT_LIMIT for part in parts)
    assert "\n".join(parts) == body
    assert all(parses(part) for part in parts)


def test_a_single_overlong_line_is_cut_into_parts_without_losing_a_character() -> None:
    parts = split("x" * 10_000)
    assert len(parts) == 3
    assert "".join(parts) == "x" * 10_000
    assert all(size(part) <= TEXT_LIMIT for part in parts)


def test_a_long_line_is_cut_at_a_blank_and_its_open_tag_closed_and_reopened() -> None:
    ids = ", ".join(f"#{n}" for n in range(1, 1500))
    body = f"⚠️ <b>Lunch</b>: no volunteer for <i>{ids}</i>. Please find someone."
    parts = split(body)
    assert len(parts) > 1
    assert all(size(part) <= TEXT_LIMIT and parses(part) for part in parts)
    assert parts[0].endswith(", </i>")
    assert parts[1].startswith("<i>#")
    plain = "".join(parse_text(part, "HTML")[0] for part in parts)
    assert plain == parse_text(body, "HTML")[0]


def test_sizes_count_what_telegram_counts_an_emoji_as_two() -> None:
    assert size("🚲") == 2
    assert size("饭") == 1


def entries(count: int, buttons: int = 1) -> list[Entry]:
    return [
        Entry(f"#{n} Senior {n} · Building 5", [[(f"#{n}", f"x:{n}")] * buttons])
        for n in range(count)
    ]


def book(items: list[Entry], **kwargs: object) -> Pager:
    return Pager("en", "<b>Orders</b>", items, lambda n: f"x1:p:{n}", **kwargs)  # type: ignore[arg-type]


def test_every_entry_is_on_exactly_one_page_in_order_and_every_page_fits() -> None:
    pager = book(entries(1000), fixed=[[("🔄", "x1:r")]])
    shown: list[str] = []
    for number in range(pager.count):
        page = pager.page(number)
        assert size(page.text) <= TEXT_LIMIT
        assert sum(len(row) for row in page.rows) <= BUTTON_LIMIT
        assert page.rows[-1] == [("🔄", "x1:r")]
        shown += [line for line in page.text.split("\n") if line.startswith("#")]
    assert shown == [f"#{n} Senior {n} · Building 5" for n in range(1000)]


def test_pages_are_cut_by_buttons_when_buttons_fill_first() -> None:
    pager = book(entries(60, buttons=4))
    counts = [sum(len(row) for row in pager.page(n).rows) for n in range(pager.count)]
    assert pager.count == 3
    assert max(counts) <= BUTTON_LIMIT


def test_turn_buttons_carry_the_lists_own_callback_data() -> None:
    pager = book(entries(300))
    middle = pager.page(1)
    assert middle.rows[-1] == [("◀ 1", "x1:p:0"), ("3 ▶", "x1:p:2")]
    assert "Page 2 of" in middle.text
    assert pager.page(0).rows[-1] == [("2 ▶", "x1:p:1")]
    assert pager.page(99).number == pager.count - 1


def test_a_short_list_has_no_page_marks_or_turn_buttons() -> None:
    page = book(entries(3)).page(0)
    assert "Page" not in page.text
    assert page.rows == [[("#0", "x:0")], [("#1", "x:1")], [("#2", "x:2")]]


def test_an_empty_list_says_so() -> None:
    page = book([], empty="No orders yet.").page(0)
    assert page.text == "<b>Orders</b>\nNo orders yet."
    assert page.rows == []


def test_the_page_with_an_entry_is_found_to_stay_there_after_acting_on_it() -> None:
    pager = book(entries(1000))
    number = pager.page_with(700)
    assert "#700 Senior 700" in pager.page(number).text


def test_an_entry_longer_than_a_page_is_split_with_its_buttons_on_its_last_part() -> None:
    long = Entry("\n".join(f"note line {n}" for n in range(800)), [[("✅", "x:ok")]])
    pager = book([long])
    assert pager.count > 1
    assert pager.page(pager.count - 1).rows[0] == [("✅", "x:ok")]
    assert all(size(pager.page(n).text) <= TEXT_LIMIT for n in range(pager.count))


def test_flow_buttons_share_rows_of_three_between_an_entrys_own_rows() -> None:
    items = [Entry("<b>Building 5</b>", [[("Take Building 5", "x:g")]])]
    items += [Entry(f"#{n}", flow=((f"#{n}", f"x:c:{n}"),)) for n in range(4)]
    items.append(Entry("<b>Building 7</b>", [[("Take Building 7", "x:h")]]))
    rows = book(items).page(0).rows
    labels = [[label for label, _ in row] for row in rows]
    assert labels == [["Take Building 5"], ["#0", "#1", "#2"], ["#3"], ["Take Building 7"]]


def test_an_entry_with_more_buttons_than_a_page_holds_is_spread_over_pages() -> None:
    wide = Entry("Building 5: 150 deliveries", flow=tuple((f"#{n}", f"x:{n}") for n in range(150)))
    pager = book([wide])
    pages = [pager.page(n) for n in range(pager.count)]
    assert pager.count == 2
    assert all(sum(len(row) for row in page.rows) <= BUTTON_LIMIT for page in pages)
    assert sum(len(row) for page in pages for row in page.rows[:-1]) == 150


def test_a_list_can_show_fewer_entries_a_page_for_reading() -> None:
    pager = book(entries(25), most=10)
    assert [len(pager.page(n).rows) - 1 for n in range(pager.count)] == [10, 10, 5]


def test_a_tag_open_across_lines_is_closed_at_a_cut_and_opened_again() -> None:
    rows = "\n".join(f"{n:>4}  Senior {n}  Building 5" for n in range(400))
    body = f"<b>Roster</b>\n<pre>{rows}</pre>\nEnd."
    parts = split(body)
    assert len(parts) > 1
    assert all(size(part) <= TEXT_LIMIT and parses(part) for part in parts)
    assert parts[1].startswith("<pre>")
    assert "\n".join(parse_text(part, "HTML")[0] for part in parts) == parse_text(body, "HTML")[0]
