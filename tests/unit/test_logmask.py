"""borrower/logmask.py: no personal number reaches a log line, whoever logs it and however."""

import io
import json
import logging
import os
import subprocess
import sys
import warnings

import pytest

from borrower import logmask
from tests.support.servers import ROOT

PHONE, ID_NUMBER, CARD = "13812345678", "110101199003071234", "6222 0212 3456 7890 128"


@pytest.fixture
def log_text():
    logmask.install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    logger = logging.getLogger("rasa.core.processor.test")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)


def _unmasked(text):
    flat = text.replace(" ", "").replace("-", "")
    return [number for number in (PHONE, ID_NUMBER, CARD.replace(" ", "")) if number in flat]


def test_arguments_messages_and_tracebacks_are_masked(log_text):
    logger, stream = log_text
    logger.warning("Parsed the message '%s'", f"我电话{PHONE}，身份证{ID_NUMBER}")
    logger.info({"text": f"+86 138-1234-5678 卡号 {CARD}"})
    try:
        raise ValueError(f"cannot encode {PHONE}")
    except ValueError:
        logger.exception("the turn of %s failed", ID_NUMBER)
    text = stream.getvalue()
    assert "138****5678" in text and "ValueError" in text and "the turn of" in text
    assert not _unmasked(text), text


def test_a_malformed_format_string_is_still_logged_masked(log_text):
    logger, stream = log_text
    logger.error("%d calls from %s", "not a number", PHONE)
    assert "calls from" in stream.getvalue() and PHONE not in stream.getvalue()


def test_warnings_are_masked():
    logmask.install()
    text = warnings.formatwarning(f"Failed to parse '/inform{{\"phone\": \"{PHONE}\"}}'", UserWarning, "x.py", 1)
    assert "138****5678" in text and PHONE not in text


def test_install_twice_masks_once():
    logmask.install()
    factory = logging.getLogRecordFactory()
    logmask.install()
    assert logging.getLogRecordFactory() is factory


def test_structlog_events_as_rasa_configures_them_are_masked():
    """Rasa's structlog events end in a stdlib logger, so they pass the masking factory."""
    code = (
        "import borrower.logmask as m; m.install();"
        "from rasa.utils.log_utils import configure_structlog; configure_structlog();"
        "import structlog; structlog.get_logger().error('turn.failed', text='" + PHONE + "')"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    out = result.stdout + result.stderr
    assert "turn.failed" in out and "138****5678" in out and PHONE not in out, out


def test_json_rendered_events_with_chinese_glued_to_a_number_are_masked():
    """Under FORCE_JSON_LOGGING Rasa renders events as JSON with Chinese as \\uXXXX escapes: the
    escape's hex digits ran on into the phone number (「\\u53f713812345678」), which was left whole."""
    code = (
        "import borrower.logmask as m; m.install();"
        "from rasa.utils.log_utils import configure_structlog; configure_structlog();"
        "import structlog; structlog.get_logger().error('turn.failed', text='/inform号" + PHONE + "卡号6222020200112233445')"
    )
    env = {**os.environ, "FORCE_JSON_LOGGING": "1"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=env)
    out = result.stdout + result.stderr
    line = next(line for line in out.splitlines() if "turn.failed" in line)
    assert json.loads(line)["text"] == "/inform号138****5678卡号6222***********3445", line
    assert PHONE not in out and "6222020200112233445" not in out


def test_the_rasa_entry_point_is_rasas_own_command_line():
    result = subprocess.run([sys.executable, "scripts/rasa_server.py", "--version"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and "Rasa Version" in result.stdout and "3.6.21" in result.stdout, result.stdout
