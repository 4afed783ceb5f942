"""Who is acting: an officer with roles in agencies, a citizen, or a connected system."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from motcua.organizations.models import Membership
from motcua.organizations.selectors import user_full_name
from motcua.organizations.systems import connected_system


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
    #: For a system: the actions its token allows (None: every action of its kind).
    scopes: frozenset[str] | None = None
    #: For a system: the agencies its token is limited to (None: every agency).
    system_agencies: frozenset[int] | None = None

    def system_may_see(self, *, online_source: str, agency_ids: AbstractSet[int | None]) -> bool:
        """Whether this connected system may see a dossier from `online_source` handled by
        `agency_ids` (its receiving and settling agencies)."""
        kind = connected_system(self.system)
        if kind is None:
            return False
        if kind.own_source and online_source != kind.own_source:
            return False
        return self.system_agencies is None or bool(self.system_agencies & set(agency_ids))

    def system_may(self, action: str, *, online_source: str, agency_ids: AbstractSet[int | None]) -> bool:
        """Whether this connected system may apply `action` to such a dossier."""
        kind = connected_system(self.system)
        if kind is None or action not in kind.actions:
            return False
        if self.scopes is not None and action not in self.scopes:
            return False
        return self.system_may_see(online_source=online_source, agency_ids=agency_ids)

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


def actor_for(
    user: Any,
    *,
    system: str = "",
    scopes: frozenset[str] | None = None,
    system_agencies: frozenset[int] | None = None,
) -> Actor:
    """The actor behind a Django user (officer roles and citizen identity loaded once)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    roles = frozenset(
        (agency_id, role)
        for agency_id, role in Membership.objects.filter(user_id=user.pk, active=True).values_list("agency_id", "role")
    )
    from motcua.people.models import Person

    person_id = Person.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    name = user_full_name(user)
    return Actor(
        user_id=user.pk,
        name=name,
        roles=roles,
        person_id=person_id,
        system=system,
        scopes=scopes,
        system_agencies=system_agencies,
        username=user.get_username(),
    )
