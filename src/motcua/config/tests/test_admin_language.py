"""The admin in Vietnamese (issue 12 item 10): every model names its plural, every section of
MotCua has a Vietnamese name, and no page of the admin shows an English plural glued to a
Vietnamese word ("Hồ sơs")."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

#: A Vietnamese word (it carries a Vietnamese letter) with an English plural "s" glued to it.
GLUED_PLURAL = re.compile(r"\b\w*[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]\w*s\b")

MOTCUA_APPS = [app for app in apps.get_app_configs() if app.name.startswith("motcua.")]


def test_every_model_of_motcua_names_its_singular_and_its_plural() -> None:
    missing = [
        f"{model._meta.label}: {name}"
        for app in MOTCUA_APPS
        for model in app.get_models()
        for name in ("verbose_name", "verbose_name_plural")
        if name not in model._meta.original_attrs
    ]
    assert missing == []


def test_every_section_and_model_name_reads_in_vietnamese() -> None:
    untranslated = []
    for app in MOTCUA_APPS:
        with translation.override("en"):
            english = [str(app.verbose_name)] + [str(m._meta.verbose_name_plural) for m in app.get_models()]
        with translation.override("vi"):
            vietnamese = [str(app.verbose_name)] + [str(m._meta.verbose_name_plural) for m in app.get_models()]
        untranslated += [en for en, vi in zip(english, vietnamese, strict=True) if en == vi]
    assert untranslated == []


def _admin_client() -> Client:
    user = get_user_model().objects.create_superuser("quantri", password="motcua-test-pass")
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "vi"
    return client


def test_the_admin_index_and_lists_read_in_vietnamese(world: Any) -> None:
    client = _admin_client()
    index = client.get("/admin/").content.decode()
    sections = ("Hồ sơ", "Danh mục thủ tục hành chính", "Cơ quan, đơn vị", "Lịch làm việc", "Hệ thống kết nối")
    for section in (*sections, "Bảo vệ đăng nhập", "Tác vụ nền"):  # the libraries' sections too
        assert f">{section}<" in index, section
    assert "Quản trị MotCua" in index
    for english in ("Access attempts", "Task Results", "Axes", "Django"):
        assert english not in index
    pages = [index]
    for model in admin.site._registry:
        pages.append(client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/").content.decode())
    glued = {
        w
        for page in pages
        for w in re.findall(r"\b\w*[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]\w*s\b", page)
    }
    assert glued == set()


def test_the_2025_levels_speak_of_communes_not_districts() -> None:
    with translation.override("vi"):
        help_text = str(apps.get_model("catalog", "ProcedureVersion")._meta.get_field("levels").help_text)
    assert "tỉnh, xã" in help_text
    assert "huyện" not in help_text.split("(")[0]
