import os
import subprocess
from typing import List

import pytest

from tests.support.servers import BIN, ROOT, default_model


def run_rasa(args: List[str], timeout: int = 900) -> subprocess.CompletedProcess:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run(
        [str(BIN / "rasa"), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="session")
def trained_model():
    path = default_model()
    if not path.exists():
        pytest.fail(f"no trained model at {path}: run `make train` (make test does it)")
    return path
