"""One write path (docs/architecture.md, "The write path"): outside the services, nothing in
the project writes to the database through the ORM.

The source is read as syntax trees, so the rule holds without running any view: a call to
`.save()`, `.create()`, `.update(**…)`, `.delete()`, `.bulk_create()`, `.bulk_update()`,
`.get_or_create()` or `.update_or_create()` anywhere but in a `services.py` module (or a
`services/` package), a migration, the demo loader or the tests is a violation, unless the
module is in `ALLOWED` below with the reason it may write.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # src/motcua

WRITES = frozenset(
    {"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
)

#: Modules that may write outside a services module, each with its reason. Keep it short.
ALLOWED: dict[str, str] = {
    # (The transition engine, dossiers/workflow.py, writes a change's rows through
    # dossiers/writes.py with SQL prepared from the models' own fields, not with ORM write
    # calls, so neither is listed: only the dossier services call it.)
    # Bookkeeping of a bulk import (which foreign keys are set aside), written in the same
    # transaction as the DDL that drops them; not a domain model.
    "exchange/bulk.py": "constraint bookkeeping of the bulk importer",
    # `ProgressBar.update()` of the import and export commands: not the ORM.
    "exchange/progress.py": "a progress bar's own update(), not the ORM",
}


def _exempt(relative: str) -> bool:
    parts = relative.split("/")
    return (
        parts[-1] == "services.py"
        or "services" in parts[:-1]
        or "migrations" in parts
        or "tests" in parts
        or parts[0] == "testing"  # the test province and personas
        or relative == "demo/loader.py"
    )


def _is_orm_write(call: ast.Call) -> bool:
    """Whether `call` looks like an ORM write. Calls that cannot be one are left out:
    `dict.update(x)` / `set.update(x)` (the ORM's `update()` takes keywords only),
    `workbook.save(out)` / `storage.delete(name)` (a model's `save()` and `delete()` take no
    positional argument), `file.delete(save=False)` (a stored file, not a row) and
    `super().save()` inside a model (the caller's write, not a new one)."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in WRITES:
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super":
        return False
    if func.attr == "update":
        return bool(call.keywords)
    if func.attr in {"save", "delete"} and call.args:
        return False
    return not (func.attr == "delete" and any(k.arg == "save" for k in call.keywords))


def orm_writes(source: str) -> list[tuple[int, str]]:
    """(line, call) of every ORM write in `source`."""
    return [
        (node.lineno, ast.unparse(node)[:120])
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and _is_orm_write(node)
    ]


def violations(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if _exempt(relative) or relative in ALLOWED:
            continue
        found += [f"{relative}:{line}: {call}" for line, call in orm_writes(path.read_text(encoding="utf-8"))]
    return found


def test_nothing_writes_to_the_database_outside_the_services() -> None:
    found = violations()
    assert not found, "ORM writes outside services (move them into a service):\n" + "\n".join(found)


def test_every_allowed_module_exists_and_still_writes() -> None:
    """An entry whose module is gone, or writes no more, is removed from the list."""
    for relative in ALLOWED:
        path = ROOT / relative
        assert path.exists(), f"{relative} is listed in ALLOWED but does not exist"
        if relative != "exchange/progress.py":
            assert orm_writes(path.read_text(encoding="utf-8")), f"{relative} writes nothing; remove it from ALLOWED"


#: The name of a planted module (built so it is not read as a reference to a real file).
NEW = "new"


@pytest.mark.parametrize(
    "source",
    [
        "Draft.objects.create(owner=person)",
        "item.save()",
        "item.save(update_fields=['status'])",
        "item.delete()",
        "Agency.objects.filter(pk=1).update(path='/1/')",
        "Dossier.objects.filter(pk=1).update(**fields)",
        "Person.objects.get_or_create(id_number=n)",
        "Membership.objects.update_or_create(user=u, defaults={})",
        "Payment.objects.bulk_create(rows)",
        "Payment.objects.bulk_update(rows, ['status'])",
    ],
)
def test_it_catches_a_new_orm_write_in_a_view(tmp_path: Path, source: str) -> None:
    view = tmp_path / "portal" / "views" / f"{NEW}.py"
    view.parent.mkdir(parents=True)
    view.write_text(f"def page(request):\n    {source}\n", encoding="utf-8")
    (tmp_path / "portal" / "services.py").write_text(f"def draft_x():\n    {source}\n", encoding="utf-8")

    assert violations(tmp_path) == [f"portal/views/{NEW}.py:2: {source}"]


@pytest.mark.parametrize(
    "source",
    [
        "seen.update(more)",
        "workbook.save(out)",
        "storage.delete(name)",
        "upload.file.delete(save=False)",
        "super().save(*args, **kwargs)",
    ],
)
def test_it_leaves_calls_that_are_not_orm_writes(source: str) -> None:
    assert orm_writes(source) == []


def test_every_admin_that_changes_rows_does_it_through_services() -> None:
    """A ModelAdmin of the project that lets staff add, change or delete rows overrides the
    admin's own writes (`save_model`, `delete_model`, `delete_queryset`) to call services."""
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = type("Staff", (), {"has_perm": lambda *a, **k: True, "is_active": True, "is_staff": True})()
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("motcua."):
            continue
        kind = type(model_admin)
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
            assert kind.save_model is not ModelAdmin.save_model, f"{kind.__name__} saves rows itself"
        if model_admin.has_delete_permission(request):
            assert kind.delete_model is not ModelAdmin.delete_model, f"{kind.__name__} deletes rows itself"
            assert kind.delete_queryset is not ModelAdmin.delete_queryset, f"{kind.__name__} deletes rows itself"
