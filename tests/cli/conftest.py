import os
import subprocess
from typing import List

from tests.support.servers import BIN, ROOT


def run_rasa(args: List[str], timeout: int = 900) -> subprocess.CompletedProcess:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run(
        [str(BIN / "rasa"), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )

