"""What the phone layout rests on (issue 12 item 9), checked without a browser: lists marked
as stacked cards with a label on every cell, and a favicon served from our own static files."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.test import Client


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _cells_without_label(html: str) -> list[str]:
    tables = re.findall(r'<table class="stack[^"]*">.*?</table>', html, re.S)
    assert tables, "no stacked table"
    return [td for table in tables for td in re.findall(r"<td(?![^>]*data-label)(?![^>]*colspan)[^>]*>", table)]


def test_queues_counter_lists_and_my_dossiers_are_stacked_tables_with_labelled_cells(world: Any) -> None:
    world.submit()
    register = world.register()
    assert _cells_without_label(_client("reception").get("/mot-cua/").content.decode()) == []
    queue = _client("reception").get("/can-bo/").content.decode()
    assert register.code in queue
    assert _cells_without_label(queue) == []
    assert _cells_without_label(_client("citizen").get("/cua-toi/").content.decode()) == []


def test_every_page_links_a_favicon_served_from_our_own_files(world: Any) -> None:
    html = Client().get("/").content.decode()
    for href in re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', html):
        assert href.startswith("/static/")
        assert finders.find(href.removeprefix("/static/")), href
    assert html.count('rel="icon"') == 2
    answer = Client().get("/favicon.ico")
    assert answer.status_code == 301
    assert answer["Location"] == "/static/portal/img/favicon.ico"
