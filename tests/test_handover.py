"""The handover report: `aifactory report` through the real entry point, the HTML as Chromium
draws it, the Markdown under a linter's basic rules, escaping and secrets."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from presets.store import PresetStore
from tests.conftest import aifactory_bin
from tests.markdown_lint import lint
from tests.png_pixels import ink
from wizard import handover
from wizard.model import FactoryConfig

BUILT_INS = ("poc-standalone", "enterprise-hub-spoke", "global-vwan", "hybrid-workshop")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


VOID = {"meta", "br", "hr", "img", "input", "link", "path", "rect", "line"}


class Balance(HTMLParser):
    """Every element the page opens is closed, in order (a tag left open by a bad escape shows)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1] if self.open else 'nothing'}")
        else:
            self.open.pop()


def balanced(html: str) -> list[str]:
    parser = Balance()
    parser.feed(html)
    return parser.problems + [f"<{tag}> never closed" for tag in parser.open]


def report(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([aifactory_bin(), "report", *args], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)


def built(config: FactoryConfig, name: str = "test") -> handover.Document:
    estimate, problem = handover.estimate_for(config)
    inputs = handover.ReportInputs(name, config, handover.offline_checks(config),
                                   datetime(2026, 12, 2, 15, 0, tzinfo=UTC), estimate, problem)
    return handover.build(inputs)


def test_demo_report_has_every_section_and_chromium_draws_it(tmp_path: Path) -> None:
    out = tmp_path / "handover.html"
    run = report(tmp_path, "--preset", "enterprise-hub-spoke", "--demo", "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert "wrote" in run.stderr and "checked live (demo)" in run.stderr
    html = out.read_text(encoding="utf-8")
    for section_id, title in handover.SECTIONS:
        assert f'<section id="{section_id}"><h2>{title}</h2>' in html, section_id
    # what the demo tenant is seeded with shows as open findings with their fixes
    assert "AIF-LIVE-PROVIDER" in html and "az provider register" in html
    assert "planned from the live VNet vnt-esmlcmn-sdc-prod-001" in html
    # self-contained: no script, nothing fetched
    assert "<script" not in html.lower()
    assert balanced(html) == []
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert html.count("<svg") == 1 + 3  # the landing zone, one address map per environment
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}: the HTML was checked, not drawn")
    png = tmp_path / "handover.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=800,600", f"--screenshot={png}", out.as_uri()],
                   capture_output=True, timeout=60, check=False)
    assert png.is_file(), "chromium wrote no screenshot"
    colours, inked = ink(png)
    assert colours > 20 and inked > 0.01, f"the screenshot looks blank: {colours} colours, {inked:.1%} ink"


def test_offline_report_says_so_and_markdown_passes_the_linter(tmp_path: Path) -> None:
    out = tmp_path / "handover.md"
    run = report(tmp_path, "--preset", "poc-standalone", "-o", str(out))
    assert run.returncode == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    assert lint(text) == []
    assert "the offline rules only" in text
    for _, title in handover.SECTIONS:
        assert f"\n## {title}\n" in text
    assert "Not deployed yet" in text


@pytest.mark.parametrize("preset", BUILT_INS)
def test_markdown_of_every_built_in_passes_the_linter(preset: str) -> None:
    document = built(PresetStore().load(preset).config, preset)
    assert lint(handover.render(document, "markdown")) == []


def test_the_linter_catches_what_it_claims() -> None:
    bad = "## two\n# one\ntext\n| a | b |\n| --- | --- |\n| 1 |\n\n\n- item  \n"
    found = " ".join(lint(bad))
    for rule in ("MD041", "MD022", "MD058", "MD056", "MD012", "MD009"):
        assert rule in found, rule


def test_user_text_is_escaped_and_secrets_never_written() -> None:
    token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    base = PresetStore().load("poc-standalone").config
    project = base.projects[0].model_copy(update={"name": "<script>alert(1)</script> | *x*"})
    config = base.model_copy(update={
        "description": f"<img src=x onerror=alert(2)> token {token}",
        "projects": [project, *base.projects[1:]],
    })
    document = built(config)
    html = handover.render(document, "html")
    assert balanced(html) == []
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = handover.render(document, "markdown")
    assert "<script>" not in markdown and "\\<script\\>" in markdown and "\\| \\*x\\*" in markdown
    # a Markdown renderer (markdown-it, as rich ships it) sees no HTML and no emphasis from user text
    tokens = MarkdownIt("commonmark", {"html": True}).enable("table").parse(markdown)
    inline = [child for token in tokens for child in (token.children or [])]
    assert not [t for t in [*tokens, *inline] if t.type in ("html_inline", "html_block")]
    assert any(t.type == "text" and "<script>alert(1)</script> | *x*" in t.content for t in inline)
    assert lint(markdown) == []
    assert token not in html and "token &lt;secret hidden&gt;" in html
    assert token not in markdown and "token \\<secret hidden\\>" in markdown


def test_a_report_path_that_is_neither_html_nor_markdown_is_refused(tmp_path: Path) -> None:
    run = report(tmp_path, "--preset", "poc-standalone", "-o", str(tmp_path / "handover.pdf"))
    assert run.returncode == 2
    assert "must end in .html or .md" in run.stderr and "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_run_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    run = report(tmp_path, "--preset", "poc-standalone", "--run", "20260101-000000-abcd", "-o",
                 str(tmp_path / "handover.html"))
    assert run.returncode == 2 and "there is no deployment run 20260101-000000-abcd" in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_second_report_keeps_the_first_as_backup(tmp_path: Path) -> None:
    out = tmp_path / "handover.html"
    for _ in range(2):
        assert report(tmp_path, "--preset", "poc-standalone", "-o", str(out)).returncode == 0
    assert out.is_file() and (tmp_path / "handover.html.bak").is_file()


def test_a_deployment_shows_each_stage_resource_duration_and_failure() -> None:
    from wizard.run_summary import FailureNote, ResourceSummary, RunSummary, StageSummary

    config = PresetStore().load("poc-standalone").config
    stages = (
        StageSummary("dev", None, "common resource group", "esml-cmn-deveus2-001-DeplRG", "succeeded", 1, 4.2,
                     (ResourceSummary("Microsoft.Resources/resourceGroups", "poc-ai-esml-common-eus2-dev-001",
                                      "Succeeded", 3.9),)),
        StageSummary("dev", "001", "cognitive services", "esml-p001-dev-eus2-63", "succeeded", 2, 312.0,
                     (ResourceSummary("Microsoft.Search/searchServices", "aisearch-p001", "Succeeded", 300.5),),
                     (FailureNote(1, "InsufficientQuota: AI Search standard quota", "retried: succeeded on attempt 2",
                                  True),)),
        StageSummary("dev", "002", "cognitive services", "esml-p002-dev-eus2-63", "failed", 1, 12.0, (),
                     (FailureNote(1, "InsufficientQuota: gpt-5.1 <TPM>", "open: lower the capacity to 10K", False),)),
    )
    run = RunSummary("20261202-150412-3fa1", "failed", "2026-12-02 15:04 UTC", 3725.0, 1, stages,
                     ("registered Microsoft.Search in the dev subscription",))
    estimate, _ = handover.estimate_for(config)
    inputs = handover.ReportInputs("poc-standalone", config, handover.offline_checks(config),
                                   datetime(2026, 12, 2, 16, 0, tzinfo=UTC), estimate, run=run)
    document = handover.build(inputs)
    html = handover.render(document, "html")
    deployment = html[html.index('<section id="deployment">'):html.index('<section id="cost">')]
    for text in ("20261202-150412-3fa1", "1:02:05", "5:12", "✗ failed", "retried: succeeded on attempt 2",
                 "open: lower the capacity to 10K", "aisearch-p001", "registered Microsoft.Search",
                 "Failures and how they were resolved (2)", "gpt-5.1 &lt;TPM&gt;"):
        assert text in deployment, text
    assert "Not deployed yet" not in html
    markdown = handover.render(document, "markdown")
    assert lint(markdown) == [] and "retried: succeeded on attempt 2" in markdown


def test_a_demo_deployment_its_failure_and_its_resume_are_reported(tmp_path: Path) -> None:
    deploy = subprocess.run(
        [aifactory_bin(), "deploy", "--preset", "poc-standalone", "--demo", "--yes", "--json", "--speed", "600",
         "--fault", "fail=Microsoft.Search/searchServices:InsufficientQuota:1"],
        capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert deploy.returncode == 1, deploy.stderr
    first = tmp_path / "first.html"
    assert report(tmp_path, "--preset", "poc-standalone", "--demo", "-o", str(first)).returncode == 0
    html = first.read_text(encoding="utf-8")
    deployment = html[html.index('<section id="deployment">'):html.index('<section id="cost">')]
    assert "✗ failed" in deployment and "InsufficientQuota" in deployment and "open: " in deployment
    assert "the demo sandbox (not Azure)" in deployment and "poc-ai-esml-common-eus2-dev-001" in deployment
    resume = subprocess.run([aifactory_bin(), "resume", "--json"], capture_output=True, text=True, timeout=180,
                            cwd=tmp_path)
    assert resume.returncode == 0, resume.stderr
    second = tmp_path / "second.md"
    run = report(tmp_path, "--preset", "poc-standalone", "--demo", "-o", str(second))
    assert run.returncode == 0 and "0 open error(s)" in run.stderr, run.stderr
    text = second.read_text(encoding="utf-8")
    assert lint(text) == []
    assert "resumed: succeeded" in text and "Not deployed yet" not in text
    # the names the deployment now holds are its own, not findings to fix
    assert "already deployed by this factory" in text
    run_id = Path(json.loads(deploy.stdout.strip().splitlines()[-1])["journal"]).stem
    by_id = tmp_path / "by-id.html"
    assert report(tmp_path, "--preset", "poc-standalone", "--demo", "--run", run_id, "-o", str(by_id)).returncode == 0
    assert run_id in by_id.read_text(encoding="utf-8")
    # a second deploy finds everything there (Azure's fingerprints): the report still lists what the first deployed
    again = subprocess.run([aifactory_bin(), "deploy", "--preset", "poc-standalone", "--demo", "--yes", "--json"],
                           capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    latest = tmp_path / "latest.html"
    assert report(tmp_path, "--preset", "poc-standalone", "--demo", "-o", str(latest)).returncode == 0
    html = latest.read_text(encoding="utf-8")
    deployment = html[html.index('<section id="deployment">'):html.index('<section id="cost">')]
    assert f"Stages from earlier runs</dt><dd>{run_id}" in deployment
    assert "vnt-esmlcmn-eus2-dev-001" in deployment and "already deployed" not in deployment
    # without --demo the sandbox's run is not Azure's: nothing was deployed there
    offline = tmp_path / "offline.md"
    assert report(tmp_path, "--preset", "poc-standalone", "-o", str(offline)).returncode == 0
    assert "Not deployed yet" in offline.read_text(encoding="utf-8")
