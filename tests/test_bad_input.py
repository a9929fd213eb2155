"""Every file in the bad-input corpus gets a short message naming file, line or field and the fix.

Through the real console script: exit code 2, no traceback, and nothing overwritten.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import aifactory_bin

CORPUS = Path(__file__).resolve().parent / "corpus" / "presets"

EXPECTED = {
    "bad-ip.yaml": ["access.ip_allow_list", "999.1.1.1"],
    "bad-mode.yaml": ["landing_zone", "'mesh' is not a landing-zone mode"],
    "binary.yaml": ["binary file"],
    "broken-yaml.yaml": [":4:", "not valid YAML"],
    "cidr-300.yaml": [":2:", "network.vnet_cidr", "300.1.0.0/16"],
    "duplicate-key.yaml": [":7:", "given twice"],
    "empty.yaml": ["is empty"],
    "extends-missing.yaml": [":1:", "no preset named 'no-such-preset'"],
    "extends-self.yaml": [":1:", "no preset named 'extends-self'", "never by file name"],
    "list-document.yaml": [":1:", "must be a mapping"],
    "newer-version.yaml": ["newer aifactory-wizard", "upgrade"],
    "prefix-40.yaml": [":2:", "naming.prefix", "at most 10"],
    "unknown-key.yaml": [":3:", "environments.dev.regoin", "did you mean 'region'"],
    "wrong-type.yaml": [":3:", "environments.dev.cidr_octet", "not a whole number"],
    "yaml-bomb.yaml": [":1:", "anchors or aliases"],
}


def test_corpus_is_covered() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_preset_file(name: str, tmp_path: Path) -> None:
    path = CORPUS / name
    before = path.read_bytes()
    out = tmp_path / "out.env"
    out.write_text("KEEP=1\n")
    result = subprocess.run(
        [aifactory_bin(), "export", "--format", "env", "--config", str(path), "-o", str(out)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert str(path) in result.stderr
    for words in EXPECTED[name]:
        assert words in result.stderr, result.stderr
    assert path.read_bytes() == before
    assert out.read_text() == "KEEP=1\n"
