"""The sandbox's notion of "now".

ARM work (deployments, provider registration, resource group deletion) takes time. The sandbox
never runs timers: every read computes its answer from the time elapsed since the work started.
So the clock is the one thing that makes work progress, and it must be controllable:

* in demo mode it follows the wall clock (work goes on while the wizard is closed, as in Azure);
* when a client's polling sleep is skipped, the clock is advanced by the skipped duration, so a
  poller that "waited" 10 s sees 10 s of progress without waiting;
* in tests it is frozen at a fixed instant and only moves when advanced, which keeps every
  timestamp, duration and state transition deterministic.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

#: A fixed instant (2026-11-16T09:00:00Z) used by tests and by `SandboxClock.frozen()`.
FROZEN_EPOCH = 1794819600.0


class SandboxClock:
    """Wall time (or a frozen instant) plus an offset that skipped sleeps push forward.

    Thread-safe: clients poll from a thread pool and each may advance the clock.
    """

    def __init__(self, *, start: float | None = None, offset: float = 0.0) -> None:
        """`start=None` follows the wall clock; a number freezes time at that epoch second."""
        self._start = start
        self._offset = offset
        self._lock = threading.Lock()

    @classmethod
    def frozen(cls, start: float = FROZEN_EPOCH) -> SandboxClock:
        """A clock that only moves when advanced (for deterministic tests)."""
        return cls(start=start)

    @property
    def is_frozen(self) -> bool:
        """True when time only moves through `advance()`."""
        return self._start is not None

    def now(self) -> float:
        """Seconds since the epoch, in sandbox time."""
        with self._lock:
            base = time.time() if self._start is None else self._start
            return base + self._offset

    def advance(self, seconds: float) -> None:
        """Move sandbox time forward (never backward)."""
        if seconds <= 0:
            return
        with self._lock:
            self._offset += seconds

    def to_json(self) -> dict[str, Any]:
        """Enough to resume the same timeline in another process."""
        with self._lock:
            return {"frozen": self._start is not None, "start": self._start, "offset": self._offset}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SandboxClock:
        """Rebuild a clock saved with `to_json()`."""
        if data.get("frozen"):
            return cls(start=float(data["start"]), offset=float(data.get("offset", 0.0)))
        return cls(offset=float(data.get("offset", 0.0)))


def iso(ts: float) -> str:
    """ARM's timestamp format: `2020-06-05T01:20:01.723776Z`."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso_seconds(ts: float) -> str:
    """A timestamp without fractions, as Key Vault and Cognitive Services print them."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> float:
    """Parse the timestamps the seed data is written in."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def iso_duration(seconds: float) -> str:
    """ARM's ISO 8601 durations: `PT22.8356799S`, `PT1M2.5S`, `PT1H0M3S`."""
    seconds = max(0.0, seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{secs:.7f}".rstrip("0").rstrip(".") or "0"
    if hours:
        return f"PT{int(hours)}H{int(minutes)}M{text}S"
    if minutes:
        return f"PT{int(minutes)}M{text}S"
    return f"PT{text}S"
