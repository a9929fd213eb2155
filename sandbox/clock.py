"""The sandbox's notion of "now", and how fast simulated work goes.

ARM work (deployments, provider registration, resource group deletion, a vault purge) takes time.
The sandbox never runs timers: every read computes its answer from the time elapsed since the work
started. So the clock is what makes work progress, and every process sharing one saved state must
agree on it:

* the demo clock is the wall clock (plus a constant offset kept from states saved by older
  versions). It is never pushed forward: a client that skips a polling sleep sees no progress, a
  cancel can arrive before the work is done, and a restart never sends time backwards. Its
  `speed` is the demo speed factor: every simulated duration is divided by it, so a deployment
  whose resources take minutes in Azure takes seconds in the demo. The speed is saved with the
  state, so every process works at the same pace;
* tests use a frozen clock, which stands still until `advance()` moves it (a test, or a test
  transport skipping a poller's sleep). That is the only clock that can jump.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

#: A fixed instant (2026-11-16T09:00:00Z) used by tests and by `SandboxClock.frozen()`.
FROZEN_EPOCH = 1794819600.0
DEMO_SPEED = 30.0
"""The demo speed factor: a Key Vault (about 20 s in Azure) takes under a second, AKS (about 8 min)
16 s, and a whole AI Factory environment well under a minute."""


class ClockError(RuntimeError):
    """A wall clock was asked to jump: only frozen (test) clocks move by `advance()`."""


class SandboxClock:
    """The wall clock, or a frozen instant that only `advance()` moves; and the demo speed factor.

    Thread-safe: clients poll from a thread pool, and a test transport may advance a frozen clock.
    """

    def __init__(self, *, speed: float = 1.0, frozen_at: float | None = None, offset: float = 0.0) -> None:
        """A wall clock (`frozen_at=None`) or a frozen one; `speed` divides every simulated duration.

        `offset` is a constant shift of the wall clock, kept only so that states saved by versions
        that pushed their clock ahead keep a consistent timeline.
        """
        if speed <= 0:
            raise ValueError(f"the sandbox speed must be positive, not {speed}")
        self.speed = float(speed)
        self._frozen_at = frozen_at
        self._offset = offset
        self._lock = threading.Lock()

    @classmethod
    def frozen(cls, start: float = FROZEN_EPOCH, *, speed: float = 1.0) -> SandboxClock:
        """A clock that only moves when advanced (for deterministic tests)."""
        return cls(speed=speed, frozen_at=start)

    @property
    def is_frozen(self) -> bool:
        """True when time only moves through `advance()`."""
        return self._frozen_at is not None

    def now(self) -> float:
        """Seconds since the epoch, in sandbox time."""
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return time.time() + self._offset

    def at_speed(self, speed: float) -> SandboxClock:
        """The same timeline at another speed (for work scheduled from now on)."""
        return SandboxClock(speed=speed, frozen_at=self._frozen_at, offset=self._offset)

    def advance(self, seconds: float) -> None:
        """Move a frozen clock forward (never backward); a wall clock refuses with ClockError."""
        if self._frozen_at is None:
            raise ClockError("the sandbox's wall clock never jumps: wait, or use SandboxClock.frozen() in tests")
        if seconds <= 0:
            return
        with self._lock:
            self._frozen_at += seconds

    def scaled(self, seconds: float) -> float:
        """A simulated duration at this clock's speed."""
        return seconds / self.speed

    def to_json(self) -> dict[str, Any]:
        """Enough for another process to follow the same timeline at the same speed."""
        with self._lock:
            if self._frozen_at is not None:
                return {"frozen": True, "at": self._frozen_at, "speed": self.speed}
            return {"frozen": False, "offset": self._offset, "speed": self.speed}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SandboxClock:
        """Rebuild a clock saved with `to_json()` (or by an older version: `start` + `offset`, no
        speed, which for a demo's wall clock means the demo speed)."""
        if data.get("frozen"):
            at = data["at"] if "at" in data else float(data["start"]) + float(data.get("offset", 0.0))
            return cls(speed=float(data.get("speed", 1.0)), frozen_at=float(at))
        return cls(speed=float(data.get("speed", DEMO_SPEED)), offset=float(data.get("offset", 0.0)))


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
