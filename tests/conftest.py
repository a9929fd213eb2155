"""Shared test setup: no user state leaks in or out, and reference data is found or skipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REFERENCE = PROJECT_ROOT.parent / "shared" / "reference"
"""The read-only reference data beside the project (absent on a user's machine)."""


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs (config, state, data, cache) at a fresh temporary home for every test."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("AZURE_CONFIG_DIR", raising=False)
    return home


@pytest.fixture
def reference() -> Path:
    """../shared/reference, or skip the test with the reason."""
    if not REFERENCE.is_dir():
        pytest.skip(f"reference data not found at {REFERENCE} (it lives beside the project in ../shared)")
    return REFERENCE


def aifactory_bin() -> str:
    """The installed console script, so CLI tests go through the real entry point."""
    candidate = Path(os.sys.executable).parent / "aifactory"
    return str(candidate) if candidate.exists() else "aifactory"

