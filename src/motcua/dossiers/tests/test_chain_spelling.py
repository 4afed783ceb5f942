"""The hash chain's fast spellings (chain.py: instants written by hand, canonical text by
orjson where it can, OpenSSL's HMAC state) give the bytes of the plain ones on any event.

The plain ones below are the chain's first definitions, kept here as the reference: every
hash already stored was made with them, so the fast ones may never differ by a byte, nor
accept what they refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from motcua.dossiers import chain


def plain_instant(value: datetime | str) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("An event instant must carry its offset.")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def plain_canonical(dossier_code: str, event: Mapping[str, Any]) -> bytes:
    content = {key: event[key] for key in chain.EVENT_KEYS[1:]}
    content["dossier"] = dossier_code
    content["at"] = plain_instant(event["at"])
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def plain_link(key: bytes, previous: str, dossier_code: str, event: Mapping[str, Any]) -> str:
    return hmac.new(key, previous.encode() + b"\n" + plain_canonical(dossier_code, event), hashlib.sha256).hexdigest()


def outcome(function: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    """The value, or the kind of error: the fast spelling must refuse what the plain one refuses."""
    try:
        return "value", function(*args)
    except (ValueError, TypeError, OverflowError) as exc:
        return "error", type(exc).__name__


#: Any text: control characters, quotes, backslashes, non-ASCII, beyond the BMP, lone surrogates.
texts = st.text(st.characters(codec=None, categories=None), max_size=12) | st.sampled_from(
    ["", '"', "\\", "\x00\x1f\x7f", "\u2028\u2029", "Lê Thu Hà", "\U0001f600", "\ud800"]
)
numbers = (
    st.integers()
    | st.integers(min_value=-(2**64), max_value=2**65)
    | st.floats()
    | st.sampled_from([1e16, 1e-05, 0.1, 1.0, -0.0, 123456789.0, float("nan"), float("inf")])
)
scalars = st.none() | st.booleans() | texts | numbers
keys = texts | st.integers(-3, 3)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(texts, inner, max_size=4)
        | st.dictionaries(keys, inner, max_size=3)
        | st.tuples(inner, inner)
    ),
    max_leaves=20,
)
offsets = st.builds(timezone, st.timedeltas(min_value=timedelta(hours=-23, minutes=59), max_value=timedelta(hours=23)))
aware = st.datetimes(timezones=offsets | st.just(UTC) | st.timezones())
instants = (
    aware
    | aware.map(lambda value: value.isoformat())
    | st.datetimes(datetime(2, 1, 1), datetime(9998, 12, 31), timezones=offsets).map(plain_instant)
    | st.datetimes().map(lambda value: value.isoformat())  # naive: refused
    | st.datetimes()
    | texts
    | st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z", fullmatch=True)
)
events = st.fixed_dictionaries(
    {
        "seq": st.integers(0, 10**6) | numbers,
        "action": texts,
        "from_status": texts,
        "to_status": texts,
        "at": instants,
        "actor": st.none() | texts,
        "actor_name": texts,
        "actor_role": texts,
        "actor_agency": st.none() | texts,
        "reason": texts,
        "form": texts,
        "data": st.dictionaries(texts, values, max_size=5) | values,
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instants)
@example("2026-02-30T10:00:00.000000Z")  # the right shape, not a day of the calendar
@example("0999-12-31T23:00:00.000000Z")  # `%Y` spells years below 1000 its own way
@example("1000-01-01T06:59:59.999999+07:00")  # lands in year 999 in UTC
@example("2025-06-16T08:26:35.221873+07:00")  # as the exchange format writes instants
def test_an_instant_is_spelt_as_before_or_refused_as_before(value: Any) -> None:
    assert outcome(chain.instant, value) == outcome(plain_instant, value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, events)
def test_an_events_canonical_text_and_link_are_the_bytes_they_were(code: str, event: dict[str, Any]) -> None:
    expected = outcome(plain_canonical, code, event)
    assert outcome(chain.canonical, code, event) == expected
    key = b"the chain key"
    assert outcome(chain.link, key, "0" * 64, code, event) == outcome(plain_link, key, "0" * 64, code, event)


def test_numbers_orjson_spells_otherwise_go_to_the_standard_encoder() -> None:
    event: dict[str, Any] = dict.fromkeys(chain.EVENT_KEYS[1:], "")
    event["at"] = "2025-06-16T08:26:35.221873+07:00"
    for data in ({"x": 1e16}, {"x": [1e-05]}, {"x": float("nan")}, {1: "int key"}, {"x": 2**64}, {"x": (1, 2)}):
        event["data"] = data
        assert chain.canonical("H99.01-250102-0001", event) == plain_canonical("H99.01-250102-0001", event)
    event["data"] = {"x": 1e16}
    assert b'"x":1e+16' in chain.canonical("H99.01-250102-0001", event)


def test_a_deep_history_hashes_as_before() -> None:
    data: Any = "leaf"
    for _ in range(300):  # deeper than orjson writes
        data = {"d": data}
    event = dict.fromkeys(chain.EVENT_KEYS[1:], "") | {"at": "2025-06-16T01:00:00.000000Z", "data": data}
    assert chain.history(b"k", "C", [event, event]) == [
        first := plain_link(b"k", chain.GENESIS, "C", event),
        plain_link(b"k", first, "C", event),
    ]
