"""A web process keeps its database connection between requests; after a failover or a
restart of the database that connection is dead, and the next request must not answer 500."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_database_dropped_the_kept_connection_is_served(client: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Kept connections (CONN_MAX_AGE) are a PostgreSQL set-up; SQLite opens one per request.")
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert client.get("/healthz").status_code == 200
    connection.ensure_connection()
    backend = connection.connection.info.backend_pid
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend])

    # What the WSGI handler does at the start of every request (the test client skips it).
    request_started.send(sender=WSGIHandler)
    response = client.get("/healthz")

    assert response.status_code == 200
    assert connection.connection.info.backend_pid != backend
