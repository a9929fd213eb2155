"""Where presets live: the built-ins beside this package, the person's own in the config folder.

Kept free of heavy imports (no pydantic, no YAML), so the wizard's start screen can list preset
names the instant it opens and read their details in the background.
"""

from __future__ import annotations

from pathlib import Path

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
"""Where the built-in presets ship."""


def user_presets_dir() -> Path:
    """The user's preset folder (platformdirs config dir, e.g. ~/.config/aifactory-wizard/presets)."""
    from platformdirs import user_config_path

    return user_config_path("aifactory-wizard", appauthor=False) / "presets"


def preset_names(user_dir: Path | None = None) -> list[tuple[str, str, Path]]:
    """(source, name, path) of every preset file, built-ins first, without reading any of them."""
    out = []
    for source, folder in (("builtin", BUILTIN_DIR), ("user", user_dir or user_presets_dir())):
        if folder.is_dir():
            out += [(source, path.stem, path) for path in sorted(folder.glob("*.yaml")) if path.is_file()]
    return out
