import pytest

from tests.cli.conftest import run_rasa

pytestmark = pytest.mark.rasa


def test_test_stories_pass(trained_model, tmp_path):
    """tests/test_stories.yml through the trained model: intents, entities and actions.

    --e2e makes Rasa parse each user text with the NLU pipeline; without it the story's own
    intent would be used and NLU would go untested.
    """
    result = run_rasa(
        [
            "test", "core", "--e2e",
            "--model", str(trained_model),
            "--stories", "tests/test_stories.yml",
            "--out", str(tmp_path),
            "--fail-on-prediction-errors",
        ]
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text("utf-8") if failed.exists() else ""
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:] + "\n" + details
