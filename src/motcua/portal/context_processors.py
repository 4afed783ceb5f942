"""What every page's header knows of the signed-in user (`menu` in the templates)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from motcua.indicators.selectors.access import OVERSIGHT
from motcua.organizations.actors import Actor
from motcua.portal.views.catalogue import may_edit_catalogue
from motcua.portal.views.common import actor_of


class Menu:
    """The header's links and name for the request's user, read from the request's actor
    (`actor_of`: active roles, citizen record and name, loaded once per request and shared with
    the view). A page whose view already loaded the actor adds no query for its header; a
    visitor who is not signed in adds none at all (the header asks nothing of them)."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def _actor(self) -> Actor:
        return actor_of(self._request)

    @property
    def has_person(self) -> bool:
        """A citizen record is linked: the menu offers "My details"."""
        return self._actor.person_id is not None

    @property
    def is_officer(self) -> bool:
        """An active role in some agency: the counter, the workspace and feedback to handle."""
        return self._actor.is_officer

    @property
    def oversees(self) -> bool:
        """A manager or administrator: the indicator dashboards (which check the agency themselves)."""
        return bool(self._actor.agency_ids(OVERSIGHT))

    @property
    def edits_catalogue(self) -> bool:
        return may_edit_catalogue(self._request)

    @property
    def full_name(self) -> str:
        """In Vietnamese order, as on the identity card (`organizations.selectors.user_full_name`)."""
        return self._actor.name


def menu(request: HttpRequest) -> dict[str, Any]:
    return {"menu": Menu(request)}
