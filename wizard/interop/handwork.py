"""What an export cannot do by itself, said where the user looks: on stderr and in the file.

Two kinds of hand work follow from the AI Factory's own tooling:
* GitHub: variables the workflows read but the stock uploader never uploads (github.py) must be
  created with `gh variable set`;
* both: values each environment needs for itself (per_environment.py) become GitHub environment
  variables, or Azure DevOps stage variables in the pipeline files (variables.yaml has no
  per-stage form for them).

Each kind is a Section: a sentence and the exact lines to run or paste. The notes (printed on
stderr) and a comment block in the file say the same. The block sits between two marker lines,
so an export with --base replaces the block it wrote before, and an import reads the
per-environment values back from it (`read_block`): they live nowhere else in the file.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wizard.interop.github import UPLOAD_SCRIPT, manual_variables
from wizard.interop.keys import Format, by_key, lookup
from wizard.interop.per_environment import Override
from wizard.model import ENV_NAMES, EnvName

BEGIN = "# >>> aifactory-wizard: to do by hand, this file cannot do it >>>"
END = "# <<< aifactory-wizard <<<"
_REPO = re.compile(r"[\w.-]+/[\w.-]+")
_ADO_STAGES: dict[EnvName, tuple[str, str]] = {
    "dev": ("Dev", "Dev_GenAI_Project"),
    "stage": ("Stage", "Stage_GenAI_Project"),
    "prod": ("Prod", "Prod_GenAI_Project"),
}
"""Stage names in esml-infra-common/infra-aifactory-common.yaml and esml-infra-project/infra-project-genai.yaml."""


@dataclass(frozen=True)
class Section:
    """One piece of hand work: what and why, then the lines to run or paste."""

    text: str
    lines: tuple[str, ...]

    def note(self) -> str:
        return self.text + "".join(f"\n    {line}" for line in self.lines)


def _gh(name: str, value: str, repo: str | None, env: str | None = None) -> str:
    scope = f" --env {env}" if env else ""
    where = f" --repo {repo}" if repo else ""
    return f"gh variable set {name}{scope} --body {shlex.quote(value)}{where}"


def _repo_hint(repo: str | None) -> str:
    return "" if repo else " (run these in your AI Factory repository's folder, or add --repo OWNER/REPO)"


def github_sections(values: Mapping[str, str], overrides: Sequence[Override]) -> list[Section]:
    """The hand work for a .env: variables to create for the workflows, per-environment values."""
    named = values.get("GITHUB_NEW_REPO", "")
    repo = named if _REPO.fullmatch(named) else None
    sections: list[Section] = []
    manual = manual_variables(values)
    if manual:
        sections.append(Section(
            f"The workflows read {len(manual)} variable(s) that the stock {UPLOAD_SCRIPT} never uploads; "
            "without them they fall back to the value named after #. Create them once as repository "
            f"variables{_repo_hint(repo)}:",
            tuple(f"{_gh(name, value, repo)}  # the workflows fall back to {fallback!r}"
                  for name, value, fallback in manual)))
    if overrides:
        envs = sorted({o.env for o in overrides}, key=ENV_NAMES.index)
        sections.append(Section(
            "These values differ per environment, but the .env holds each once (Dev's). Create them as "
            f"GitHub environment variables in {', '.join(envs)} once the uploader has created those environments; "
            f"they override the repository variables it creates from this file{_repo_hint(repo)}:",
            tuple(_gh(o.key, o.value, repo, o.env) for o in sorted(overrides, key=lambda o: ENV_NAMES.index(o.env)))))
    return sections


def devops_sections(overrides: Sequence[Override]) -> list[Section]:
    """The hand work for a variables.yaml: per-stage values in the pipeline files."""
    if not overrides:
        return []
    lines: list[str] = []
    for env in ENV_NAMES:
        own = [o for o in overrides if o.env == env]
        if own:
            common, project = _ADO_STAGES[env]
            lines.append(f"stage {common} / {project}:")
            for override in own:
                var = by_key(override.key)
                name = var.ado if var is not None and var.ado else override.key
                lines.append(f'  {name}: "{override.value}"')
    return [Section(
        "These values differ per stage, but variables.yaml is one template for every stage and has no "
        "per-stage form for them, so it holds Dev's. Add each stage's own values under `variables:` of that "
        "stage in esml-infra-common/infra-aifactory-common.yaml and in your project pipeline "
        "(esml-infra-project/infra-project-genai.yaml); stage variables override variables.yaml:",
        tuple(lines))]


def block(sections: Sequence[Section], eol: str = "\n") -> str:
    """The comment block for `sections` ('' for none), each line ending in `eol`."""
    if not sections:
        return ""
    lines = [BEGIN]
    for section in sections:
        lines += [f"# {part}" for part in _wrap(section.text)]
        lines += [f"#   {line}" for line in section.lines]
    lines.append(END)
    return "".join(line + eol for line in lines)


def _wrap(text: str, width: int = 98) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current] if current else lines


def with_block(text: str, sections: Sequence[Section], base: str) -> str:
    """`text`, rendered onto the file `base`, with the block for `sections`. A block already
    there (between the markers) is replaced, or removed when there is nothing left to do. Else a
    new one is appended, unless the export left `base` as it was: it then stays byte for byte."""
    eol = "\r\n" if "\r\n" in text else "\n"
    new = block(sections, eol)
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == END]
    if starts and ends and ends[0] > starts[0]:
        return "".join(lines[: starts[0]]) + new + "".join(lines[ends[0] + 1 :])
    if not new or text == base:
        return text
    separator = "" if text.endswith(("\n", "\r")) or not text else eol
    return f"{text}{separator}{eol}{new}"


def _block_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text without the leading #) of each line inside the block."""
    lines = text.splitlines()
    inside = False
    found: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped in (BEGIN, END):
            inside = stripped == BEGIN
        elif inside:
            found.append((number, stripped.removeprefix("#").strip()))
    return found


def read_block(text: str, fmt: Format) -> list[tuple[int, Override]]:
    """The per-environment values in a block `block` wrote, with their line numbers."""
    found: list[tuple[int, Override]] = []
    env: EnvName | None = None
    stages = {f"stage {common} / {project}:": name for name, (common, project) in _ADO_STAGES.items()}
    github_envs: dict[str, EnvName] = {name: name for name in ENV_NAMES}
    for number, line in _block_lines(text):
        if fmt == "ado":
            env = stages.get(line, env)
            match = re.fullmatch(r'(\w+): "([^"]*)"', line)
            known = lookup("ado", match.group(1)) if match else None
            if match and env is not None and known is not None:
                found.append((number, Override(env, known[0].key, match.group(2))))
        elif line.startswith("gh variable set "):
            try:
                words = shlex.split(line, comments=True)
            except ValueError:  # an edited line: it is a comment, so it is left alone
                continue
            if "--env" in words[:-1] and "--body" in words[:-1]:
                env = github_envs.get(words[words.index("--env") + 1])
                if env is not None:
                    found.append((number, Override(env, words[3], words[words.index("--body") + 1])))
    return found


def sections_for(fmt: Format, values: Mapping[str, str], overrides: Sequence[Override]) -> list[Section]:
    """The hand work an export in format `fmt` leaves, given its values (by file name)."""
    return github_sections(values, overrides) if fmt == "env" else devops_sections(overrides)
