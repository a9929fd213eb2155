"""Secrets never reach a preset, an export, the sandbox's state or the terminal.

Every secret shape of issue 7 is planted in a `.env` and a `variables.yaml`, and every writer and
printer is run through the real console script: import (stdout, -o, --save-preset), presets save,
show and diff, export (generated, and over a base file that holds the secrets), validate and
network, and the error paths. Not one planted value may appear in any file written or any stream
printed; each dropped value is named by its key with advice on where it belongs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import aifactory_bin
from wizard.interop import InteropError, import_file
from wizard.interop.ado_yaml import AdoDocument
from wizard.interop.dotenv import EnvDocument
from wizard.secrets import key_role, redact, scrub, secret_reason, shown


def _core(label: str, size: int, alphabet: str = "b64") -> str:
    """A deterministic random-looking secret body, distinct per label."""
    digest = hashlib.sha512(label.encode()).digest() * 4
    if alphabet == "b64":
        return base64.b64encode(digest).decode()[:size]
    if alphabet == "alnum":
        return "".join(ch for ch in base64.b64encode(digest).decode() if ch.isalnum())[:size]
    return "".join("abcdefghijklmnopqrstuvwxyz234567"[byte % 32] for byte in digest)[:size]  # base32


STORAGE_KEY = _core("storage", 86) + "=="
CONN_KEY = _core("conn", 86) + "=="
SB_KEY = _core("servicebus", 43) + "="
COSMOS_KEY = _core("cosmos", 86) + "=="
SAS_SIG = _core("sas", 43).replace("+", "%2B").replace("/", "%2F") + "%3D"
SQL_PASSWORD = "Pl4nted" + _core("sql", 12, "alnum")
PG_PASSWORD = "Pg" + _core("pg", 14, "alnum")
ADO_CONN_KEY = _core("ado-conn", 86) + "=="
ADO_SAS_SIG = _core("ado-sas", 43, "alnum") + "%3D"
CLIENT_SECRET = "Xq5" + "8Q~" + _core("client", 34, "alnum")
JWT = ("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + _core("jwt-claims", 40, "alnum") + "."
       + _core("jwt-sig", 43, "alnum"))

ENV_SECRETS = {
    "GITHUB_TOKEN": "ghp_" + _core("github", 36, "alnum"),
    "GH_PAT": "github_pat_" + _core("ghpat1", 22, "alnum") + "_" + _core("ghpat2", 59, "alnum"),
    "OPENAI_API_KEY": "sk-proj-" + _core("openai", 48, "alnum"),
    "STORAGE_ACCOUNT_KEY": STORAGE_KEY,
    "AZURE_STORAGE_CONNECTION_STRING": f"DefaultEndpointsProtocol=https;AccountName=stcontoso;AccountKey={CONN_KEY};"
                                       "EndpointSuffix=core.windows.net",
    "BLOB_SAS_URL": "https://stcontoso.blob.core.windows.net/data?sv=2022-11-02&ss=b&srt=co&sp=rl"
                    f"&se=2030-01-01T00:00:00Z&sig={SAS_SIG}",
    "AZURE_CLIENT_SECRET": CLIENT_SECRET,
    "DB_PWD": "Tr0ub4dor-" + _core("dbpwd", 10, "alnum"),
    "INPUT_COMMON_SP_SECRET_KEY": _core("typed-into-name", 28, "alnum"),
    "ARM_ACCESS_TOKEN": JWT,
    "TLS_PRIVATE_KEY": f"-----BEGIN RSA PRIVATE KEY-----MIIE{_core('pem', 60, 'alnum')}-----END RSA PRIVATE KEY-----",
    "PIPELINE_HELPER": _core("ado-pat", 52, "b32"),  # an Azure DevOps PAT under an innocent name
    "SERVICEBUS_ENDPOINT": "Endpoint=sb://sb-contoso.servicebus.windows.net/;SharedAccessKeyName=Root;"
                           f"SharedAccessKey={SB_KEY}",
    "SQL_CONNECTION_STRING": "Server=tcp:sql-contoso.database.windows.net,1433;Database=aif;User ID=aifadmin;"
                             f"Password={SQL_PASSWORD};",
    "POSTGRES_URL": f"postgresql://aifadmin:{PG_PASSWORD}@pg.contoso.com:5432/aif",
    "ADMIN_PASSWORD": "Pl4nted-Admin-" + _core("admin", 8, "alnum"),
    "COSMOS_PRIMARY_KEY": COSMOS_KEY,
    "NOTIFY_URL": f"https://prod-01.westeurope.logic.azure.com/workflows/x/triggers/manual?sv=1.0&sig={SAS_SIG}Z",
}
"""18 secrets for the .env, one per shape; the last is a SAS URL under an innocent name."""

ADO_SECRETS = {
    "GITHUB_TOKEN": "ghp_" + _core("ado-github", 36, "alnum"),
    "GH_PAT": "github_pat_" + _core("ado-ghpat1", 22, "alnum") + "_" + _core("ado-ghpat2", 59, "alnum"),
    "OPENAI_API_KEY": "sk-" + _core("ado-openai", 48, "alnum"),
    "storageAccountKey": _core("ado-storage", 86) + "==",
    "storageConnectionString": f"DefaultEndpointsProtocol=https;AccountName=st;AccountKey={ADO_CONN_KEY}",
    "sasUrl": f"https://st.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig={ADO_SAS_SIG}",
    "deploy_client_SECRET": "Deploy-" + _core("ado-client", 16, "alnum"),
    "DB_PWD": "Pl4nted-" + _core("ado-dbpwd", 12, "alnum"),
    "apiKey": _core("ado-apikey", 32, "alnum"),
    "personalAccessToken": _core("ado-pat", 52, "b32"),
    "inputCommonSPSecretKey": "Zk3" + "8Q~" + _core("ado-typed", 34, "alnum"),
}
"""11 secrets for the variables.yaml."""

PLAIN_ENV = 'AIFACTORY_LOCATION="swedencentral"\nAIFACTORY_PREFIX="acme-"\nTAGS=\'{"Owner":"team"}\'\n'
PLAIN_ADO = 'variables:\n  admin_location: "swedencentral"\n  admin_aifactoryPrefixRG: "acme-"\n'


def _quote_env(value: str) -> str:
    return "'" + value + "'" if '"' in value else '"' + value.replace("$", "\\$") + '"'


SECRET_PART = {value: part for value, part in (
    (ENV_SECRETS["AZURE_STORAGE_CONNECTION_STRING"], CONN_KEY), (ENV_SECRETS["BLOB_SAS_URL"], SAS_SIG),
    (ENV_SECRETS["SERVICEBUS_ENDPOINT"], SB_KEY), (ENV_SECRETS["SQL_CONNECTION_STRING"], SQL_PASSWORD),
    (ENV_SECRETS["POSTGRES_URL"], PG_PASSWORD), (ENV_SECRETS["NOTIFY_URL"], SAS_SIG),
    (ADO_SECRETS["storageConnectionString"], ADO_CONN_KEY), (ADO_SECRETS["sasUrl"], ADO_SAS_SIG))}
"""The secret inside a value that also holds harmless text (a URL, an account name)."""


def _leaks(text: str, secrets: dict[str, str]) -> list[str]:
    """The keys whose planted secret, whole or any 12 characters of its middle, appear in `text`."""
    leaked = []
    for key, value in secrets.items():
        part = SECRET_PART.get(value, value)
        middle = part[len(part) // 3:][:12]
        if part in text or middle in text:
            leaked.append(key)
    return leaked


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([aifactory_bin(), *map(str, args)], capture_output=True, text=True, timeout=120)


@pytest.fixture
def planted(tmp_path: Path) -> dict[str, Path]:
    env = tmp_path / "planted.env"
    env.write_text(PLAIN_ENV + "".join(f"{key}={_quote_env(value)}\n" for key, value in ENV_SECRETS.items()))
    ado = tmp_path / "variables.yaml"
    ado.write_text(PLAIN_ADO + "".join(f'  {key}: "{value}"\n' for key, value in ADO_SECRETS.items()))
    return {"env": env, "ado": ado}


# ----------------------------------------------------------------------------- the detector


@pytest.mark.parametrize(("key", "value"), [*ENV_SECRETS.items(), *ADO_SECRETS.items()])
def test_every_planted_shape_is_a_secret(key: str, value: str) -> None:
    assert secret_reason(key, value)
    assert shown(key, value) == "(a secret, not shown)"


@pytest.mark.parametrize(("key", "value"), [
    ("INPUT_COMMON_SP_SECRET_KEY", "<todo>esml-common-sp-secret"),
    ("inputCommonSPSecretKey", "MyServicePrincipalSecret1"),
    ("COMMON_SERVICE_PRINCIPAL_KV_S_NAME_SECRET", "esml-common-bicep-sp-secret"),
    ("ADMIN_PASSWORD", "<todo>"),
    ("ADMIN_PASSWORD", "$(adminPassword)"),
    ("GITHUB_TOKEN", "${{ secrets.GITHUB_TOKEN }}"),
    ("DB_PWD", "@Microsoft.KeyVault(SecretUri=https://kv-aif.vault.azure.net/secrets/db-pwd/)"),
    ("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token"),
    ("MAX_TOKENS", "4000"),
    ("SSH_PUBLIC_KEY", "ssh-rsa AAAAB3NzaC1yc2E"),
    ("ENABLE_PASSWORDLESS", "true"),
    ("TAGS", '{"Owner":"team"}'),
])
def test_what_is_not_a_secret_passes(key: str, value: str) -> None:
    assert secret_reason(key, value) is None


def test_no_variable_the_table_knows_is_a_secret_by_its_default() -> None:
    from wizard.interop.keys import TABLE

    flagged = [(name, var.default) for var in TABLE for name in (var.env, var.ado, *var.spellings()) if name
               for value in (var.default, f"<todo>{var.default}") if secret_reason(name, value)]
    assert flagged == []
    assert key_role("INPUT_COMMON_SPSECRET_KEY") == "name"  # the workflows' spelling of the same variable


def test_a_name_holding_key_refuses_a_real_secret_typed_into_it() -> None:
    assert key_role("INPUT_COMMON_SP_SECRET_KEY") == key_role("inputCommonSPSecretKey") == "name"
    assert "should name a secret" in str(secret_reason("INPUT_COMMON_SP_SECRET_KEY", "hV7kP2xQ9mL4rT8wZ3nB6cF1"))
    assert secret_reason("INPUT_COMMON_SP_SECRET_KEY", CLIENT_SECRET)


def test_scrub_names_where_each_secret_was_never_its_value() -> None:
    data = {"aifactory_extra": {"GH_PAT": ENV_SECRETS["GH_PAT"], "AIFACTORY_LOCATION": "swedencentral"},
            "parameters": {"adminPassword": {"value": "hunter2"}, "vmSize": {"value": "Standard_D2s_v5"}},
            "members": ["alice@contoso.com", JWT]}
    kept, dropped = scrub(data)
    assert kept == {"aifactory_extra": {"AIFACTORY_LOCATION": "swedencentral"},
                    "parameters": {"adminPassword": {}, "vmSize": {"value": "Standard_D2s_v5"}},
                    "members": ["alice@contoso.com"]}
    assert [d.where for d in dropped] == ["aifactory_extra.GH_PAT", "parameters.adminPassword.value", "members.1"]
    notes = " ".join(d.note("not saved") for d in dropped)
    assert "gh secret set" in notes and "seeding Key Vault" in notes
    assert not _leaks(notes, {"pat": ENV_SECRETS["GH_PAT"], "jwt": JWT, "pw": "hunter2"})


def test_redact_hides_every_shape_in_free_text() -> None:
    text = "failed: " + " | ".join(ENV_SECRETS[key] for key in (
        "GITHUB_TOKEN", "GH_PAT", "OPENAI_API_KEY", "STORAGE_ACCOUNT_KEY", "AZURE_STORAGE_CONNECTION_STRING",
        "BLOB_SAS_URL", "AZURE_CLIENT_SECRET", "ARM_ACCESS_TOKEN", "TLS_PRIVATE_KEY", "PIPELINE_HELPER",
        "SERVICEBUS_ENDPOINT", "SQL_CONNECTION_STRING", "POSTGRES_URL", "COSMOS_PRIMARY_KEY"))
    assert not _leaks(redact(text), ENV_SECRETS)


@pytest.mark.parametrize("relative", ["github-actions/.env.template", "azure-devops/variables.yaml"])
def test_the_ai_factory_reference_files_import_with_no_secret_flagged(reference: Path, relative: str) -> None:
    path = reference / "aifactory" / relative
    if not path.is_file():
        pytest.skip(f"{path} not found")
    parse = EnvDocument.parse if relative.endswith("template") else AdoDocument.parse
    values = parse(path.read_text(encoding="utf-8"), str(path)).values()
    assert [key for key, value in values.items() if secret_reason(key, value)] == []
    result = import_file(path)
    assert not [note for note in result.notes if "so its value was" in note]
    held = {**values, **result.config.aifactory_extra}  # the secret *names* are kept as they were
    secret_name_key = "INPUT_COMMON_SP_SECRET_KEY" if relative.endswith("template") else "inputCommonSPSecretKey"
    assert result.config.aifactory_extra["INPUT_COMMON_SP_SECRET_KEY"] == held[secret_name_key]


# ----------------------------------------------------------------------------- through the CLI


def test_no_planted_secret_reaches_any_writer_or_printer(planted: dict[str, Path], tmp_path: Path,
                                                         isolated_dirs: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    everything = {**{f"env:{k}": v for k, v in ENV_SECRETS.items()}, **{f"ado:{k}": v for k, v in ADO_SECRETS.items()}}
    handmade = tmp_path / "handmade.yaml"  # a preset written by hand, or saved by an older version
    handmade.write_text(f"aifactory_extra:\n  GH_PAT: {ENV_SECRETS['GH_PAT']}\n"
                        f"  NOTES: {ENV_SECRETS['OPENAI_API_KEY']}\n")
    first: dict[str, tuple[str | Path, ...]] = {
        "export env": ("export", "--format", "env", "--config", planted["ado"]),
        "validate": ("validate", "--config", planted["env"], "--offline"),
        "network": ("network", "--config", planted["ado"], "--json"),
        "export handmade": ("export", "--format", "env", "--config", handmade),
    }
    for fmt, source in planted.items():
        first[f"import {fmt}"] = ("import", source)
        first[f"import -o {fmt}"] = ("import", source, "-o", out / f"imported-{fmt}.yaml", "--save-preset",
                                     f"planted-{fmt}")
        first[f"presets save {fmt}"] = ("presets", "save", f"saved-{fmt}", "--config", source)
        first[f"export --base {fmt}"] = ("export", "--format", fmt, "--preset", "poc-standalone", "--base", source,
                                         "-o", out / f"over-base.{fmt}")
    then: dict[str, tuple[str | Path, ...]] = {  # these read the presets saved above
        "show": ("presets", "show", "planted-env", "--resolved"),
        "diff": ("presets", "diff", "planted-env", "planted-ado", "--json"),
        "export ado": ("export", "--format", "ado", "--preset", "planted-env", "-o", out / "variables.yaml"),
    }
    runs: dict[str, subprocess.CompletedProcess[str]] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:  # the machine's two cores, two commands at a time
        for batch in (first, then):
            runs.update(zip(batch, pool.map(lambda args: run(*args), batch.values()), strict=True))
    for name, result in runs.items():
        assert result.returncode in (0, 1), (name, result.stderr)
        assert not _leaks(result.stdout + result.stderr, everything), name
    written = [path for folder in (out, isolated_dirs) for path in folder.rglob("*") if path.is_file()]
    assert {path.name for path in written} >= {"imported-env.yaml", "planted-env.yaml", "saved-ado.yaml",
                                               "over-base.env", "over-base.ado", "variables.yaml"}
    for path in written:
        assert not _leaks(path.read_text(encoding="utf-8", errors="replace"), everything), path
    for fmt, secrets in (("env", ENV_SECRETS), ("ado", ADO_SECRETS)):
        for told in (runs[f"import {fmt}"].stderr, runs[f"presets save {fmt}"].stderr):
            assert all(f"{key}: " in told for key in secrets), told  # each dropped value reported by its key…
            assert "seeding Key Vault" in told and "gh secret set" in told  # …with where it belongs
        assert "left empty" in runs[f"export --base {fmt}"].stderr
    told = runs["export handmade"].stderr
    assert "handmade.yaml: aifactory_extra.GH_PAT:" in told and "aifactory_extra.NOTES:" in told
    assert "remove it from the file" in told
    assert 'GITHUB_TOKEN=""' in (out / "over-base.env").read_text()
    assert 'GITHUB_TOKEN: ""' in (out / "over-base.ado").read_text()


def test_a_duplicate_secret_key_error_shows_neither_value(tmp_path: Path) -> None:
    first, second = "Pl4nted-First-" + _core("dup1", 10, "alnum"), "Pl4nted-Second-" + _core("dup2", 10, "alnum")
    env = tmp_path / "dup.env"
    env.write_text(f'AZURE_CLIENT_SECRET="{first}"\nAIFACTORY_PREFIX="acme-"\nAZURE_CLIENT_SECRET="{second}"\n')
    result = run("import", env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "AZURE_CLIENT_SECRET is set again" in result.stderr and ":3:" in result.stderr
    assert first not in result.stderr and second not in result.stderr
    with pytest.raises(InteropError, match="'a-', here: 'b-'"):  # values that are not secrets are still quoted
        EnvDocument.parse('AIFACTORY_PREFIX="a-"\nAIFACTORY_PREFIX="b-"\n', "plain.env")


def test_a_duplicate_key_in_a_preset_shows_neither_value(tmp_path: Path) -> None:
    preset = tmp_path / "dup.yaml"
    preset.write_text(f"aifactory_extra:\n  AZURE_CLIENT_SECRET: {CLIENT_SECRET}\n  AZURE_CLIENT_SECRET: x{SB_KEY}\n")
    result = run("validate", "--config", preset, "--offline")
    assert result.returncode == 2 and "given twice" in result.stderr and ":3:" in result.stderr
    assert not _leaks(result.stderr, {"a": CLIENT_SECRET, "b": SB_KEY})


# ----------------------------------------------------------------------------- in process


def test_a_secret_typed_into_a_checked_field_is_dropped_not_echoed(tmp_path: Path) -> None:
    env = tmp_path / "typo.env"
    env.write_text(f'TENANT_ID="{JWT}"\nDEV_CIDR_RANGE="{CLIENT_SECRET}"\n')
    notes = " ".join(import_file(env).notes)
    assert "TENANT_ID: it looks like a JSON Web Token" in notes
    assert "DEV_CIDR_RANGE: it looks like an Azure client secret" in notes
    assert not _leaks(notes, {"jwt": JWT, "client": CLIENT_SECRET})


def test_a_field_message_never_quotes_a_secret() -> None:
    from pydantic import ValidationError

    from wizard.errors import friendly_problems
    from wizard.model import FactoryConfig

    with pytest.raises(ValidationError) as caught:
        FactoryConfig.model_validate({"environments": {"dev": {"cidr_octet": JWT}}})
    text = " ".join(problem.render() for problem in friendly_problems(caught.value, FactoryConfig))
    assert "environments.dev.cidr_octet" in text and "(a secret, not shown)" in text
    assert not _leaks(text, {"jwt": JWT})


def test_a_preset_file_holding_a_secret_loads_without_it(tmp_path: Path) -> None:
    from presets.store import PresetStore

    preset = tmp_path / "handmade.yaml"
    preset.write_text(f"description: by hand\naifactory_extra:\n  GH_PAT: {ENV_SECRETS['GH_PAT']}\n"
                      f"  AIFACTORY_SALT: abcde\n  NOTES: {ENV_SECRETS['OPENAI_API_KEY']}\n")
    loaded = PresetStore(tmp_path / "presets").load_file(preset)
    assert loaded.config.aifactory_extra == {"AIFACTORY_SALT": "abcde"}
    notes = " ".join(loaded.notes)
    assert "handmade.yaml: aifactory_extra.GH_PAT:" in notes and "remove it from the file" in notes
    assert "aifactory_extra.NOTES: it looks like an API key" in notes
    assert not _leaks(notes, ENV_SECRETS)


def test_the_demo_sandbox_state_never_holds_a_secret(tmp_path: Path) -> None:
    from sandbox.seed import AIF_DEV
    from wizard.azure.demo import open_sandbox

    path = tmp_path / "sandbox.json"
    arm = open_sandbox(path)
    sub = f"/subscriptions/{AIF_DEV}"
    template = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0",
                "parameters": {"adminPassword": {"type": "secureString"}, "apiKey": {"type": "string"}},
                "resources": []}
    body = {"properties": {"mode": "Incremental", "template": template,
                           "parameters": {"adminPassword": {"value": ENV_SECRETS["ADMIN_PASSWORD"]},
                                          "apiKey": {"value": ENV_SECRETS["OPENAI_API_KEY"]}}}}
    status, _, _ = arm.handle(
        "PUT", f"https://management.azure.com{sub}/resourcegroups/rg-secret?api-version=2021-04-01",
        {"authorization": "Bearer x", "content-type": "application/json"}, b'{"location": "swedencentral"}')
    assert status in (200, 201)
    status, _, reply = arm.handle(
        "PUT", f"https://management.azure.com{sub}/resourcegroups/rg-secret/providers/Microsoft.Resources/"
        "deployments/planted?api-version=2021-04-01",
        {"authorization": "Bearer x", "content-type": "application/json"}, json.dumps(body).encode())
    assert status in (200, 201), reply
    state = path.read_text()
    assert "planted" in state  # the deployment was saved…
    assert not _leaks(state, {k: ENV_SECRETS[k] for k in ("ADMIN_PASSWORD", "OPENAI_API_KEY")})  # …without them
