"""Presets: the built-in starting points and the user's own saved configurations.

A preset is a YAML file holding a sparse FactoryConfig (only what differs from the defaults, or
from the preset it `extends:`), plus `$schema` and `version`. Built-ins ship in
`presets/builtin/`; the user's own live in the platform config directory. Saving is atomic and
keeps the previous file as `<name>.yaml.bak` (wizard.atomic_file), deleting moves the file there
too, so nothing a user saved is ever lost to one mistake. What is saved can be loaded again: a
preset over the loader's size limit is refused at save. Secrets (wizard.secrets) are never
written, and a secret found in a preset file is ignored when it is loaded.
"""

from __future__ import annotations

import builtins
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from presets.folders import BUILTIN_DIR, user_presets_dir
from presets.migrations import MigrationError, migrate
from wizard.atomic_file import atomic_write
from wizard.errors import ConfigError, UserError, friendly_problems
from wizard.model import SCHEMA_VERSION, FactoryConfig, ModelDeployment, ProjectConfig
from wizard.safe_yaml import MAX_BYTES, LoadedYaml, YamlError, load_yaml_file
from wizard.secrets import Dropped, scrub

SCHEMA_FILE = Path(__file__).resolve().parent / "factory-config.schema.json"
"""The committed JSON Schema of preset files (regenerate with `make schema`)."""
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,62}")
"""A preset's name. Always `fullmatch` it: with `$`, "nl2\\n" would pass and then never be found."""
META_KEYS = ("$schema", "version", "name", "extends")
"""Keys of a preset file that are about the file, not the configuration."""

Source = Literal["builtin", "user"]


@dataclass(frozen=True, slots=True)
class PresetInfo:
    """One preset as listed."""

    name: str
    """The preset's name (its file name without .yaml)."""
    source: Source
    """builtin or user."""
    path: Path
    """Where the file is."""
    description: str = ""
    """First line of its description."""
    extends: str | None = None
    """The preset it builds on, if any."""
    error: str | None = None
    """Why the preset cannot be used (`file:line: what — fix`), or None when it loads and validates."""


@dataclass(slots=True)
class LoadedPreset:
    """A resolved preset: the validated configuration and what happened on the way."""

    name: str
    config: FactoryConfig
    path: Path
    notes: list[str] = field(default_factory=list)
    """Migrations applied and secrets dropped, for the user to see."""


class PresetError(UserError):
    """A preset that cannot be used; the message names file, line and fix."""


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` laid over `base`: mappings merge key by key, everything else replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def sparse(data: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """The parts of `data` that differ from `base` (mappings compared key by key)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in base:
            out[key] = value
        elif isinstance(value, dict) and isinstance(base[key], dict):
            inner = sparse(value, base[key])
            if inner:
                out[key] = inner
        elif value != base[key]:
            out[key] = value
    return out


def config_to_data(config: FactoryConfig, base: FactoryConfig | None = None) -> dict[str, Any]:
    """The sparse mapping that, laid over `base` (or the defaults), gives `config` again."""
    data = config.model_dump(mode="json", by_alias=True)
    reference = (base or FactoryConfig()).model_dump(mode="json", by_alias=True)
    out = sparse(data, reference)
    out.pop("version", None)
    _sparse_items(out, ("projects",), ProjectConfig(number="001"), keep="number")
    _sparse_items(out, ("skus", "models"), ModelDeployment(model="x"), keep="model")
    reference_zone = (base or FactoryConfig()).landing_zone
    if type(reference_zone) is not type(config.landing_zone):
        reference_zone = type(config.landing_zone)(mode=config.mode)
    zone = sparse(config.landing_zone.model_dump(mode="json"), reference_zone.model_dump(mode="json"))
    out.pop("landing_zone", None)
    if zone or config.mode != (base or FactoryConfig()).mode:
        out["landing_zone"] = {"mode": config.mode, **zone}
    return out


def _sparse_items(data: dict[str, Any], path: tuple[str, ...], default: Any, keep: str) -> None:
    """Write list items (projects, models) without the keys that hold their defaults."""
    parent: Any = data
    for key in path[:-1]:
        parent = parent.get(key) if isinstance(parent, dict) else None
    items = parent.get(path[-1]) if isinstance(parent, dict) else None
    if not isinstance(items, list):
        return
    reference = default.model_dump(mode="json")
    parent[path[-1]] = [
        {k: v for k, v in item.items() if k == keep or v != reference.get(k)} if isinstance(item, dict) else item
        for item in items
    ]


def render_preset(config: FactoryConfig, *, extends: str | None = None,
                  base: FactoryConfig | None = None) -> str:
    """The YAML text of a preset file for `config` (sparse against `base`), without secrets."""
    return _dump(_document(config, extends, base)[0])


def loadable_preset_text(config: FactoryConfig, what: str, *, extends: str | None = None,
                         base: FactoryConfig | None = None) -> tuple[str, builtins.list[Dropped]]:
    """The text of a preset file to write, and the secrets left out of it; PresetError when the
    loader could not read it back (over safe_yaml.MAX_BYTES), so what we save we can load.

    The values alone are a lower bound of the file's size, so an oversized preset is refused
    before the (slow, for megabytes) YAML rendering."""
    document, dropped = _document(config, extends, base)
    _refuse_oversized(document, None, what)
    text = _dump(document)
    _refuse_oversized(document, text, what)
    return text, dropped


def _document(config: FactoryConfig, extends: str | None,
              base: FactoryConfig | None) -> tuple[dict[str, Any], builtins.list[Dropped]]:
    body, dropped = scrub(config_to_data(config, base))
    document: dict[str, Any] = {"$schema": SCHEMA_FILE.as_uri(), "version": SCHEMA_VERSION}
    if extends:
        document["extends"] = extends
    document.update(body)
    return document, dropped


def _dump(document: dict[str, Any]) -> str:
    from io import StringIO

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 4096
    stream = StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


def _refuse_oversized(document: dict[str, Any], text: str | None, what: str) -> None:
    """PresetError naming the largest values when `text` (or, before rendering, the values
    alone) is over the size the loader reads."""
    sizes = {key: sum(len(item.encode("utf-8")) for item in (value if isinstance(value, list) else [value])
                      if isinstance(item, str))
             for key, value in flatten(document).items()}
    size = sum(sizes.values()) if text is None else len(text.encode("utf-8"))
    if size <= MAX_BYTES:
        return
    largest = ", ".join(f"{key} ({length:,} bytes)"
                        for key, length in sorted(sizes.items(), key=lambda item: -item[1])[:3])
    at_least = "at least " if text is None else ""
    raise PresetError(
        f"{what} would be {at_least}{size:,} bytes, and presets are read up to {MAX_BYTES:,} bytes, so it could "
        f"not be loaded again; nothing was written — shorten the largest values: {largest}"
    )


class PresetStore:
    """Lists, loads, saves, diffs and deletes presets."""

    def __init__(self, user_dir: Path | None = None, builtin_dir: Path = BUILTIN_DIR) -> None:
        self.user_dir = user_dir or user_presets_dir()
        self.builtin_dir = builtin_dir

    def folder_problem(self) -> str | None:
        """Why the user's preset folder cannot be used (a file stands where it should be), or None."""
        if os.path.lexists(self.user_dir) and not self.user_dir.is_dir():
            return (f"{self.user_dir} is a file, where your presets folder should be; move that file away "
                    f"(e.g. mv '{self.user_dir}' '{self.user_dir}.old') and try again")
        return None

    # ---------------------------------------------------------------- listing

    def _files(self) -> Iterator[tuple[Source, Path]]:
        for source, folder in (("builtin", self.builtin_dir), ("user", self.user_dir)):
            if folder.is_dir():
                for path in sorted(folder.glob("*.yaml")):
                    yield source, path  # type: ignore[misc]

    # Below this method, a bare `list` in the class body names it: annotations use `builtins.list`.
    def list(self) -> list[PresetInfo]:
        """Every preset, built-ins first, each loaded and validated as `load` would.

        A preset that cannot be used is listed with its problem and never hides the others: a
        user's folder may hold a broken file, and that is the moment they most need the list.
        """
        return [self._info(source, path) for source, path in self._files()]

    def _info(self, source: Source, path: Path) -> PresetInfo:
        """One preset as listed; reading it fully is what tells whether it can be used."""
        description, extends, error = "", None, None
        try:
            data = self._read(path).data
            if isinstance(data.get("description"), str):
                description = data["description"].strip().split("\n")[0]
            if isinstance(data.get("extends"), str):
                extends = data["extends"]
            self.load_file(path)
        except (PresetError, ConfigError) as exc:
            error = str(exc)
        return PresetInfo(path.stem, source, path, description, extends, error)

    def find(self, name: str) -> PresetInfo:
        """The preset called `name`; a user preset never shadows a built-in.

        Looks at the two possible file names first, so loading one preset does not parse them all.
        """
        for source, folder in (("builtin", self.builtin_dir), ("user", self.user_dir)):
            path = folder / f"{name}.yaml"
            if NAME_PATTERN.fullmatch(name) and path.is_file():
                return PresetInfo(name, source, path)  # type: ignore[arg-type]
        names = ", ".join(path.stem for _, path in self._files())
        problem = self.folder_problem()
        raise PresetError(f"no preset named {name!r}; available: {names}" + (f" ({problem})" if problem else ""))

    # ---------------------------------------------------------------- loading

    def load(self, name: str) -> LoadedPreset:
        """Resolve `extends:` chains, migrate old versions and validate."""
        info = self.find(name)
        return self._load(name, info.path)

    def load_file(self, path: Path) -> LoadedPreset:
        """A configuration file in preset format, which may `extends:` a preset by name.

        The file's own name is not a preset name: a team's `enterprise-hub-spoke.yaml` holding
        `extends: enterprise-hub-spoke` builds on the built-in, it does not extend itself.
        """
        return self._load(path.stem, path)

    def _load(self, name: str, path: Path) -> LoadedPreset:
        """Resolve, leave out any secret the files hold (with a note), validate."""
        data, lines, notes = self._resolve_file(path, chain=[])
        data, dropped = scrub(data)
        notes += [f"{path.name}: {d.note('ignored; remove it from the file')}" for d in dropped]
        return LoadedPreset(name, self._validate(data, lines, path), path, notes)

    def _read(self, path: Path) -> LoadedYaml:
        try:
            loaded = load_yaml_file(path)
        except YamlError as exc:
            raise PresetError(str(exc)) from None
        if loaded.data is None:
            raise PresetError(f"{path}: is empty — a preset needs at least `landing_zone: {{mode: standalone}}`")
        if not isinstance(loaded.data, dict):
            raise PresetError(f"{path}:1: must be a mapping of settings, not a {type(loaded.data).__name__}")
        return loaded

    def _resolve_file(
        self, path: Path, chain: builtins.list[Path]
    ) -> tuple[dict[str, Any], dict[str, int], builtins.list[str]]:
        """The merged data of `path` and the presets it extends; `chain` holds the files that
        extend it, so a file met twice (by its resolved path) is a real loop."""
        loaded = self._read(path)
        data = dict(loaded.data)
        try:
            data, notes = migrate(data)
        except MigrationError as exc:
            raise PresetError(f"{path}:{loaded.lines.get('version', 1)}: {exc}") from None
        notes = [f"{path.name}: {note}" for note in notes]
        parent_name = data.get("extends")
        body = {k: v for k, v in data.items() if k not in META_KEYS}
        if parent_name is None:
            return body, loaded.lines, notes
        line = loaded.lines.get("extends")
        if not isinstance(parent_name, str):
            raise PresetError(f"{path}:{line}: extends must be a preset name")
        try:
            parent = self.find(parent_name)
        except PresetError as exc:
            own = " (a preset is looked up among the built-ins and your saved presets, never by file name)"
            raise PresetError(f"{path}:{line}: extends {exc}" + (own if parent_name == path.stem else "")) from None
        visited = [*chain, path.resolve()]
        if parent.path.resolve() in visited:
            cycle = " -> ".join([p.stem for p in visited] + [parent_name])
            raise PresetError(f"{path}:{line}: extends makes a loop ({cycle}); remove one `extends:`")
        base, _, parent_notes = self._resolve_file(parent.path, visited)
        return deep_merge(base, body), loaded.lines, parent_notes + notes

    @staticmethod
    def _validate(data: dict[str, Any], lines: dict[str, int], path: Path) -> FactoryConfig:
        try:
            return FactoryConfig.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(str(path), friendly_problems(exc, FactoryConfig, lines)) from None

    # ---------------------------------------------------------------- writing

    def _user_path(self, name: str) -> Path:
        """The user preset file for `name`, once the name and the folder are known to be usable."""
        if not NAME_PATTERN.fullmatch(name):
            raise PresetError(
                f"{name!r} is not a usable preset name; use lowercase letters, digits, '.', '_' or '-'"
            )
        if (self.builtin_dir / f"{name}.yaml").exists():
            raise PresetError(f"{name!r} is a built-in preset; save under another name, e.g. my-{name}")
        problem = self.folder_problem()
        if problem:
            raise PresetError(problem)
        return self.user_dir / f"{name}.yaml"

    def name_problem(self, name: str) -> str | None:
        """Why `name` cannot be saved as a preset of yours, or None (a form asks before saving)."""
        try:
            self._user_path(name)
        except PresetError as exc:
            return exc.message
        return None

    def save(self, name: str, config: FactoryConfig, *, extends: str | None = None,
             overwrite: bool = False) -> tuple[Path, Path | None, builtins.list[str]]:
        """Save `config` as the user preset `name` (sparse against `extends` when given).

        Returns the path, the backup made of the previous version (if any), and notes such as
        secrets that were left out.
        """
        path = self._user_path(name)
        if path.exists() and not overwrite:
            raise PresetError(f"a preset named {name!r} exists ({path}); pass --force to replace it (a backup is kept)")
        base = self.load(extends).config if extends else None
        text, dropped = loadable_preset_text(config, f"preset {name!r}", extends=extends, base=base)
        try:
            backup = atomic_write(path, text)
        except OSError as exc:
            raise PresetError(f"cannot write {path}: {exc.strerror or exc}; check that the folder is yours "
                              "and the disk is not full (nothing was changed)") from None
        return path, backup, [d.note("not saved") for d in dropped]

    def delete(self, name: str) -> Path:
        """Move the user preset `name` to `<name>.yaml.bak`; returns the backup path."""
        path = self._user_path(name)
        if not path.exists():
            raise PresetError(f"no user preset named {name!r} in {self.user_dir}")
        backup = path.with_name(path.name + ".bak")
        try:
            os.replace(path, backup)
        except OSError as exc:
            raise PresetError(f"cannot move {path} to {backup.name}: {exc.strerror or exc}") from None
        return backup


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """A nested mapping as dotted paths -> leaf values (lists stay whole leaves)."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: data}


@dataclass(frozen=True, slots=True)
class Difference:
    """One setting that differs between two configurations."""

    field: str
    left: Any
    right: Any


def diff_configs(left: FactoryConfig, right: FactoryConfig) -> list[Difference]:
    """Every leaf setting that differs, in field order."""
    a = flatten(left.model_dump(mode="json"))
    b = flatten(right.model_dump(mode="json"))
    keys = list(dict.fromkeys([*a, *b]))
    return [Difference(k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)]
