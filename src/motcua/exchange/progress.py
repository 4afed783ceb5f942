"""A plain text progress bar on stderr for long imports, exports and generations."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO, cast

if TYPE_CHECKING:
    from django.core.management.base import OutputWrapper


class ProgressBar:
    """`[#######.............]  35%  3,500/10,000  812/s` redrawn in place, at most 5 times a
    second. With no known total it shows the count and the rate only."""

    def __init__(self, total: int | None, *, label: str = "", stream: TextIO | None = None, width: int = 30) -> None:
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.started = time.perf_counter()
        self._drawn = 0.0
        self.done = 0

    def update(self, done: int, *, force: bool = False) -> None:
        self.done = done
        now = time.perf_counter()
        if not force and now - self._drawn < 0.2:
            return
        self._drawn = now
        rate = done / max(now - self.started, 1e-9)
        if self.total:
            share = min(1.0, done / self.total)
            filled = int(share * self.width)
            bar = "#" * filled + "." * (self.width - filled)
            text = f"{self.label}[{bar}] {share:4.0%}  {done:,}/{self.total:,}  {rate:,.0f}/s"
        else:
            text = f"{self.label}{done:,}  {rate:,.0f}/s"
        self.stream.write("\r" + text)
        self.stream.flush()

    def finish(self) -> None:
        self.update(self.total if self.total is not None and self.done < self.total else self.done, force=True)
        self.stream.write("\n")
        self.stream.flush()


def command_stream(output: OutputWrapper) -> TextIO:
    """The raw stream behind a management command's `self.stderr`: the bar redraws one line
    with "\\r", which `OutputWrapper.write` would end with a newline each time."""
    return cast(TextIO, output._out)
