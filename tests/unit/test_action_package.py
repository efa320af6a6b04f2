"""The action package as the action server loads it: every class registers, every custom action
the domain names is served."""

import yaml
from rasa_sdk.executor import ActionExecutor

from tests.support.servers import ROOT


def test_the_action_server_registers_every_action_the_domain_names():
    executor = ActionExecutor()
    executor.register_package("actions")  # raises for an Action subclass without a name
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    custom = {name for name in domain["actions"] if name.startswith(("action_", "validate_"))}
    assert custom <= set(executor.actions)
