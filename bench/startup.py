"""Startup and footprint benchmark: how long the servers take to become ready (model load),
how much memory each uses, and how long a conversation turn takes.

    python -m bench.startup            # servers only (needs a trained model)
    python -m bench.startup --fresh    # also: install + train in a fresh clone of HEAD

Prints the numbers and writes reports/startup.md.
"""

import argparse
import platform
import statistics
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List

from tests.support.servers import ROOT, rss_mb, running_servers

# A scripted conversation touching the three journeys and small talk.
TURNS = [
    "你好", "我要投诉易鑫车贷乱收GPS费", "车贷", "五万二",
    "催收半夜打电话还爆我通讯录", "分期乐",
    "信用卡欠了八万还不上，想协商", "八万", "六千", "两千",
    "谢谢", "你是机器人吗", "我要投訴這個網貸平台", "不清楚", "网贷", "借一万到手八千五", "一万",
]


def _timed(command: List[str], cwd: Path) -> float:
    start = time.monotonic()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def fresh_install_and_train() -> Dict[str, float]:
    """Clones HEAD into a temporary folder and times setup (new venv) and training."""
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        return {
            "install_s": _timed(["bash", "scripts/setup.sh"], clone),
            "train_s": _timed(["bash", "scripts/train.sh"], clone),
        }


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_servers() -> Dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, running_servers(Path(tmp)) as servers:
        latencies = []
        for turn in TURNS:
            start = time.monotonic()
            servers.say("bench-user", turn)
            latencies.append((time.monotonic() - start) * 1000)
        return {
            "action_server_ready_s": servers.ready_after_s["actions"],
            "rasa_ready_s": servers.ready_after_s["rasa"],
            "rasa_rss_mb": rss_mb(servers.pids["rasa"]),
            "action_server_rss_mb": rss_mb(servers.pids["actions"]),
            "turns": len(latencies),
            "turn_p50_ms": statistics.median(latencies),
            "turn_p95_ms": percentile(latencies, 0.95),
            "turn_max_ms": max(latencies),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="also time install + train in a fresh clone")
    args = parser.parse_args()

    results: Dict[str, float] = {}
    if args.fresh:
        results.update(fresh_install_and_train())
    results.update(measure_servers())

    lines = [
        "# Startup benchmark",
        "",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores), "
        f"command: `python -m bench.startup{' --fresh' if args.fresh else ''}`.",
        "",
        "| measure | value |",
        "|---|---|",
    ]
    labels = {
        "install_s": "install (new .venv, pip cache as found), s",
        "train_s": "train from scratch (`scripts/train.sh` in the clone), s",
        "action_server_ready_s": "action server ready after start, s",
        "rasa_ready_s": "Rasa server ready after start (model load), s",
        "rasa_rss_mb": "Rasa server RSS after the conversation, MB",
        "action_server_rss_mb": "action server RSS after the conversation, MB",
        "turns": "REST turns in the scripted conversation (serial)",
        "turn_p50_ms": "turn latency p50, ms",
        "turn_p95_ms": "turn latency p95, ms",
        "turn_max_ms": "turn latency max, ms",
    }
    for key, label in labels.items():
        if key in results:
            value = results[key]
            lines.append(f"| {label} | {value:.0f} |" if isinstance(value, float) else f"| {label} | {value} |")
    report = "\n".join(lines) + "\n"
    print(report)
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "startup.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
