"""Settings and the canteen file: bad values name the key and stop start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.canteen_file import example_text
from bot.cli import main

ENV = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "DOORSTEP_DB",
    "DOORSTEP_TZ",
    "DOORSTEP_ADMIN_IDS",
    "DOORSTEP_CANTEENS",
    "DOORSTEP_WEBHOOK_URL",
    "DOORSTEP_WEBHOOK_SECRET",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def canteen_file(tmp_path: Path, old: str, new: str) -> Path:
    text = example_text()
    assert old in text
    path = tmp_path / "canteens.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def problems(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    return capsys.readouterr().err


def test_bundled_example_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config"]) == 0
    assert "canteens: 1 (sunrise)" in capsys.readouterr().out


def test_run_without_token_names_the_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert "TELEGRAM_BOT_TOKEN: is missing" in problems(capsys, ["run"])


def test_unknown_time_zone_names_the_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOORSTEP_TZ", "Mars/Olympus")
    assert "DOORSTEP_TZ: unknown time zone 'Mars/Olympus'" in problems(capsys, ["check-config"])


def test_cutoff_after_serving_names_the_window(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = canteen_file(tmp_path, 'cutoff = "09:30"', 'cutoff = "12:00"')
    monkeypatch.setenv("DOORSTEP_CANTEENS", str(path))
    err = problems(capsys, ["check-config"])
    assert "canteens[0].windows[0]: cutoff 12:00 must be before serving time 11:30" in err


def test_negative_price_names_the_dish(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = canteen_file(tmp_path, "price = 15.00", "price = -3")
    monkeypatch.setenv("DOORSTEP_CANTEENS", str(path))
    err = problems(capsys, ["check-config"])
    assert "canteens[0].dishes[0].price: Input should be greater than or equal to 0" in err


def test_broken_toml_and_missing_file_are_reported(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[[canteens]\nname = ", "utf-8")
    monkeypatch.setenv("DOORSTEP_CANTEENS", str(broken))
    assert "is not valid TOML" in problems(capsys, ["check-config"])
    monkeypatch.setenv("DOORSTEP_CANTEENS", str(tmp_path / "nowhere.toml"))
    assert "DOORSTEP_CANTEENS: cannot read" in problems(capsys, ["check-config"])


def test_admin_ids_must_be_numbers(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOORSTEP_ADMIN_IDS", "1001, bob")
    assert "DOORSTEP_ADMIN_IDS: must be Telegram user ids" in problems(capsys, ["check-config"])


def test_admin_ids_are_read_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import load_config

    monkeypatch.setenv("DOORSTEP_ADMIN_IDS", "1001, 1002")
    assert load_config(need_token=False).settings.admin_ids == (1001, 1002)


def test_unknown_key_in_canteen_file_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = canteen_file(tmp_path, "auto_confirm = false", "auto_confrim = false")
    monkeypatch.setenv("DOORSTEP_CANTEENS", str(path))
    assert "canteens[0].auto_confrim: Extra inputs are not permitted" in problems(
        capsys, ["check-config"]
    )


def test_file_downloads_follow_the_api_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import load_config

    assert load_config(need_token=False).settings.file_base_url == (
        "https://api.telegram.org/file/bot"
    )
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot/")
    assert load_config(need_token=False).settings.file_base_url == (
        "http://127.0.0.1:8081/file/bot"
    )


def test_a_webhook_secret_telegram_would_refuse_names_the_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOORSTEP_WEBHOOK_SECRET", "has spaces!")
    assert "DOORSTEP_WEBHOOK_SECRET: must be 1-256 characters" in problems(capsys, ["check-config"])


def test_a_webhook_address_must_be_a_web_address(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    assert "--webhook must be the public https://" in problems(
        capsys, ["run", "--webhook", "bot.example.org/hook"]
    )
    monkeypatch.setenv("DOORSTEP_WEBHOOK_URL", "bot.example.org/hook")
    assert "DOORSTEP_WEBHOOK_URL: must be the public https://" in problems(capsys, ["run"])
