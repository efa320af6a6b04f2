import re

import pytest
import yaml

from tests.cli.conftest import run_rasa
from tests.support.servers import ROOT

pytestmark = pytest.mark.rasa

WARNING = re.compile(r"UserWarning: (.*)")


def test_rasa_data_validate_is_clean_apart_from_explained_warnings():
    result = run_rasa(["data", "validate", "--max-history", "5"])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    allowed = set(yaml.safe_load((ROOT / "tests/cli/validate_allowlist.yml").read_text("utf-8"))["allowed"])
    warnings = {match.group(1).strip() for match in WARNING.finditer(output)}
    unexpected = warnings - allowed
    assert not unexpected, "unexplained validator warnings:\n" + "\n".join(sorted(unexpected))
