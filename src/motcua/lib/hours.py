"""Daily working hours as agencies write them: a list of [opening, closing] pairs."""

from __future__ import annotations

from datetime import time


def parse_windows(raw: list[list[str]] | list[tuple[str, str]]) -> tuple[tuple[time, time], ...]:
    """Validate daily working windows such as [["08:00","12:00"],["13:00","17:00"]]."""
    if not raw:
        raise ValueError("At least one working window is needed.")
    windows: list[tuple[time, time]] = []
    for item in raw:
        if len(item) != 2:
            raise ValueError("Each working window is a pair [opening, closing] such as ['08:00','12:00'].")
        try:
            start, end = (time.fromisoformat(part) for part in item)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"Working window {item!r} is not two HH:MM times.") from exc
        if end <= start:
            raise ValueError(f"Working window {item!r} closes before it opens.")
        if windows and start < windows[-1][1]:
            raise ValueError("Working windows must be in order and must not overlap.")
        windows.append((start, end))
    return tuple(windows)
