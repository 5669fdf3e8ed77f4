"""The catalogues: both languages complete, with the same placeholders."""

from __future__ import annotations

import string

from bot.core.i18n import LANGUAGES, catalogue, pick_language, placeholders, t


def test_every_language_has_the_same_keys() -> None:
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    reference = keys[LANGUAGES[0]]
    for lang, found in keys.items():
        assert found == reference, f"{lang}: missing {reference - found}, extra {found - reference}"


def test_every_sentence_has_the_same_placeholders_in_each_language() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    mismatched = {key for key in zh if placeholders(zh[key]) != placeholders(en[key])}
    assert mismatched == set()


def test_no_sentence_is_empty() -> None:
    for lang in LANGUAGES:
        assert [key for key, text in catalogue(lang).items() if not text.strip()] == []


def test_values_are_escaped_for_html() -> None:
    assert t("en", "core.start.welcome_back", name="<b>Bob</b>").startswith(
        "Welcome back, &lt;b&gt;"
    )


def test_language_follows_choice_then_telegram_then_default() -> None:
    assert pick_language("en", "zh-hans") == "en"
    assert pick_language(None, "en-GB") == "en"
    assert pick_language(None, "zh-hant") == "zh"
    assert pick_language(None, "fr") == "zh"


def test_english_counts_say_one_thing_or_many_and_chinese_says_the_number() -> None:
    """ "1 round, 1 meal" and "18 rounds, 92 meals", never "1 rounds"; zero is plural."""
    for (rounds, meals), said in {
        (1, 1): "this month: 1 round, 1 meal, 3.5 km",
        (18, 92): "this month: 18 rounds, 92 meals, 3.5 km",
        (0, 0): "this month: 0 rounds, 0 meals, 3.5 km",
    }.items():
        values = {"canteen": "Sunrise", "rounds": rounds, "meals": meals, "km": "3.5", "hours": "2"}
        assert said in t("en", "hours.mine", **values)
        assert f"送餐 {rounds} 趟，{meals} 份餐" in t("zh", "hours.mine", **values)
    assert "within 1 minute." in t("en", "incident.request.sent_own", minutes=1)
    assert "within 30 minutes." in t("en", "incident.request.sent_own", minutes=30)
    assert t("en", "web.office.found", total=1, page=1, pages=1).startswith("1 senior ·")


def test_every_plural_form_names_its_number_and_formats() -> None:
    """Every format spec in the catalogues is a plural one (`{n:# meal|# meals}`): two
    forms, each with `#`, and the sentence formats for one and for many."""
    for lang in LANGUAGES:
        for key, text in catalogue(lang).items():
            specs = [(n, s) for _, n, s, _ in string.Formatter().parse(text) if n and s]
            for name, spec in specs:
                forms = spec.split("|")
                assert len(forms) == 2, (lang, key, spec)
                assert all("#" in form for form in forms), (lang, key, spec)
                for count in (1, 2):
                    values = dict.fromkeys(placeholders(text), 7) | {name: count}
                    assert spec.split("|")[count - 1].replace("#", str(count)) in t(
                        lang, key, **values
                    )
