"""The demo sandbox's state on disk: read with a clear error, written atomically, shared safely
between processes, set aside on reset.

A run killed mid-write, a disk that filled up, an older or newer aifactory-wizard: the file may
be empty, cut short, not JSON, or of another version. Reading it never ends in a traceback but in
`StateFileError`, which names the file and what is wrong with it; the command line adds the fix
(`aifactory sandbox reset`, or `--fresh` for one run).

Several processes may use one state (`sandbox serve` and a `validate --demo`, two demos at once):
each write happens under `locked()` after taking in what the others saved (its `signature()`
changed), so no process overwrites another's changes with an older picture.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl

STALE_SECONDS = 600.0
"""A temporary file older than this was left by a killed run (a write takes milliseconds)."""


class StateFileError(Exception):
    """A state file that cannot be used: `path` and `problem` ("is empty", "is not valid JSON ...")."""

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path} {problem}")


def read_state(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The JSON object in the state file, or StateFileError saying why there is none."""
    target = Path(path)
    try:
        raw = target.read_bytes()
    except OSError as exc:
        raise StateFileError(target, f"cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise StateFileError(target, "is empty (a run was probably stopped while writing it)")
    try:
        data = json.loads(raw)
    except RecursionError:
        raise StateFileError(target, "is not a sandbox state (its JSON nests too deeply)") from None
    except ValueError as exc:
        raise StateFileError(target, f"is not valid JSON ({exc}); it was probably cut short") from None
    if not isinstance(data, dict):
        raise StateFileError(target, "is not a sandbox state (it holds no JSON object)")
    return data


def write_state(path: str | os.PathLike[str], data: dict[str, Any]) -> None:
    """Write atomically: a temporary file in the same folder, flushed to disk, then renamed over."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, separators=(",", ":"))
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


Signature = tuple[int, int, int]
"""What identifies one written version of the file: (modification ns, size, inode)."""


def signature(path: str | os.PathLike[str]) -> Signature | None:
    """The file's current `Signature`, or None when there is no file."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


@contextlib.contextmanager
def locked(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the state's write lock (`<name>.lock` beside it) against other processes."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "a+b") as handle:
        if sys.platform == "win32":  # pragma: no cover
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
        else:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if sys.platform == "win32":  # pragma: no cover
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                fcntl.flock(handle, fcntl.LOCK_UN)


def remove_stale_temporaries(path: str | os.PathLike[str], *, older_than: float = STALE_SECONDS) -> int:
    """Delete temporary files that killed runs left beside the state file; returns how many."""
    target = Path(path)
    removed = 0
    if not target.parent.is_dir():
        return 0
    cutoff = time.time() - older_than
    for tmp in target.parent.glob(f"{target.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if tmp.is_file() and not tmp.is_symlink() and tmp.stat().st_mtime < cutoff:
                tmp.unlink()
                removed += 1
    return removed


def set_aside(path: str | os.PathLike[str]) -> Path | None:
    """Move the state file to `<name>.bak` (replacing an older backup); None when there was none."""
    target = Path(path)
    remove_stale_temporaries(target)
    if not target.exists() and not target.is_symlink():
        return None
    backup = target.with_name(target.name + ".bak")
    os.replace(target, backup)
    return backup
