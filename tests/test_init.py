"""`doorstep init`: the operator answers a few questions and gets a valid, commented file."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

from bot.canteen_file import load_canteen_file
from bot.cli import main as doorstep

ANSWERS = [
    "长青社区长者食堂",  # name
    "Evergreen Canteen",
    "长青路 1 号",
    "021-6666-0000",
    "",  # country: CN kept
    "-1002000000002",  # the kitchen group's id
    "10:00",  # lunch cutoff
    "11:45",
    "n",  # no dinner
    "14",  # dish prices, in the example's order
    "",
    "11.5",
    "",
]


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def answer(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))


def test_init_writes_a_valid_commented_canteen_file_from_the_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answer(monkeypatch, ANSWERS)
    assert doorstep(["init", "mine.toml", "--lang", "en"]) == 0
    assert "Wrote mine.toml" in capsys.readouterr().out
    text = (tmp_path / "mine.toml").read_text("utf-8")
    assert "# the group where kitchen sheets are posted" in text  # the comments stay
    canteen = load_canteen_file(tmp_path / "mine.toml").canteens[0]
    assert (canteen.name, canteen.name_en, canteen.phone) == (
        "长青社区长者食堂",
        "Evergreen Canteen",
        "021-6666-0000",
    )
    assert canteen.kitchen_chat_id == -1002000000002
    assert [w.meal for w in canteen.windows] == ["lunch"]
    assert f"{canteen.windows[0].cutoff:%H:%M}" == "10:00"
    assert [d.price for d in canteen.dishes] == [Decimal(14), Decimal(16), Decimal("11.5"), 10]


def test_init_refuses_times_that_do_not_make_sense_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = list(ANSWERS)
    answers[6], answers[7] = "12:00", "11:30"  # closes after serving
    answer(monkeypatch, answers)
    assert doorstep(["init", "mine.toml", "--lang", "zh"]) == 1
    said = capsys.readouterr().err
    assert "这些回答写不成有效的食堂文件，没有写入" in said
    assert "cutoff 12:00 must be before serving time 11:30" in said
    assert not (tmp_path / "mine.toml").exists()


def test_init_does_not_overwrite_a_file_unless_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "canteens.toml").write_text("# mine\n", "utf-8")
    assert doorstep(["init", "--lang", "en"]) == 1
    assert "canteens.toml already exists; nothing written" in capsys.readouterr().err
    assert (tmp_path / "canteens.toml").read_text("utf-8") == "# mine\n"
