"""The hash chain's spelling of exchange-format instants and its per-history hashing
(chain.py: `instant` respelling `2025-06-16T08:26:35.221873+07:00` from its text, the
canonical text's literal dict and type check, `history` looking the key's HMAC state up
once) give what the implementation before them gave, byte for byte, on any input.

`former_*` below is that implementation (chain.py as of 3 December 2026), kept here as the
reference; `test_chain_spelling.py` holds both against the chain's first definitions.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from motcua.dossiers import chain
from motcua.dossiers.tests.test_chain_spelling import events, outcome, plain_instant, plain_link, texts

# ---------------------------------------------------------------- the former implementation

_FORMER_UTC = re.compile(r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


def former_instant(value: datetime | str) -> str:
    if isinstance(value, str):
        if _FORMER_UTC.fullmatch(value) is not None:
            datetime.fromisoformat(value[:-1])
            return value
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("An event instant must carry its offset.")
    utc = value.astimezone(UTC)
    if utc.year < 1000:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{utc.year}-{utc.month:02}-{utc.day:02}T{utc.hour:02}:{utc.minute:02}:{utc.second:02}.{utc.microsecond:06}Z"


def former_canonical(dossier_code: str, event: Mapping[str, Any]) -> bytes:
    content = {key: event[key] for key in chain.EVENT_KEYS[1:]}
    content["dossier"] = dossier_code
    content["at"] = former_instant(event["at"])
    if _former_walk(content, 0):
        try:
            return orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _former_walk(value: dict[str, Any] | list[Any], depth: int) -> bool:
    if depth > 200:
        return False
    if type(value) is dict:
        for key in value:
            if type(key) is not str:
                return False
        items: Iterable[Any] = value.values()
    else:
        items = value
    for item in items:
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            continue
        if (kind is not dict and kind is not list) or not _former_walk(item, depth + 1):
            return False
    return True


@functools.lru_cache(maxsize=8)
def _former_keyed(key: bytes) -> Any:
    mac = hmac.new(key, digestmod=hashlib.sha256)
    return getattr(mac, "_hmac", None) or mac


def former_link(key: bytes, previous: str, dossier_code: str, event: Mapping[str, Any]) -> str:
    mac = _former_keyed(key).copy()
    mac.update(previous.encode() + b"\n" + former_canonical(dossier_code, event))
    return str(mac.hexdigest())


def former_history(key: bytes, dossier_code: str, events: Iterable[Mapping[str, Any]]) -> list[str]:
    hashes, previous = [], chain.GENESIS
    for event in events:
        previous = former_link(key, previous, dossier_code, event)
        hashes.append(previous)
    return hashes


# ---------------------------------------------------------------- instants


def exchange_spelling(value: datetime) -> str:
    """`value` as the exchange format writes an instant: its own offset, `+HH:MM`."""
    offset = value.utcoffset()
    assert offset is not None
    sign = "-" if offset < timedelta(0) else "+"
    minutes, seconds = divmod(abs(offset), timedelta(minutes=1))
    suffix = f"{sign}{minutes // 60:02}:{minutes % 60:02}" + (f":{seconds.seconds:02}" if seconds else "")
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f") + suffix


#: Fixed offsets from -23:59 to +23:59 by the minute (some with seconds, which the format
#: does not write: the general path), UTC, and zones with summer time.
offsets = st.builds(timezone, st.integers(-1439, 1439).map(lambda minutes: timedelta(minutes=minutes))) | st.builds(
    timezone, st.integers(-86399, 86399).map(lambda seconds: timedelta(seconds=seconds))
)
aware = st.datetimes(datetime(1000, 1, 1), datetime(9999, 12, 31), timezones=offsets | st.just(UTC) | st.timezones())
#: Edge hours at +07:00: 00:00-06:59 is the day before in UTC (the general path).
vietnam = st.datetimes(datetime(1000, 1, 2), datetime(9999, 12, 30)).map(
    lambda value: value.replace(tzinfo=timezone(timedelta(hours=7)))
)
hours = st.integers(0, 23).flatmap(
    lambda hour: st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)).map(
        lambda value: value.replace(hour=hour, tzinfo=timezone(timedelta(hours=7)))
    )
)
#: The exchange spelling's shape with any digits: impossible dates, hours, offsets.
shaped = st.from_regex(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}[+-][0-9]{2}:[0-9]{2}", fullmatch=True
)
near = st.from_regex(
    r"[12][0-9]{3}-(0[0-9]|1[0-3])-([0-2][0-9]|3[0-2])"
    r"T([01][0-9]|2[0-5]):[0-6][0-9]:[0-6][0-9]\.[0-9]{6}[+-]([01][0-9]|2[0-5]):[0-9]{2}",
    fullmatch=True,
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(aware | vietnam | hours)
@example(datetime(2025, 6, 16, 0, 0, tzinfo=timezone(timedelta(hours=7))))
@example(datetime(2025, 6, 16, 6, 59, 59, 999999, tzinfo=timezone(timedelta(hours=7))))
@example(datetime(2025, 6, 16, 7, 0, tzinfo=timezone(timedelta(hours=7))))
@example(datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=7))))
@example(datetime(2025, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=-7))))
@example(datetime(2025, 12, 31, 16, 59, tzinfo=timezone(timedelta(hours=-7))))
@example(datetime(2025, 12, 31, 17, 0, tzinfo=timezone(timedelta(hours=-7))))
@example(datetime(2024, 2, 29, 12, 0, tzinfo=timezone(timedelta(hours=7))))
@example(datetime(2025, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))))
@example(datetime(2025, 3, 1, 23, 59, tzinfo=timezone(timedelta(hours=-23, minutes=-59))))
@example(datetime(1000, 1, 1, 6, 59, 59, 999999, tzinfo=timezone(timedelta(hours=7))))  # year 999 in UTC
@example(datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(minutes=-1))))  # beyond year 9999 in UTC
def test_an_exchange_instant_is_spelt_from_its_text_as_from_its_datetime(value: datetime) -> None:
    text = exchange_spelling(value)
    expected = outcome(former_instant, text)
    assert outcome(chain.instant, text) == expected
    assert outcome(plain_instant, text) == expected
    assert outcome(chain.instant, value) == outcome(former_instant, value)
    if expected[0] == "value":
        assert expected[1] == value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shaped | near | texts)
@example("2023-02-29T12:00:00.000000+07:00")  # not a day of the calendar
@example("2024-02-29T12:00:00.000000+07:00")
@example("2025-04-31T12:00:00.000000+07:00")
@example("2025-00-10T12:00:00.000000+07:00")
@example("2025-06-00T12:00:00.000000+07:00")
@example("2025-06-16T24:00:00.000000+07:00")
@example("2025-06-16T08:60:00.000000+07:00")
@example("2025-06-16T08:26:60.000000+07:00")
@example("2025-06-16T08:26:35.221873+24:00")
@example("2025-06-16T08:26:35.221873+07:60")  # `datetime` reads this as +08:00
@example("2025-06-16T08:26:35.221873+07:75")
@example("2025-06-16T08:26:35.221873-00:00")
@example("0999-06-16T08:26:35.221873+07:00")
@example("2025-06-16T08:26:35.221873+07:00:00")
@example("2025-06-16T08:26:35.221873+07:00 ")
@example("2025-06-16T08:26:35.22187+07:00")
@example("2025-06-16 08:26:35.221873+07:00")
@example("٢٠٢٥-06-16T08:26:35.221873+07:00")  # digits, but not ASCII ones
def test_a_text_of_the_exchange_shape_is_spelt_or_refused_as_before(text: str) -> None:
    assert outcome(chain.instant, text) == outcome(former_instant, text)


def test_a_text_subclass_takes_the_general_path() -> None:
    class Text(str):
        __slots__ = ()

    text = Text("2025-06-16T08:26:35.221873+07:00")
    assert chain.instant(text) == former_instant(text) == "2025-06-16T01:26:35.221873Z"


# ---------------------------------------------------------------- canonical text and histories


def attempt(function: Any, *args: Any) -> tuple[str, Any]:
    try:
        return outcome(function, *args)
    except KeyError as exc:
        return "missing", exc.args


class Recorded(Mapping[str, Any]):
    """An event that records which keys were read, in order."""

    def __init__(self, event: Mapping[str, Any]) -> None:
        self.event = event
        self.read: list[str] = []

    def __getitem__(self, key: str) -> Any:
        self.read.append(key)
        return self.event[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.event)

    def __len__(self) -> int:
        return len(self.event)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, events, st.sampled_from([*chain.EVENT_KEYS[1:], None]))
def test_the_canonical_text_reads_the_keys_and_refuses_as_before(code: str, event: dict[str, Any], gone: Any) -> None:
    if gone is not None:
        del event[gone]
    new, old = Recorded(event), Recorded(event)
    assert attempt(chain.canonical, code, new) == attempt(former_canonical, code, old)
    assert new.read == old.read  # a missing key is the same KeyError


#: What an exchange line holds (text from JSON: no lone surrogates).
names = st.text(st.characters(codec="utf-8"), max_size=12)


def test_a_value_orjson_would_spell_otherwise_goes_to_the_standard_encoder_in_any_field() -> None:
    class Text(str):
        __slots__ = ()

    base = dict.fromkeys(chain.EVENT_KEYS[1:], "") | {"data": {"k": [1, "v"]}, "at": "2025-06-16T08:26:35.221873+07:00"}
    for key in chain.EVENT_KEYS[1:]:
        if key == "at":
            continue
        for value in (1e16, 1e-05, float("nan"), (1, 2), 2**64, "\ud800", Text("t"), {1: "x"}, [0.5], True, None):
            event = base | {key: value}
            assert attempt(chain.canonical, "C", event) == attempt(former_canonical, "C", event), (key, value)
    assert attempt(chain.canonical, Text("C"), base) == attempt(former_canonical, Text("C"), base)
    assert b'"seq":1e+16' in chain.canonical("C", base | {"seq": 1e16})


exchange_events = st.fixed_dictionaries(
    {
        "seq": st.integers(1, 10**6),
        "action": st.sampled_from(["receive", "start_processing", "hand_over", "finish"]),
        "from_status": st.sampled_from(["", "received", "processing"]),
        "to_status": st.sampled_from(["received", "processing", "processed"]),
        "at": (aware | vietnam | hours).map(exchange_spelling),
        "actor": st.none() | st.sampled_from(["reception", "leader"]),
        "actor_name": names,
        "actor_role": st.sampled_from(["reception", "leader", "system"]),
        "actor_agency": st.none() | st.sampled_from(["H99.01", "H99.10"]),
        "reason": names,
        "form": st.sampled_from(["", "01"]),
        "data": st.dictionaries(names, st.none() | st.booleans() | st.integers() | names | st.lists(names, max_size=3)),
    }
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.lists(exchange_events | events, max_size=6), st.binary(max_size=40))
def test_a_history_chains_the_hashes_it_chained_before(code: str, history: list[dict[str, Any]], key: bytes) -> None:
    expected = outcome(former_history, key, code, history)
    assert outcome(chain.history, key, code, history) == expected
    if expected[0] == "value" and history:
        plain, previous = [], chain.GENESIS
        for event in history:
            previous = plain_link(key, previous, code, event)
            plain.append(previous)
        assert expected[1] == plain
        # One event at a time (the workflow's `link`) gives the same chain.
        previous_hashes = [chain.GENESIS, *plain[:-1]]
        assert [chain.link(key, a, code, e) for a, e in zip(previous_hashes, history, strict=True)] == plain


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names, st.lists(exchange_events, min_size=1, max_size=6))
def test_a_seal_keeps_what_the_check_gave_and_the_chain(code: str, history: list[Mapping[str, Any]]) -> None:
    checked: list[Any] = []

    def check(value: str) -> str:
        checked.append(value)
        return f"checked {value}"

    sealed = chain.Provenance(by="admin", at="then", key=b"k").seal(code, history, check)
    hashes = former_history(b"k", code, history)
    assert sealed.dossier == [hashes[-1], "then", "admin"]
    assert sealed.events == [(event["actor"] or "", value) for event, value in zip(history, hashes, strict=True)]
    assert checked == [event["at"] for event in history]
    assert sealed.instants == [f"checked {event['at']}" for event in history]
    assert chain.Provenance(key=b"k").seal(code, history).instants is None


def test_a_refused_instant_is_the_checks_error_before_any_hashing() -> None:
    class Refused(Exception):
        pass

    def check(value: str) -> str:
        if value.startswith("2023-02-29"):
            raise Refused(value)
        return value

    event = dict.fromkeys(chain.EVENT_KEYS[1:], "") | {"data": {}, "at": "2025-06-16T08:26:35.221873+07:00"}
    bad = event | {"at": "2023-02-29T08:00:00.000000+07:00"}
    with pytest.raises(Refused, match="2023-02-29"):
        chain.Provenance(key=b"k").seal("C", [event, bad], check)
