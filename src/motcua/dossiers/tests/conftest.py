"""Fixtures for the dossier tests."""

from __future__ import annotations
