"""Every user-visible string is translatable, and both catalogues are complete (issue 3 item 5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])
KEY = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')


def _entries(text: str) -> list[dict[str, str]]:
    """The .po entries as {keyword: joined text}, continuation lines included."""
    entries = []
    for block in text.split("\n\n"):
        entry: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if match := KEY.match(line):
                key = match[1]
                entry[key] = match[2]
            elif line.startswith('"') and key:
                entry[key] += line[1:-1]
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _untranslated(lang: str) -> list[str]:
    text = (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text.split("\n\n", 1)[1], f"{lang}: fuzzy entries"
    return [
        e["msgid"]
        for e in _entries(text)
        if e["msgid"] and any(not value for key, value in e.items() if key.startswith("msgstr"))
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_catalogue_translates_every_message(lang: str) -> None:
    assert (LOCALE / lang / "LC_MESSAGES" / "django.mo").exists()
    assert _untranslated(lang) == []


def test_the_compiled_vietnamese_catalogue_is_used() -> None:
    with translation.override("vi"):
        assert translation.gettext("Track a dossier") == "Tra cứu hồ sơ"
        assert translation.ngettext("%(n)d hour", "%(n)d hours", 3) % {"n": 3} == "3 giờ"
    with translation.override("en"):
        assert translation.gettext("Track a dossier") == "Track a dossier"
