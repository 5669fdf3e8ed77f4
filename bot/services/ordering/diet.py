"""Does a dish suit a senior: her diet needs against the dish's tags, her allergies against
the dish's allergen tags.

Each clash is a reason the senior can read ("contains pork", "not soft", "contains
peanut"), as a key under `resident.clash.` of the catalogue. Allergies are free text typed
at registration ("peanuts, shrimp", "花生、虾"); they are matched word by word (English)
or by the words they contain (Chinese) against the synonyms of each allergen tag. A dish
that does not name its allergens cannot be checked, and raises no allergy warning.
"""

from __future__ import annotations

import re

from data.models import MenuItem, Resident

# The words (English, and Chinese as they appear inside a phrase) that name each allergen.
SYNONYMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "peanut": (("peanut", "groundnut"), ("花生",)),
    "tree_nut": (
        ("nut", "walnut", "almond", "cashew", "hazelnut", "pecan", "pistachio"),
        ("坚果", "核桃", "杏仁", "腰果", "榛子", "开心果"),
    ),
    "shellfish": (
        ("shellfish", "shrimp", "prawn", "crab", "lobster", "clam", "oyster", "mussel", "scallop"),
        ("虾", "蟹", "贝", "蛤", "蚝", "牡蛎", "海鲜"),
    ),
    "fish": (("fish", "seafood"), ("鱼", "海鲜")),
    "egg": (("egg",), ("蛋",)),
    "milk": (("milk", "dairy", "lactose", "cheese", "cream"), ("奶", "乳")),
    "soy": (("soy", "soya", "soybean", "tofu"), ("大豆", "黄豆", "豆腐", "豆浆", "豆制品")),
    "wheat": (("wheat", "gluten", "flour"), ("小麦", "面粉", "麸质", "面筋")),
    "sesame": (("sesame",), ("芝麻",)),
}
WORD = re.compile(r"[a-z]+")


def allergies_named(text: str) -> set[str]:
    """The allergen tags a free-text list of allergies names."""
    lowered = text.lower()
    words = set()
    for word in WORD.findall(lowered):
        words |= {word, word.removesuffix("s"), word.removesuffix("es")}
    return {
        tag
        for tag, (english, chinese) in SYNONYMS.items()
        if words & set(english) or any(phrase in lowered for phrase in chinese)
    }


def reasons(resident: Resident, item: MenuItem) -> tuple[str, ...]:
    """Why the dish does not suit her, as catalogue keys under `resident.clash.`; () if none."""
    found = [_diet_reason(tag, item) for tag in resident.diet_tags if tag not in item.tag_list]
    listed = item.allergen_list
    if listed is not None and resident.allergies.strip():
        named = allergies_named(resident.allergies)
        found += [f"allergen_{tag}" for tag in listed if tag in named]
    return tuple(found)


def _diet_reason(tag: str, item: MenuItem) -> str:
    if tag == "no_pork":
        return "contains_pork" if "contains_pork" in item.tag_list else "may_contain_pork"
    return f"not_{tag}"
