"""Modules a newcomer can hold: no module over 600 lines and no function over 80 lines,
unless a comment says why.

A module is excused by a `# long: <reason>` line among its first 30 lines; a function by a
`# long: <reason>` comment on its `def` line or in the comment block just above it (above
its decorators, if any). Migrations, tests and the demo's pure data (`demo/data*.py`) are not
counted.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import motcua

ROOT = Path(motcua.__file__).parent
MODULE_MAX = 600
FUNCTION_MAX = 80
_REASON = re.compile(r"#\s*long:\s*\S")


def _modules() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if {"migrations", "tests"} & set(relative.parts[:-1]) or path.name.startswith("test_"):
            continue
        if relative.parts[0] == "demo" and path.name.startswith("data"):
            continue
        yield path


def long_modules(limit: int = MODULE_MAX) -> list[str]:
    found = []
    for path in _modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > limit and not any(_REASON.search(line) for line in lines[:30]):
            found.append(f"{path.relative_to(ROOT)}: {len(lines)} lines")
    return found


def _excused(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A `# long:` reason on the def line, or in the comment block just above the function."""
    if _REASON.search(lines[node.lineno - 1]):
        return True
    above = min([d.lineno for d in node.decorator_list] + [node.lineno]) - 2
    while above >= 0 and lines[above].lstrip().startswith("#"):
        if _REASON.search(lines[above]):
            return True
        above -= 1
    return False


def long_functions_in(source: str, name: str, limit: int = FUNCTION_MAX) -> list[str]:
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([d.lineno for d in node.decorator_list] + [node.lineno])
            length = (node.end_lineno or node.lineno) - first + 1
            if length > limit and not _excused(lines, node):
                found.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    return found


def long_functions(limit: int = FUNCTION_MAX) -> list[str]:
    found = []
    for path in _modules():
        found += long_functions_in(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), limit)
    return found


def test_no_module_is_over_600_lines_without_a_reason() -> None:
    assert long_modules() == []


def test_no_function_is_over_80_lines_without_a_reason() -> None:
    assert long_functions() == []


def test_it_finds_a_long_function_and_accepts_the_reason_above_it() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(FUNCTION_MAX))
    plain = f"def big() -> None:\n{body}"
    assert long_functions_in(plain, "m") == ["m:1 big: 81 lines"]
    reasoned = f"# long: one table, read against the decree\n@decorated\ndef big() -> None:\n{body}"
    assert long_functions_in(reasoned, "m") == []
    assert long_functions_in(f"def big() -> None:  # long: one table\n{body}", "m") == []
    assert long_functions_in(f"# long: one table,\n# read against the decree\ndef big() -> None:\n{body}", "m") == []
    assert long_functions_in(f"# long:\ndef big() -> None:\n{body}", "m") != [], "a reason must be given"
    assert long_functions_in(f"# long: a reason\n\ndef big() -> None:\n{body}", "m") != [], "directly above"


def test_it_counts_the_modules_it_should() -> None:
    counted = {str(path.relative_to(ROOT)) for path in _modules()}
    assert "exchange/importer.py" in counted
    assert "demo/data.py" not in counted
    assert not any("/tests/" in name or "/migrations/" in name for name in counted)
    assert long_modules(limit=10), "a tiny limit finds long modules"
