"""Headers for production: a Content-Security-Policy without 'unsafe-inline', a
Permissions-Policy, `Cache-Control: no-store` on pages with personal data, and templates
with nothing inline for the policy to refuse."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

SRC = Path(__file__).resolve().parents[2]
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I
)


def _served_templates() -> list[Path]:
    """Templates of pages a browser shows (the PDF forms of motcua.documents are rendered by
    WeasyPrint, never served, and keep their CSS inline to need no network)."""
    return [p for p in SRC.glob("**/templates/**/*.html") if "documents/templates" not in p.as_posix()]


def test_no_served_template_has_an_inline_script_style_or_event_handler() -> None:
    found = [
        f"{path.relative_to(SRC)}: {match.group(0).strip()}"
        for path in _served_templates()
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    assert len(_served_templates()) > 20


def test_pages_carry_a_content_security_policy_without_unsafe_inline(world: Any) -> None:
    response = Client().get(reverse("portal:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_pages_switch_off_the_browser_features_motcua_never_uses(world: Any) -> None:
    response = Client().get(reverse("portal:home"))
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_with_personal_data_are_never_stored_by_a_cache(world: Any, login: Any) -> None:
    citizen = login(world.citizen)
    code = world.submit().code
    for url in (reverse("portal:my"), reverse("portal:my-dossier", args=[code]), f"/api/v1/dossiers/{code}"):
        assert citizen.get(url)["Cache-Control"].split(", ").count("no-store") == 1, url
    officer = login(world.specialist)
    assert officer.get(reverse("portal:queue"))["Cache-Control"].split(", ").count("no-store") == 1
    assert Client().get(reverse("portal:track-code", args=[code]))["Cache-Control"].split(", ").count("no-store") == 1


def test_the_admin_is_under_the_same_policy(world: Any) -> None:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.vn", "x"))
    response = client.get("/admin/")
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Cache-Control"].split(", ").count("no-store") == 1
