"""The review step's cost line and its Handover report button, through Pilot in demo mode."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Static
from wizard_pilot import demo_app, settle

from screens.modals import TextQuestion
from screens.wizard_screen import WizardScreen
from wizard import handover
from wizard.cost import compact, money, parse_assumptions


async def test_review_shows_the_monthly_cost_and_writes_the_handover_report(tmp_path: Path) -> None:
    app = demo_app(tmp_path, "enterprise-hub-spoke")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, WizardScreen) and app.draft is not None
        screen.show_step("review")
        await pilot.pause()
        cost = str(screen.query_one("#review-cost", Static).render())
        estimate, _ = handover.estimate_for(app.draft.config)
        assert estimate is not None and cost == f"monthly estimate: {compact(estimate)}"
        assert "dev " in cost and "stage " in cost and "prod " in cost and "total " in cost
        # what the SKU step's cost panels assume, the review and the report assume too
        screen.show_step("skus")
        await pilot.pause()
        screen.pane("skus").query_one("#assume", Input).value = "log_gb_per_day=5"
        await pilot.pause()
        screen.show_step("review")
        await pilot.pause()
        changed, _ = handover.estimate_for(app.draft.config, parse_assumptions(["log_gb_per_day=5"]))
        assert changed is not None and changed.total > estimate.total
        assert str(screen.query_one("#review-cost", Static).render()) == f"monthly estimate: {compact(changed)}"
        button = screen.query_one("#export-report", Button)
        button.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#export-report")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, TextQuestion)
        assert question.query_one(Input).value.endswith("enterprise-hub-spoke-handover.html")
        question.query_one(Input).value = str(tmp_path / "handover.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert "must end in .html or .md" in str(question.query_one(".problem", Static).render())
        out = tmp_path / "handover.html"
        question.query_one(Input).value = str(out)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
    html = out.read_text(encoding="utf-8")
    for section_id, _ in handover.SECTIONS:
        assert f'<section id="{section_id}">' in html
    assert "against the demo sandbox" in html and "AIF-LIVE-PROVIDER" in html
    assert "planned from the live VNet vnt-esmlcmn-sdc-prod-001" in html
    assert f"total</strong></td><td></td><td class=\"r\"><strong>{money(changed.total, changed.currency)}" in html
