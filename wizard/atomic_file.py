"""Writing a user's file so that no moment, not even kill -9, leaves it missing or half-written.

`atomic_write` puts the text in a temporary file beside the target, flushes it to disk, keeps the
previous version as `<name>.bak` by a hard link (or a copy where links are not allowed), and only
then moves the new file over the target with one `os.replace`. The target therefore always
exists, holding the old text or the new, and the backup always holds a whole earlier version.
(Renaming the old file to `.bak` first, as this code once did, leaves a moment with no target.)

A run killed mid-write leaves its temporary file behind. Every temporary file carries the writer's
process id in its name (`.<name>.<pid>.<random>.tmp`), so the next write removes the ones whose
writer is gone, and any older than an hour (for names without a pid, from earlier versions),
but only regular files of ours, named for this target: never another program's file, never a
live writer's.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

STALE_AFTER = 3600.0
"""Seconds after which any temporary file of ours is stale, even if its writer's pid is alive."""


def temp_prefix(target: Path) -> str:
    """The start of this process's temporary file names for `target`."""
    return f".{target.name}.{os.getpid()}."


def _temp_pattern(target: Path) -> re.Pattern[str]:
    """Our temporary names for `target`: with a pid (now), or without one (earlier versions, and
    the sandbox's own `<name>.<random>.tmp`). `tempfile` draws 8 of [a-z0-9_]."""
    return re.compile(rf"\.?{re.escape(target.name)}\.(?:(\d+)\.)?[a-z0-9_]{{8}}\.tmp")


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill would end the process there; rely on age alone
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale_temps(target: Path, *, now: float | None = None) -> list[Path]:
    """Remove the temporary files that killed writes of `target` (or of its backup) left
    behind; returns what was removed. A file still being written by a live process is kept."""
    now = time.time() if now is None else now
    patterns = [_temp_pattern(target), _temp_pattern(target.with_name(target.name + ".bak"))]
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        match = next((m for p in patterns if (m := p.fullmatch(entry.name))), None)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not entry.is_file(follow_symlinks=False) or info.st_uid != _uid():
            continue
        pid = match.group(1)
        if now - info.st_mtime < STALE_AFTER and (pid is None or _alive(int(pid))):
            continue
        with contextlib.suppress(FileNotFoundError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else 0


def atomic_write(path: Path, text: str, *, backup: bool = True) -> Path | None:
    """Write `text` to `path` all at once, keeping the previous file as `<path>.bak`.

    Returns the backup's path when one was made. On any error (disk full, permission) the
    target is as it was and no temporary file is left.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path)
    handle, temp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        backup_path = _keep_backup(path) if backup else None
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return backup_path


def _keep_backup(path: Path) -> Path | None:
    """Make `<path>.bak` the current file (a hard link, else a copy), replacing an older backup
    in one step; the current file itself is not touched. A symlink is kept as the link itself."""
    if not (path.is_symlink() or path.is_file()):
        return None
    backup = path.with_name(path.name + ".bak")
    kept = _link_or_copy(path, backup)
    if kept is None:
        return None
    try:
        os.replace(kept, backup)
    finally:
        # rename() does nothing when both names are links to one file (a run killed after making
        # its backup leaves the target and `.bak` so), and the temporary name would stay behind.
        kept.unlink(missing_ok=True)
    return backup


def _link_or_copy(path: Path, backup: Path) -> Path | None:
    """A new temporary name beside `backup` for the same file as `path`: a hard link where the
    file system allows one, else a copy (None for a symlink that cannot be linked)."""
    while True:
        candidate = backup.with_name(f"{temp_prefix(backup)}{os.urandom(4).hex()}.tmp")
        try:
            os.link(path, candidate, follow_symlinks=False)
            return candidate
        except FileExistsError:
            continue
        except OSError:  # no hard links here (EPERM, EXDEV, ENOTSUP)
            break
    if path.is_symlink():
        return None
    handle, name = tempfile.mkstemp(prefix=temp_prefix(backup), suffix=".tmp", dir=backup.parent)
    os.close(handle)
    try:
        shutil.copy2(path, name)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the new file, so a power cut does not undo the rename."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def atomic_write_folder(path: Path, files: dict[str, str], *, marker: str) -> Path | None:
    """Replace the folder `path` with one holding exactly `files` (name -> text), never half-written.

    The files are written and flushed in a temporary folder beside `path` first; only then is the
    previous folder moved aside to `<path>.bak` (an older backup removed) and the new one moved into
    its place, two renames a moment apart. `marker` names a file every folder written this way
    holds (a manifest): an existing folder without it is not ours, so it is refused (FileExistsError)
    rather than replaced; an empty folder is fine. Returns the backup's path when one was kept.
    """
    path = path.absolute()
    if path.exists() and (not path.is_dir() or (any(path.iterdir()) and not (path / marker).is_file())):
        raise FileExistsError(f"{path} exists and was not written by this command (it has no {marker})")
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_folders(path)
    temp = Path(tempfile.mkdtemp(prefix=temp_prefix(path), suffix=".tmp", dir=path.parent))
    try:
        for name, text in files.items():
            with open(temp / name, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
        _sync_folder(temp)
        backup = None
        if path.is_dir() and any(path.iterdir()):
            backup = path.with_name(path.name + ".bak")
            if backup.is_dir():
                shutil.rmtree(backup)
            os.replace(path, backup)
        elif path.is_dir():
            path.rmdir()
        os.replace(temp, path)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    _sync_folder(path.parent)
    return backup


def _remove_stale_folders(target: Path) -> None:
    """Temporary folders of killed writes of `target` (their writer gone, or older than an hour)."""
    pattern = _temp_pattern(target)
    for entry in target.parent.glob(f".{target.name}.*.tmp"):
        match = pattern.fullmatch(entry.name)
        if match is None or not entry.is_dir() or entry.is_symlink() or entry.stat().st_uid != _uid():
            continue
        pid = match.group(1)
        if time.time() - entry.stat().st_mtime < STALE_AFTER and (pid is None or _alive(int(pid))):
            continue
        shutil.rmtree(entry, ignore_errors=True)
