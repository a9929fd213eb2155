"""The AI Factory's own preflight.sh and our offline rules judge the same files alike.

Each case is an AI Factory settings file (its own variables.yaml template, or a few lines of the
kind a user writes). The real preflight.sh runs its static checks on it (`--skip-azure-lookups
--no-warn-only`, as the pipelines run it, with a stub `az` that only answers `account show`),
and `aifactory validate --offline` reads the same file through the real console script; every
preflight.sh code we port must come out with the same severity from both, and nothing else of
ours may claim one of those codes. Skipped without ../shared/reference or bash.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import REFERENCE, aifactory_bin
from wizard import template_tags
from wizard.interop import keys

PREFLIGHT = REFERENCE / "aifactory" / "scripts" / "preflight.sh"

OUR_CODE = {
    "AIF-IP-ANY": "IP_ANY",
    "AIF-IP-FORMAT": "IP_FORMAT",
    "AIF-AKS-UDR-FIREWALL": "AKS_UDR_NO_FW_IP",
    "AIF-AKS-UDR-FIREWALL-IP": "AKS_UDR_FW_IP_BAD",
    "AIF-AKS-UDR-DNS": "AKS_UDR_DNS_SYSTEM",
    "AIF-APPI-NO-CONNSTR": "APPI_NO_CONNSTR",
    "AIF-APPI-NO-LAW": "APPI_NO_LAW",
    "AIF-NET-OCTET-DUPLICATE": "CIDR_RANGE_CONFLICT",
    "AIF-TODO": "CONFIG_MANDATORY_UNSET",
    "AIF-TODO-OPTIONAL": "CONFIG_OPTIONAL_UNSET",
}
"""Our finding code -> the preflight.sh code it ports."""

SEVERITY = {"FAIL": "error", "WARN": "warning"}

APPI_ID = ("/subscriptions/0b1c5e2a-7d3f-4a8e-9c61-2f0d8e4b7a11/resourceGroups/rg-obs/providers/"
           "Microsoft.Insights/components/appi-cmn")

CASES: dict[str, tuple[str, str]] = {
    # name -> (file name, text); the AI Factory's own template is added by the fixture
    "ado-mixed": ("variables.yaml", "variables:\n"
                  '  acr_IP_whitelist: "0.0.0.0/0"\n'
                  '  aksOutboundType: "UserDefinedRouting"\n'
                  '  enableAKS: "true"\n'
                  '  test_cidr_range: "61"\n'
                  f'  existingApplicationInsightsResourceId: "{APPI_ID}"\n'),
    "env-aks-off": (".env", 'PROJECT_IP_WHITELIST="203.0.113.7"\n'
                    'AKS_OUTBOUND_TYPE="userDefinedRouting"\n'
                    'ENABLE_AKS="false"\nENABLE_AKS_FOR_AZURE_ML="false"\n'),
    "env-bad-project-ip": (".env", 'PROJECT_IP_WHITELIST="203.0.113.7,not-an-ip"\n'),
    "env-udr-bad-ip": (".env", 'AKS_OUTBOUND_TYPE="userdefinedrouting"\nENABLE_AKS="true"\n'
                       'AKS_AZURE_FIREWALL_PRIVATE_IP="10.0.1"\nAKS_PRIVATE_DNS_ZONE="None"\n'
                       f'EXISTING_APPLICATION_INSIGHTS_RESOURCE_ID="{APPI_ID}"\n'
                       'EXISTING_APPLICATION_INSIGHTS_CONNECTION_STRING="InstrumentationKey=1"\n'
                       'ALLOW_MIXED_OBSERVABILITY_WORKSPACES="true"\n'),
    "env-octet-leading-zero": (".env", 'DEV_CIDR_RANGE="061"\n'),
}


def _preflight(path: Path, stub: Path) -> list[tuple[str, str, str]]:
    """(severity, code, message) of every finding preflight.sh prints for `path`."""
    flag = "--env-file" if path.name == ".env" else "--variables-yaml"
    env = {"PATH": f"{stub}:/usr/bin:/bin", "HOME": str(path.parent)}
    result = subprocess.run(["bash", str(PREFLIGHT), flag, str(path), "--skip-azure-lookups", "--no-warn-only"],
                            capture_output=True, text=True, timeout=120, env=env, cwd=path.parent)
    report = result.stdout.split("PREFLIGHT RESULT", 1)[1]
    return re.findall(r"^ \[(FAIL|WARN)\] ([A-Z_]+): (.*)$", report, re.M)


def _ours(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([aifactory_bin(), "validate", "--offline", "--config", str(path), "--json"],
                          capture_output=True, text=True, timeout=120, cwd=path.parent)


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[tuple[str, str, str]],
                                                                          subprocess.CompletedProcess[str]]]:
    """Every case through preflight.sh and through `aifactory validate`, all at once."""
    if not PREFLIGHT.is_file():
        pytest.skip(f"preflight.sh not found at {PREFLIGHT} (it lives beside the project in ../shared)")
    if shutil.which("bash") is None or shutil.which("python3") is None:
        pytest.skip("preflight.sh needs bash and python3")
    root = tmp_path_factory.mktemp("preflight")
    stub = root / "bin"
    stub.mkdir()
    (stub / "az").write_text("#!/bin/sh\nexit 0\n")
    (stub / "az").chmod(0o755)
    files = {"template": root / "template" / "variables.yaml"}
    files["template"].parent.mkdir()
    shutil.copy(REFERENCE / "aifactory" / "azure-devops" / "variables.yaml", files["template"])
    for name, (file_name, text) in CASES.items():
        folder = root / name
        folder.mkdir()
        files[name] = folder / file_name
        files[name].write_text(text)
    with ThreadPoolExecutor(max_workers=2 * len(files)) as pool:
        theirs = {name: pool.submit(_preflight, path, stub) for name, path in files.items()}
        ours = {name: pool.submit(_ours, path) for name, path in files.items()}
        return {name: (theirs[name].result(), ours[name].result()) for name in files}


def _ported(findings: list[tuple[str, str, str]]) -> set[tuple[str, str]]:
    return {(code, SEVERITY[severity]) for severity, code, _ in findings if code in OUR_CODE.values()}


def _ours_ported(result: subprocess.CompletedProcess[str]) -> set[tuple[str, str]]:
    findings = json.loads(result.stdout)["findings"]
    return {(OUR_CODE[f["code"]], f["severity"]) for f in findings if f["code"] in OUR_CODE}


@pytest.mark.parametrize("case", ["ado-mixed", "env-aks-off", "env-udr-bad-ip"])
def test_the_ported_checks_agree_with_preflight_sh(judged: dict[str, tuple[list[tuple[str, str, str]],
                                                                            subprocess.CompletedProcess[str]]],
                                                   case: str) -> None:
    theirs, ours = judged[case]
    assert _ours_ported(ours) == _ported(theirs), (theirs, ours.stdout)


def test_the_mixed_file_fires_every_check_it_was_written_for(judged: dict[str, tuple[
        list[tuple[str, str, str]], subprocess.CompletedProcess[str]]]) -> None:
    """ACR open to the internet, AKS egress written in another case, stage's octet equal to dev's
    while stage is off, and an Application Insights of its own without connection string or
    workspace: preflight.sh stops on each, and so do we, naming the field to change."""
    theirs, ours = judged["ado-mixed"]
    assert _ported(theirs) == {("IP_ANY", "warning"), ("AKS_UDR_NO_FW_IP", "error"), ("AKS_UDR_DNS_SYSTEM", "error"),
                               ("CIDR_RANGE_CONFLICT", "error"), ("APPI_NO_CONNSTR", "error"), ("APPI_NO_LAW", "error")}
    fields = {f["code"]: f["field"] for f in json.loads(ours.stdout)["findings"]}
    assert fields["AIF-IP-ANY"] == "access.acr_ip_allow_list"
    assert fields["AIF-NET-OCTET-DUPLICATE"] == "environments.stage.cidr_octet"
    assert fields["AIF-APPI-NO-CONNSTR"] == "aifactory_extra.EXISTING_APPLICATION_INSIGHTS_CONNECTION_STRING"
    assert fields["AIF-APPI-NO-LAW"] == "aifactory_extra.EXISTING_LOG_ANALYTICS_WORKSPACE_RESOURCE_ID"


def test_firewall_ip_format_and_a_complete_own_application_insights(judged: dict[str, tuple[
        list[tuple[str, str, str]], subprocess.CompletedProcess[str]]]) -> None:
    theirs, _ = judged["env-udr-bad-ip"]
    assert _ported(theirs) == {("AKS_UDR_FW_IP_BAD", "error")}


def test_aks_egress_is_checked_only_with_aks(judged: dict[str, tuple[
        list[tuple[str, str, str]], subprocess.CompletedProcess[str]]]) -> None:
    theirs, ours = judged["env-aks-off"]
    assert _ported(theirs) == set()
    assert not [f for f in json.loads(ours.stdout)["findings"] if f["code"].startswith("AIF-AKS-UDR")]


def test_a_bad_project_ip_whitelist_stops_both(judged: dict[str, tuple[
        list[tuple[str, str, str]], subprocess.CompletedProcess[str]]]) -> None:
    """preflight.sh FAILs IP_FORMAT; we refuse the file at import, naming the line and the entry."""
    theirs, ours = judged["env-bad-project-ip"]
    assert _ported(theirs) == {("IP_FORMAT", "error")}
    assert ours.returncode == 2 and "Traceback" not in ours.stderr
    assert ":1: PROJECT_IP_WHITELIST 'not-an-ip' is not an IPv4 address" in ours.stderr


def test_a_leading_zero_octet_is_refused_with_preflight_sh_s_reason(judged: dict[str, tuple[
        list[tuple[str, str, str]], subprocess.CompletedProcess[str]]]) -> None:
    """bicep's replace() makes 172.16.061.0/26 of DEV_CIDR_RANGE="061"; preflight.sh rejects it."""
    theirs, ours = judged["env-octet-leading-zero"]
    assert ("FAIL", "CIDR_SUBNET_BAD", "common subnet is not a valid CIDR: 172.16.061.0/26") in theirs
    assert ours.returncode == 2 and "Traceback" not in ours.stderr
    assert "DEV_CIDR_RANGE" in ours.stderr and "172.16.061.0/26" in ours.stderr and "as 61" in ours.stderr


def _ado_names(finding: dict[str, str]) -> set[str]:
    """The variables.yaml names a placeholder finding covers (its message lists them)."""
    listed = re.search(r"\(([^)]*)\) still holds", finding["message"])
    names = listed.group(1).split(", ") if listed else [finding["field"].removeprefix("aifactory_extra.")]
    out = set()
    for name in names:
        var = keys.by_key(name)
        out.add(var.ado if var is not None and var.ado else name)
    return out


def test_placeholders_in_the_ai_factory_template_count_as_its_tags_say(judged: dict[str, tuple[
        list[tuple[str, str, str]], subprocess.CompletedProcess[str]]]) -> None:
    """The template's own `<todo>` and `<optional>` values: the keys preflight.sh fails on are our
    errors, the keys it warns on our warnings, whether or not the wizard models the value."""
    theirs, ours = judged["template"]
    listed = {code: set(re.findall(r"([A-Za-z0-9_]+)=\"", message)) for _, code, message in theirs
              if code.startswith("CONFIG_")}
    findings = json.loads(ours.stdout)["findings"]
    errors = set().union(*(_ado_names(f) for f in findings if f["code"] == "AIF-TODO"))
    warnings = set().union(*(_ado_names(f) for f in findings if f["code"] == "AIF-TODO-OPTIONAL"))
    assert errors == listed["CONFIG_MANDATORY_UNSET"]
    assert warnings == listed["CONFIG_OPTIONAL_UNSET"]


def _first_tags(path: Path, separator: str) -> dict[str, str | None]:
    """Each key's first <mandatory>/<optional> tag, read as preflight.sh reads variables.yaml."""
    tags: dict[str, str | None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(rf"^\s*([A-Za-z0-9_]+)\s*{separator}\s*(.*)$", line)
        if not match or line.strip().startswith("#"):
            continue
        rest = match.group(2)
        comment = rest[rest.find(" #") + 2:] if " #" in rest else ""
        tag = re.search(r"<(mandatory|optional)>", comment, re.I)
        tags[match.group(1)] = tag.group(1).lower() if tag else None
    return tags


def test_the_mandatory_lists_are_the_templates_tags(reference: Path) -> None:
    ado = _first_tags(reference / "aifactory" / "azure-devops" / "variables.yaml", ":")
    env = _first_tags(reference / "aifactory" / "github-actions" / ".env.template", "=")
    assert {k for k, tag in ado.items() if tag == "mandatory"} == template_tags.MANDATORY_ADO
    assert {k for k, tag in env.items() if tag == "mandatory"} == template_tags.MANDATORY_ENV
