"""Every file the code and the docs point to is in the repository, and they point nowhere else.

A reference is a path with a known file extension (`docs/legal-basis.md#deadlines`,
`src/motcua/calendars/worktime.py`, `dossiers/workflow.py`, `README.md`); a Markdown anchor
must name a heading of that file. Generated files and URLs are not references.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
SCANNED = ["README.md", "Makefile", "pyproject.toml", ".env.example", ".ci", "docs", "src", "bench"]
SKIPPED_DIRS = {"__pycache__", "node_modules", "results", "locale", "static"}
TEXT_SUFFIXES = {".py", ".md", ".html", ".txt", ".toml", ".json", ".example", ".cfg", ".ini", ".sh", ""}
#: Files the project writes when it runs, and files of installed packages: not in the repository.
NOT_IN_THE_REPOSITORY = {
    "bench/results/latest.json",
    "latest.json",
    "ninja/swagger-ui-bundle.js",
    "ninja/swagger-ui.css",
}
#: `django.core.serializers.json`, `motcua.config.settings`: a module, not a file.
MODULE = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*){2,}$")

REFERENCE = re.compile(
    r"(?<![\w/.:@-])((?:\.\./)*[A-Za-z0-9_][\w.-]*(?:/[\w.-]+)*\."
    r"(?:md|py|json|html|toml|txt|js|css|sh|yml|yaml|cfg|ini|po))(#[\w-]+)?(?![\w/(])"
)
URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+")
#: Built from parts so this file does not name what it forbids.
OUTSIDE = ["../" + "shared", "shared" + "/docs", "/work" + "/"]


def _scanned_files() -> list[Path]:
    found: list[Path] = []
    for name in SCANNED:
        top = ROOT / name
        candidates = [top] if top.is_file() else sorted(top.rglob("*"))
        for path in candidates:
            if not path.is_file() or SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
                continue
            if path == Path(__file__).resolve():  # its examples of broken references are meant
                continue
            if path.suffix in TEXT_SUFFIXES or path.name == "Makefile":
                found.append(path)
    return found


@cache
def _repository_files() -> frozenset[str]:
    paths = set()
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".git", ".venv", "data", "media"} or "__pycache__" in relative.parts:
            continue
        paths.add(relative.as_posix())
    return frozenset(paths)


def _exists(reference: str, referrer: Path) -> str | None:
    """The repository path `reference` names from `referrer`, or None."""
    files = _repository_files()
    bases = [referrer.parent.relative_to(ROOT).as_posix(), "", "src", "src/motcua"]
    for base in bases:
        candidate = (Path(base) / reference).as_posix()
        normalised = Path(candidate).as_posix()
        parts: list[str] = []
        for part in normalised.split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part not in {"", "."}:
                parts.append(part)
        joined = "/".join(parts)
        if joined in files:
            return joined
    if "/" not in reference:  # a bare file name: any file of that name
        return next((f for f in sorted(files) if f.rsplit("/", 1)[-1] == reference), None)
    return next((f for f in sorted(files) if f.endswith("/" + reference)), None)


def _slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    text = unicodedata.normalize("NFC", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@cache
def _anchors(path: str) -> frozenset[str]:
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", (ROOT / path).read_text(encoding="utf-8"), flags=re.M)
    return frozenset(_slug(h) for h in headings)


def _references(text: str) -> list[tuple[int, str, str | None]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in REFERENCE.finditer(URL.sub(" ", line)):
            found.append((number, match.group(1), match.group(2)))
    return found


def _broken(path: Path, text: str | None = None) -> list[str]:
    """What is wrong with the references of `path` (or of `text`, read as if it were in `path`)."""
    broken = []
    for number, reference, anchor in _references(path.read_text(encoding="utf-8") if text is None else text):
        if reference in NOT_IN_THE_REPOSITORY or MODULE.match(reference):
            continue
        target = _exists(reference, path)
        where = f"{path.relative_to(ROOT)}:{number}"
        if target is None:
            broken.append(f"{where}: {reference} is not in the repository")
        elif anchor and target.endswith(".md") and anchor[1:] not in _anchors(target):
            broken.append(f"{where}: {target} has no heading for {anchor}")
    return broken


def test_every_file_the_code_and_the_docs_name_is_in_the_repository() -> None:
    broken = [problem for path in _scanned_files() for problem in _broken(path)]
    assert broken == [], "\n".join(broken)


def test_nothing_points_outside_the_repository() -> None:
    outside = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _scanned_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if any(marker in line for marker in OUTSIDE)
    ]
    assert outside == [], "\n".join(outside)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("See docs/nowhere.md for the rules.", "docs/nowhere.md is not in the repository"),
        # A file name that only exists outside the project, built from parts so that this
        # file names no such file itself.
        ("Rules in " + "spec" + ".md §6.4.", "spec" + ".md is not in the repository"),
        ("See docs/legal-basis.md#no-such-heading.", "has no heading for #no-such-heading"),
        ("Code in src/motcua/dossiers/gone.py.", "src/motcua/dossiers/gone.py is not in the repository"),
    ],
)
def test_a_reference_to_a_missing_file_or_heading_is_reported(text: str, problem: str) -> None:
    broken = _broken(ROOT / "docs" / "note.md", text)
    assert len(broken) == 1
    assert problem in broken[0]


def test_files_and_headings_that_exist_are_not_reported() -> None:
    text = (
        "See docs/legal-basis.md#deadlines, `dossiers/workflow.py`, README.md and src/motcua/lib/ids.py; "
        "`response.json()` is a call and django.core.serializers.json a module."
    )
    references = _references(text)
    broken = _broken(ROOT / "docs" / "note.md", text)
    assert [ref for _n, ref, _a in references][:4] == [
        "docs/legal-basis.md",
        "dossiers/workflow.py",
        "README.md",
        "src/motcua/lib/ids.py",
    ]
    assert broken == []
