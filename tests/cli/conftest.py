import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA = str(Path(sys.executable).parent / "rasa")


def model_path() -> Path:
    return Path(os.environ.get("MODEL_PATH", ROOT / "models" / "borrower.tar.gz"))


def run_rasa(args: List[str], timeout: int = 900) -> subprocess.CompletedProcess:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run(
        [RASA, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="session")
def trained_model() -> Path:
    path = model_path()
    if not path.exists():
        pytest.fail(f"no trained model at {path}: run `make train` (make test does it)")
    return path
