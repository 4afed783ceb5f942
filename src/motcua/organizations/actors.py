"""Who is acting: an officer with roles in agencies, a citizen, or a connected system."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from motcua.organizations.models import Membership


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    roles: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    person_id: int | None = None
    #: A connected system (national portal connector, payment provider): acts for citizens.
    system: str = ""
    #: The account's username, which the dossier history's hash chain names (dossiers/chain.py).
    username: str = ""

    def has_role(self, agency_id: int | None, roles: AbstractSet[str]) -> bool:
        return agency_id is not None and any((agency_id, role) in self.roles for role in roles)

    def agency_ids(self, roles: AbstractSet[str] | None = None) -> set[int]:
        return {agency for agency, role in self.roles if roles is None or role in roles}

    @property
    def is_officer(self) -> bool:
        return bool(self.roles)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and not self.system


ANONYMOUS = Actor(user_id=None, name="")


def actor_for(user: Any, *, system: str = "") -> Actor:
    """The actor behind a Django user (officer roles and citizen identity loaded once)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    roles = frozenset(
        (agency_id, role)
        for agency_id, role in Membership.objects.filter(user_id=user.pk, active=True).values_list("agency_id", "role")
    )
    from motcua.people.models import Person

    person_id = Person.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    name = user.get_full_name() or user.get_username()
    return Actor(
        user_id=user.pk, name=name, roles=roles, person_id=person_id, system=system, username=user.get_username()
    )
