"""Step 3: which of dev, stage and prod; each one's subscription and region; the names they share.

Each environment is a box: deploy it or not, its subscription and its region, both chosen from a
type-to-filter picker (screens/pickers.py), and the resource group its names lead to. Turning
off the last environment is refused with the model's own message, on the toggle that tried. The
subscription shows by name once the session has listed them; in demo mode an unset one shows
the demo tenant's subscription it will be checked against.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from screens.messages import FieldEdited
from screens.pickers import RegionPicker, SubscriptionPicker
from screens.steps.base import StepPane
from screens.widgets.fields import ConfigField
from screens.widgets.pick_field import PickField
from wizard import catalog, naming
from wizard.azure.choices import SubscriptionChoice
from wizard.model import ENV_NAMES, TODO, EnvName, FactoryConfig, HubSpokeZone, VwanZone


class EnvironmentsStep(StepPane):
    """Dev, stage and prod, each in its own subscription and region."""

    STEP_ID = "environments"
    DEFAULT_CSS = """
    EnvironmentsStep .env-box { height: auto; border: round $panel-lighten-2; padding: 0 1; margin-bottom: 1; }
    EnvironmentsStep .env-box.-off { color: $text-muted; border: round $panel; }
    EnvironmentsStep .env-box ConfigField .field-label { width: 19; }
    EnvironmentsStep .env-box ConfigField .field-problem { padding-left: 19; }
    EnvironmentsStep .env-names, EnvironmentsStep .env-off { color: $text-muted; }
    EnvironmentsStep #names ConfigField .field-label { width: 18; }
    EnvironmentsStep #names ConfigField .field-problem { padding-left: 18; }
    """

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        config = self.config
        for env in ENV_NAMES:
            enabled = config.environments.get(env).enabled
            with Vertical(classes="env-box" if enabled else "env-box -off", id=f"env-{env}") as box:
                box.border_title = Content(self._box_title(config, env))  # a name from Azure is not markup
                yield ConfigField(config, f"environments.{env}.enabled", label=f"Deploy {env}")
                if not enabled:
                    yield Static("off: not deployed; its subscription and region are kept for when it is back",
                                 classes="env-off", markup=False)
                    continue
                yield PickField(config, f"environments.{env}.subscription_id", label=f"{env} subscription",
                                describe=self._describe_subscription_for(env))
                yield PickField(config, f"environments.{env}.region", label=f"{env} region",
                                describe=_describe_region)
                yield Static(self._names_line(config, env), classes="env-names", id=f"names-{env}", markup=False)
        with Vertical(id="names"):
            yield Static("Names", classes="section")
            yield ConfigField(config, "naming.prefix", label="Name prefix")
            yield ConfigField(config, "naming.scale_set_suffix", label="Scale-set suffix")
            yield ConfigField(config, "identity.tenant_id", label="Tenant id")
            yield ConfigField(config, "identity.azureml_oid", label="Azure ML object id")

    def structure(self, config: FactoryConfig) -> object:
        return tuple(env.enabled for _, env in config.environments_all())

    def _box_title(self, config: FactoryConfig, env: EnvName) -> str:
        """`dev · aif-dev · eastus2`: what the box holds, readable when scrolled past its fields."""
        environment = config.environments.get(env)
        if not environment.enabled:
            return f"{env} (off)"
        sub = environment.subscription_id
        known = self._choices.get(sub.lower()) if sub else None
        return f"{env} · {known.name} · {environment.region}" if known else f"{env} · {environment.region}"

    @staticmethod
    def _names_line(config: FactoryConfig, env: EnvName) -> str:
        return f"names: {naming.common_resource_group(config, env)}, …"

    # ------------------------------------------------------------------ values in words

    @property
    def _choices(self) -> dict[str, SubscriptionChoice]:
        found: list[SubscriptionChoice] | None = getattr(self.app, "subscriptions", None)
        return {c.subscription_id.lower(): c for c in found or []}

    def _describe_subscription_for(self, env: EnvName) -> Any:
        def describe(value: object) -> Text:
            if not isinstance(value, str) or not value or TODO in value:
                if self.demo:
                    from sandbox.seed import DEMO_ENVIRONMENT_SUBSCRIPTIONS

                    sub = DEMO_ENVIRONMENT_SUBSCRIPTIONS[env]
                    known = self._choices.get(sub)
                    return Text(f"demo: {known.name if known else sub}", style="italic")
                return Text("none chosen", style="italic")
            choice = self._choices.get(value.lower())
            if choice is None:
                return Text(value)
            text = Text(choice.name, style="bold")
            if not choice.usable or choice.warned:
                text.append(f" {'✗' if not choice.usable else '!'} {choice.state}", style="bold")
            text.append(f" · {value}", style="dim")
            return text

        return describe

    def show_subscriptions(self, choices: list[SubscriptionChoice] | None) -> None:
        """The session's subscriptions arrived: show names instead of bare ids."""
        for field in self.query(PickField):
            field.redescribe()
        self._retitle(self.config)

    def _retitle(self, config: FactoryConfig) -> None:
        for env in ENV_NAMES:
            boxes = self.query(f"#env-{env}")
            if boxes:
                boxes.first().border_title = Content(self._box_title(config, env))

    def show_config(self, config: FactoryConfig) -> None:
        super().show_config(config)
        self._retitle(config)
        for env in ENV_NAMES:
            names = self.query(f"#names-{env}")
            if names:
                names.first(Static).update(self._names_line(config, env))
            toggle = self.field(f"environments.{env}.enabled")
            if toggle is not None and toggle.has_class("-refused"):
                toggle.remove_class("-refused")  # the refusal was about an earlier attempt
                toggle.show_problems([])

    # ------------------------------------------------------------------ pickers

    def on_pick_field_requested(self, message: PickField.Requested) -> None:
        message.stop()
        field = message.field
        env: EnvName = field.path.split(".")[1]  # type: ignore[assignment]
        current = field.value if isinstance(field.value, str) else None

        def chosen(value: str | None) -> None:
            if value is not None and value != current:
                self.post_message(FieldEdited(field.path, value))
            field.focus_control()

        if field.path.endswith(".subscription_id"):
            self.app.push_screen(self._subscription_picker(env, current), chosen)
        else:
            self.app.push_screen(self._region_picker(env, current), chosen)

    def _prepared(self) -> FactoryConfig:
        live = getattr(self.app, "live", None)
        return live.prepare(self.config)[0] if live is not None else self.config

    def _subscription_picker(self, env: EnvName, current: str | None) -> SubscriptionPicker:
        app: Any = self.app
        prepared = self._prepared()
        used_by: dict[str, list[str]] = {}
        for name, environment in prepared.environments.enabled():
            if name != env and environment.subscription_id and TODO not in environment.subscription_id:
                used_by.setdefault(environment.subscription_id.lower(), []).append(name)
        roles = {}
        zone = prepared.landing_zone
        if isinstance(zone, HubSpokeZone | VwanZone) and zone.dns.subscription_id:
            roles[zone.dns.subscription_id.lower()] = "hub DNS"
        if getattr(app, "live", None) is None:  # not signed in, or the session is still opening
            status = f"{app.session_status} · the list comes with the session; a pasted id works now"
        else:
            status = app.subscriptions_problem
        if current is None and self.demo:
            from sandbox.seed import DEMO_ENVIRONMENT_SUBSCRIPTIONS

            current = DEMO_ENVIRONMENT_SUBSCRIPTIONS[env]
        return SubscriptionPicker(env, current, app.subscriptions, used_by=used_by, roles=roles, status=status)

    def _region_picker(self, env: EnvName, current: str | None) -> RegionPicker:
        live = getattr(self.app, "live", None)
        prepared = self._prepared()
        sub = prepared.environments.get(env).subscription_id or ""
        known = self._choices.get(sub.lower())
        return RegionPicker(env, current, live=live, config=self.config,
                            subscription=known.name if known else sub)


def _describe_region(value: object) -> Text:
    region = catalog.region(str(value)) if value else None
    if region is None:
        return Text(str(value or "none chosen"))
    text = Text(region.name, style="bold")
    text.append(f" · {region.display_name}", style="dim")
    return text
