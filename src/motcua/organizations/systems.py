"""Connected systems: which kinds exist and what each may do, as data.

A connected system (the national public service portal, the national payment platform)
reaches MotCua with a bearer token. The token belongs to one kind of system; the kind
bounds what any of its tokens may do, and a token may be narrowed further (fewer
actions, some agencies). The workflow table says which actions a system may apply at
all (`Rule.system`); this table says which of them each kind needs.
"""

from __future__ import annotations

from dataclasses import dataclass

NATIONAL_PORTAL = "national_portal"
PAYMENT_PLATFORM = "payment_platform"


@dataclass(frozen=True)
class ConnectedSystem:
    key: str
    label: str
    #: Workflow actions (`dossiers.workflow.Action` values) its tokens may be given.
    actions: frozenset[str]
    #: When set, the system sees and acts only on dossiers whose online source is this
    #: value: the dossiers it delivered itself. Empty: any dossier of its agencies.
    own_source: str = ""


SYSTEMS: dict[str, ConnectedSystem] = {
    system.key: system
    for system in (
        ConnectedSystem(
            key=NATIONAL_PORTAL,
            label="Cổng Dịch vụ công quốc gia / National public service portal",
            actions=frozenset({"submit", "resubmit", "withdraw", "request_stop", "stop", "return_result"}),
            own_source=NATIONAL_PORTAL,
        ),
        ConnectedSystem(
            key=PAYMENT_PLATFORM,
            label="Nền tảng thanh toán trực tuyến / National payment platform",
            actions=frozenset({"confirm_payment"}),
        ),
    )
}

SYSTEM_CHOICES: list[tuple[str, str]] = [(system.key, system.label) for system in SYSTEMS.values()]


def connected_system(key: str) -> ConnectedSystem | None:
    return SYSTEMS.get(key)
