"""The catalogues: both languages complete, with the same placeholders."""

from __future__ import annotations

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
