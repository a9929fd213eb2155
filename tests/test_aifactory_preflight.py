"""The AI Factory's own gate, run for real on what we export (issue 6).

Every built-in preset, filled with real-looking ids, is exported through the installed CLI in
both formats and checked by ../shared/reference/aifactory/scripts/preflight.sh with its static
checks (`--skip-azure-lookups --no-warn-only`, a stub `az` first on PATH, as its README says).
The values the export hands to GitHub environment variables or Azure DevOps stage variables are
then applied the way the pipelines apply them (infra-common.yml passes `vars.COMMON_VNET_CIDR`
to preflight.sh and bicep as `common_vnet_cidr`; an ADO stage variable overrides variables.yaml),
preflight.sh runs again for that environment, and the VNet each environment's bicep builds is
worked out with 12-networkCommon.bicep's own rule: replace XX with the environment's cidr_range.

Every export and preflight run is made once per module, side by side: preflight.sh forks a few
hundred processes per run.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT_ROOT, REFERENCE, aifactory_bin
from wizard.interop import InteropError, export_ado, export_env, import_file
from wizard.interop.ado_yaml import AdoDocument
from wizard.interop.dotenv import EnvDocument
from wizard.interop.github import READ_BY_WORKFLOWS, UPLOADED_BY_03A
from wizard.interop.handwork import BEGIN, END
from wizard.interop.keys import lookup
from wizard.model import AIF_ENV_NAME, FactoryConfig
from wizard.network import vnet_range

AIFACTORY = REFERENCE / "aifactory"
PREFLIGHT = AIFACTORY / "scripts" / "preflight.sh"
UPLOADER = AIFACTORY / "scripts" / "03a-GH-create-or-update-github-variables.sh"
PRESETS = sorted(path.stem for path in (PROJECT_ROOT / "presets" / "builtin").glob("*.yaml"))
FORMATS = ("env", "ado")
FILE_NAME = {"env": ".env", "ado": "variables.yaml"}
PROD_RUN = "enterprise-hub-spoke"
"""The preset whose Prod job is run through preflight.sh with Prod's own values."""
ENV_PREFIX = {"dev": "DEV", "stage": "STAGE", "prod": "PROD"}
NETWORK = ("COMMON_VNET_CIDR", "COMMON_SUBNET_CIDR", "COMMON_SUBNET_SCORING_CIDR", "COMMON_PBI_SUBNET_CIDR",
           "COMMON_BASTION_SUBNET_CIDR")
ADO_NETWORK = ("common_vnet_cidr", "common_subnet_cidr", "common_subnet_scoring_cidr", "common_pbi_subnet_cidr",
               "common_bastion_subnet_cidr")

FILLED = {
    "identity": {
        "tenant_id": "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "azureml_oid": "9a2b8c4e-1f3d-4e5a-8b6c-7d8e9f0a1b2c",
        "seeding_key_vault": {"subscription_id": "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                              "resource_group": "rg-aifactory-seeding", "name": "kv-aif-seeding-001"},
    },
    "environments": {
        "dev": {"subscription_id": "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f"},
        "stage": {"subscription_id": "1b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f"},
        "prod": {"subscription_id": "2b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f"},
    },
    # the Azure DevOps side names its subscriptions through service connections (<mandatory>)
    "aifactory_extra": {
        **{f"{stage}_{kind}service_connection": f"sc-aifactory-{stage}-{kind or 'sub-'}001".replace("_", "-")
           for stage in ("dev", "test", "prod") for kind in ("", "seeding_kv_")},
        "GITHUB_NEW_REPO": "contoso/aifactory-001",
    },
}
"""What a user fills in before deploying: tenant, subscriptions, Azure ML object id, seeding Key Vault."""


@dataclass
class Preflight:
    """One run of preflight.sh."""

    returncode: int
    output: str

    @property
    def fails(self) -> list[str]:
        return re.findall(r"^ \[FAIL\] (.*)$", self.output, re.M)

    @property
    def warnings(self) -> list[str]:
        return re.findall(r"^ \[WARN\] (.*)$", self.output, re.M)

    def passed(self) -> bool:
        return self.returncode == 0 and "PREFLIGHT RESULT: 0 FAIL" in self.output and not self.fails


@dataclass
class Export:
    """One preset exported in one format through the CLI, and the pipeline view of it."""

    preset: str
    fmt: str
    config: FactoryConfig
    path: Path
    stderr: str
    own: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per environment, the values the hand work sets there (GitHub environment / ADO stage variables)."""

    @property
    def text(self) -> str:
        return self.path.read_text()

    def values(self) -> dict[str, str]:
        text = self.text
        document = EnvDocument.parse(text, "x") if self.fmt == "env" else AdoDocument.parse(text, "x")
        return document.values()

    def block(self) -> list[str]:
        """The hand-work comment block's lines, markers excluded."""
        lines = self.text.splitlines()
        return lines[lines.index(BEGIN) + 1 : lines.index(END)] if BEGIN in lines else []


def _stub_az(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    az = folder / "az"
    az.write_text("#!/bin/sh\nexit 0\n")
    az.chmod(0o755)
    return folder


def run_preflight(stub: Path, settings: Path, fmt: str, *args: str, env: dict[str, str] | None = None) -> Preflight:
    """preflight.sh's static checks on `settings`, with pipeline variables `env` exported."""
    option = "--env-file" if fmt == "env" else "--variables-yaml"
    process_env = {"PATH": f"{stub}{os.pathsep}{os.environ.get('PATH', '')}", "HOME": str(stub), **(env or {})}
    done = subprocess.run(["bash", str(PREFLIGHT), option, str(settings), *args,
                           "--skip-azure-lookups", "--no-warn-only"],
                          capture_output=True, text=True, env=process_env, timeout=300, check=False)
    return Preflight(done.returncode, done.stdout + done.stderr)


def gh_commands(text: str) -> list[list[str]]:
    """The `gh variable set …` commands in `text`, split as the shell splits them."""
    return [shlex.split(line, comments=True) for line in text.splitlines()
            if line.strip().startswith("gh variable set ")]


def _github_own(stderr: str) -> dict[str, dict[str, str]]:
    own: dict[str, dict[str, str]] = {}
    for words in gh_commands(stderr):
        if "--env" in words:
            own.setdefault(words[words.index("--env") + 1], {})[words[3]] = words[words.index("--body") + 1]
    return own


def _devops_own(block: list[str]) -> dict[str, dict[str, str]]:
    own: dict[str, dict[str, str]] = {}
    stages = {f"stage {name.capitalize()} /": name for name in ("dev", "stage", "prod")}
    current = ""
    for line in block:
        text = line.removeprefix("#").strip()
        current = next((env for prefix, env in stages.items() if text.startswith(prefix)), current)
        if match := re.fullmatch(r'(\w+): "(.*)"', text):
            own.setdefault(current, {})[match.group(1)] = match.group(2)
    return own


def _export(preset: str, fmt: str, folder: Path) -> Export:
    from presets.store import PresetStore

    folder.mkdir(parents=True)
    config_path = folder / f"filled-{preset}.yaml"
    config_path.write_text(yaml.safe_dump({"version": 1, "extends": preset, **FILLED}))
    out = folder / FILE_NAME[fmt]
    home = folder / "home"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_STATE_HOME": str(home / "state")}
    done = subprocess.run([aifactory_bin(), "export", "--format", fmt, "--config", str(config_path), "-o", str(out)],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    config = PresetStore(user_dir=home).load_file(config_path).config
    export = Export(preset, fmt, config, out, done.stderr)
    export.own = _github_own(done.stderr) if fmt == "env" else _devops_own(export.block())
    return export


@dataclass
class Gate:
    """Every export and the preflight runs on it."""

    exports: dict[tuple[str, str], Export]
    as_written: dict[tuple[str, str], Preflight]
    """preflight.sh on each exported file as it is."""
    in_prod: dict[tuple[str, str], Preflight]
    """preflight.sh as the Prod job runs it, Prod's own values applied (PROD_RUN only: each run costs
    about a second of CPU, and global-vwan's values have the same shape)."""


def _pipeline_view(export: Export, env_name: str) -> tuple[dict[str, str], str]:
    """The variables preflight.sh gets in `env_name`'s job, and its --location."""
    values = export.values()
    own = export.own.get(env_name, {})
    if export.fmt == "env":  # infra-common.yml: common_vnet_cidr: "${{ vars.COMMON_VNET_CIDR }}" …
        names = dict(zip(ADO_NETWORK, NETWORK, strict=True))
        view = {camel: own.get(upper, values[upper]) for camel, upper in names.items()}
        return view, own.get("AIFACTORY_LOCATION", values["AIFACTORY_LOCATION"])
    view = {name: own.get(name, values[name]) for name in ADO_NETWORK}  # job-1-aif-cmn.yaml env: block
    view |= {f"{stage}_cidr_range": values[f"{stage}_cidr_range"] for stage in ("dev", "test", "prod")}
    return view, own.get("admin_location", values["admin_location"])


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> Gate:
    if not PREFLIGHT.is_file():
        pytest.skip(f"the AI Factory's preflight.sh is not at {PREFLIGHT} (it lives beside the project in ../shared)")
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed; preflight.sh is a bash script")
    root = tmp_path_factory.mktemp("gate")
    stub = _stub_az(root / "stub")
    jobs = [(preset, fmt) for preset in PRESETS for fmt in FORMATS]
    with ThreadPoolExecutor(max_workers=4) as pool:
        exports = dict(zip(jobs, pool.map(lambda job: _export(*job, root / f"{job[0]}-{job[1]}"), jobs), strict=True))
        as_written = dict(zip(jobs, pool.map(lambda job: run_preflight(stub, exports[job].path, job[1]), jobs),
                              strict=True))
        prod = [job for job in jobs if job[0] == PROD_RUN and "prod" in exports[job].own]

        def in_prod(job: tuple[str, str]) -> Preflight:
            view, location = _pipeline_view(exports[job], "prod")
            return run_preflight(stub, exports[job].path, job[1], "--environment", "prod", "--location", location,
                                 env=view)

        in_prod_runs = dict(zip(prod, pool.map(in_prod, prod), strict=True))
    return Gate(exports, as_written, in_prod_runs)


def _jobs() -> Iterator[tuple[str, str]]:
    return ((preset, fmt) for preset in PRESETS for fmt in FORMATS)


# --------------------------------------------------------------------------- the gate itself


@pytest.mark.parametrize(("preset", "fmt"), list(_jobs()))
def test_every_builtin_preset_passes_the_ai_factory_preflight(gate: Gate, preset: str, fmt: str) -> None:
    result = gate.as_written[preset, fmt]
    assert result.passed(), "\n".join(result.fails) or result.output[-2000:]


def test_the_vnet_template_passes_preflight_only_as_each_environment_s_own_range(gate: Gate) -> None:
    """preflight.sh rejects 172.XX.0.0/16 (CIDR_VNET_BAD): the file holds Dev's range instead."""
    for (preset, fmt), export in gate.exports.items():
        vnet = export.values()["COMMON_VNET_CIDR" if fmt == "env" else "common_vnet_cidr"]
        assert "XX" not in vnet
        assert ipaddress.ip_network(vnet) == vnet_range(export.config, "dev"), (preset, fmt)


# --------------------------------------------------------------------------- per-environment values


@pytest.mark.parametrize(("preset", "fmt"), list(_jobs()))
def test_each_environment_gets_its_own_range_and_spokes_do_not_overlap(gate: Gate, preset: str, fmt: str) -> None:
    export = gate.exports[preset, fmt]
    config = export.config
    values = export.values()
    vnets: dict[str, ipaddress.IPv4Network] = {}
    for env_name, env in config.environments.enabled():
        view, location = _pipeline_view(export, env_name)
        cidr_range = values[f"{ENV_PREFIX[env_name]}_CIDR_RANGE" if fmt == "env" else
                            f"{AIF_ENV_NAME[env_name]}_cidr_range"]
        # 12-networkCommon.bicep: replace(common_vnet_cidr, 'XX', cidr_range), the same for each subnet
        deployed = {name: ipaddress.ip_network(view[name].replace("XX", cidr_range)) for name in ADO_NETWORK}
        vnet = deployed["common_vnet_cidr"]
        assert vnet == vnet_range(config, env_name), (env_name, vnet)
        assert all(deployed[name].subnet_of(vnet) for name in ADO_NETWORK[1:])
        assert location == env.region
        vnets[env_name] = vnet
    if "XX" in config.network.vnet_cidr:
        assert set(export.own) == {name for name, _ in config.environments.enabled()}
    for (one, a), (other, b) in combinations(vnets.items(), 2):
        assert not a.overlaps(b), f"{one} {a} overlaps {other} {b}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_prod_with_its_own_values_passes_preflight_in_its_job(gate: Gate, fmt: str) -> None:
    result = gate.in_prod[PROD_RUN, fmt]
    assert result.passed(), "\n".join(result.fails) or result.output[-2000:]
    assert "[OK] common vNet/subnets valid" in result.output


def test_the_hand_work_is_said_on_stderr_and_in_the_file_alike(gate: Gate) -> None:
    for (preset, fmt), export in gate.exports.items():
        block = [line.removeprefix("#").strip() for line in export.block()]
        said = [line.strip() for line in export.stderr.splitlines() if line.startswith("    ")]
        assert said == [line for line in block if line in said] and set(said) <= set(block), (preset, fmt)
        if fmt == "ado" and export.own:
            assert "variables.yaml is one template for every stage and has no per-stage form" in export.stderr
            assert "infra-aifactory-common.yaml" in export.stderr


# --------------------------------------------------------------------------- project_IP_whitelist


def test_no_ip_list_is_never_a_dash_where_bicep_reads_it(gate: Gate) -> None:
    template = AdoDocument.parse((AIFACTORY / "azure-devops" / "variables.yaml").read_text(), "t").values()
    for (preset, fmt), export in gate.exports.items():
        values = export.values()
        ips = export.config.access.ip_allow_list
        if fmt == "ado":
            expected = ",".join(ips) if ips else template["project_IP_whitelist"]
            assert values["project_IP_whitelist"] == expected, preset
        else:  # the .env keeps "-" (the workflows map it to ''), preflight.sh's name holds the list or nothing
            assert values["PROJECT_MEMBERS_IP_ADDRESS"] == (",".join(ips) or "-")
            assert values["PROJECT_IP_WHITELIST"] == ",".join(ips)
        checked = gate.as_written[preset, fmt].output
        assert ("[OK] project_IP_whitelist entries look valid." in checked) is bool(ips), (preset, fmt)


def test_a_dash_in_an_imported_variables_yaml_is_read_as_no_list(tmp_path: Path) -> None:
    path = tmp_path / "variables.yaml"
    path.write_text('variables:\n  project_IP_whitelist: "-" # <optional>IP allow list\n')
    result = import_file(path)
    assert result.config.access.ip_allow_list == []
    assert any("IP_FORMAT" in note for note in result.notes)
    written = export_ado(result.config, base=path).text
    assert written.startswith('variables:\n  project_IP_whitelist: "" # <optional>IP allow list\n')


# --------------------------------------------------------------------------- every name a consumer reads


def uploaded_by_03a() -> set[str]:
    """The .env names 03a uploads under their own name: its arrays, and `… "NAME" "$NAME"` calls."""
    text = UPLOADER.read_text()
    names: set[str] = set()
    for array in re.finditer(r"^\w+=\(\n(.*?)^\)", text, re.S | re.M):
        names |= set(re.findall(r'^\s*"([A-Z0-9_]+)"', array.group(1), re.M))
    calls = re.findall(r'create_or_update_(?:variable|secret)\s+\S+\s+"(\w+)"\s+"\$(\w+)"', text)
    return names | {name for name, source in calls if name == source}


def _read_by_03a() -> set[str]:
    text = UPLOADER.read_text()
    return uploaded_by_03a() | set(re.findall(r'"\$([A-Z][A-Z0-9_]+)"', text))


def _read_by_preflight() -> list[tuple[str, str]]:
    """(variables.yaml name, .env name) of every setting preflight.sh reads."""
    return re.findall(r"getval\s+(\w+)\s+([A-Z][A-Z0-9_]+)", PREFLIGHT.read_text())


def test_the_uploader_list_is_03a_s_own(gate: Gate) -> None:
    assert uploaded_by_03a() == UPLOADED_BY_03A


def test_a_generated_env_writes_every_name_a_consumer_reads(gate: Gate) -> None:
    wanted = (_read_by_03a() | {upper for _, upper in _read_by_preflight()} | set(READ_BY_WORKFLOWS)
              | {"ADMIN_AI_SEARCH_TIER", "ADMIN_SEMANTIC_SEARCH_TIER", "AZURE_MACHINELEARNING_SP_OID"})
    template = set(EnvDocument.parse((AIFACTORY / "github-actions" / ".env.template").read_text(), "t").keys())
    for preset in PRESETS:
        written = set(gate.exports[preset, "env"].values())
        assert sorted(wanted - written) == [], preset
        assert sorted(template - written) == [], preset


def test_a_generated_variables_yaml_writes_every_name_preflight_and_the_template_have(gate: Gate) -> None:
    # the ADO pipelines run preflight.sh per stage with --environment, and the template has no
    # aifactory_common_only_dev_environment: Stage and Prod are manual stages there
    wanted = {camel for camel, _ in _read_by_preflight()} - {"aifactory_common_only_dev_environment"}
    template = set(AdoDocument.parse((AIFACTORY / "azure-devops" / "variables.yaml").read_text(), "t").keys())
    for preset in PRESETS:
        written = set(gate.exports[preset, "ado"].values())
        assert sorted((wanted | template) - written) == [], preset


def test_variables_the_uploader_never_sends_come_with_their_gh_command(reference: Path, tmp_path: Path) -> None:
    """Exported from the v1.24 template itself: which of them differ from the workflows' fallback."""
    source = tmp_path / ".env"
    source.write_text((AIFACTORY / "github-actions" / ".env.template").read_text())
    out = tmp_path / "out.env"
    done = subprocess.run([aifactory_bin(), "export", "--format", "env", "--config", str(source), "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    template = EnvDocument.parse(source.read_text(), "t").values()
    uploaded = uploaded_by_03a()
    expected = set()
    for name, fallback in READ_BY_WORKFLOWS.items():
        found = lookup("env", name)
        assert found is not None and name not in uploaded, name
        value = template.get(name, template.get(str(found[0].env), ""))
        if value != fallback and "<" not in value:
            expected.add((name, value))
    commands = {(words[3], words[words.index("--body") + 1]) for words in gh_commands(done.stderr)}
    assert commands == expected
    assert ("COMMON_LAKE_NAME_PREFIX_MAX8CHARS", template["LAKE_PREFIX"]) in commands
    assert ("ALLOW_PUBLIC_ACCESS_WHEN_BEHIND_VNET", "true") in commands  # template true, workflow fallback false
    written = out.read_text()
    for name, value in commands:
        assert f"#   gh variable set {name} --body {shlex.quote(value)}" in written


# --------------------------------------------------------------------------- <mandatory> / <optional>


@pytest.mark.parametrize(("fmt", "template"), [("env", "github-actions/.env.template"),
                                                ("ado", "azure-devops/variables.yaml")])
def test_generated_files_carry_the_template_s_tags(gate: Gate, fmt: str, template: str) -> None:
    text = (AIFACTORY / template).read_text()
    source = EnvDocument.parse(text, "t") if fmt == "env" else AdoDocument.parse(text, "t")
    expected = {name: bool(doc.mandatory) for name, doc in source.docs().items()}
    export = gate.exports["enterprise-hub-spoke", fmt]
    document = EnvDocument.parse(export.text, "x") if fmt == "env" else AdoDocument.parse(export.text, "x")
    ours = {name: doc.mandatory for name, doc in document.docs().items()}
    assert {name: ours.get(name) for name in expected} == expected


def test_a_todo_in_a_mandatory_line_stops_preflight(gate: Gate, tmp_path: Path) -> None:
    config = FactoryConfig.model_validate({"aifactory_extra": FILLED["aifactory_extra"]})  # no tenant, no ids
    path = tmp_path / "variables.yaml"
    path.write_text(export_ado(config).text)
    result = run_preflight(_stub_az(tmp_path / "stub"), path, "ado")
    assert not result.passed()
    blocking = " ".join(result.fails)
    assert "CONFIG_MANDATORY_UNSET" in blocking and 'tenantId="<todo>"' in blocking
    assert "databricksOID" not in blocking and 'databricksOID="<todo>"' in " ".join(result.warnings)


# --------------------------------------------------------------------------- --base


@pytest.mark.parametrize(("preset", "fmt"), list(_jobs()))
def test_an_unchanged_configuration_exports_onto_its_file_byte_for_byte(gate: Gate, preset: str, fmt: str) -> None:
    export = gate.exports[preset, fmt]
    exporter = export_env if fmt == "env" else export_ado
    assert exporter(export.config, base=export.path).text == export.text


def test_a_change_refreshes_the_hand_work_block_in_place(gate: Gate, tmp_path: Path) -> None:
    export = gate.exports["enterprise-hub-spoke", "env"]
    config = export.config.model_copy(deep=True)
    config.environments.prod.cidr_octet = 30
    text = export_env(config, base=export.path).text
    assert text.count(BEGIN) == 1 and text.index(BEGIN) == export.text.index(BEGIN)
    assert "gh variable set COMMON_VNET_CIDR --env prod --body 172.30.0.0/16" in text
    assert "172.22.0.0/16" not in text
    assert EnvDocument.parse(text, "x").values()["PROD_CIDR_RANGE"] == "30"


# --------------------------------------------------------------------------- import of an export


@pytest.mark.parametrize(("preset", "fmt"), list(_jobs()))
def test_an_export_imports_back_whole_and_exports_onto_itself(gate: Gate, preset: str, fmt: str) -> None:
    """The per-environment values live only in the hand-work block: import reads them back."""
    export = gate.exports[preset, fmt]
    imported = import_file(export.path).config
    for name, env in export.config.environments.enabled():
        back = imported.environments.get(name)
        assert (back.enabled, back.region, back.cidr_octet) == (True, env.region, env.cidr_octet), name
    assert imported.network.vnet_cidr == export.config.network.vnet_cidr
    exporter = export_env if fmt == "env" else export_ado
    assert exporter(imported, base=export.path).text == export.text


def test_without_the_block_the_vnet_is_read_as_the_subnets_pattern(gate: Gate, tmp_path: Path) -> None:
    export = gate.exports["global-vwan", "env"]
    path = tmp_path / ".env"
    path.write_text("\n".join(line for line in export.text.splitlines() if line not in export.block()) + "\n")
    result = import_file(path)
    assert result.config.network.vnet_cidr == "172.XX.0.0/16"
    assert any("172.24.0.0/16 is read as 172.XX.0.0/16" in note for note in result.notes)


def test_an_edited_block_line_the_model_refuses_is_named(gate: Gate, tmp_path: Path) -> None:
    export = gate.exports["enterprise-hub-spoke", "env"]
    path = tmp_path / ".env"
    path.write_text(export.text.replace("--env stage --body westeurope", "--env stage --body 'West Europe'"))
    with pytest.raises(InteropError) as caught:
        import_file(path)
    lines = export.text.splitlines()
    assert caught.value.line == 1 + next(number for number, line in enumerate(lines)
                                         if "AIFACTORY_LOCATION --env stage --body westeurope" in line)
    assert "AIFACTORY_LOCATION for stage" in caught.value.message and "'West Europe'" in caught.value.message
