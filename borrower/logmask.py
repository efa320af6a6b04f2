"""Personal numbers never reach a log: every log record, warning and structlog event of the
process is masked (borrower/text.py `mask_pii`) before any handler sees it.

Rasa logs user text in several places — the warning for a malformed "/…" message, the error log
of a failed turn, debug dumps of parsed messages, structlog events — and so do the SDK and
Sanic. Filters on handlers would miss the handlers Rasa adds after start-up, so the masking sits
where every record is made: the log-record factory (message, arguments and the traceback text),
and `warnings.formatwarning`. Rasa's structlog events end in a stdlib logger
(`structlog.stdlib.LoggerFactory`), so they pass the same factory.

`install()` is called first thing by the two server entry points (scripts/rasa_server.py,
scripts/action_server.py); it is idempotent.
"""

import logging
import re
import warnings
from typing import Any, Callable, Optional

from borrower.text import mask_pii

_installed = False

# A JSON renderer (Rasa's structlog output under FORCE_JSON_LOGGING, as supervisord runs it)
# writes Chinese as \uXXXX escapes: in 「\u53f713812345678」 the phone number runs on from the
# escape's hex digits and no longer stands alone. Non-ASCII escapes are written as the characters
# they stand for before masking (still valid JSON, and readable); ASCII ones and surrogates stay.
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescaped(text: str) -> str:
    def character(match: "re.Match[str]") -> str:
        code = int(match.group(1), 16)
        return chr(code) if code >= 0x80 and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _ESCAPE.sub(character, text) if "\\u" in text else text


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message, arguments and exception text masked."""
    try:
        record.msg = mask_pii(_unescaped(record.getMessage()))
    except Exception:  # a malformed format string must still be logged, masked
        record.msg = mask_pii(f"{record.msg!r} {record.args!r}")
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = mask_pii(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = mask_pii(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_pii(record.stack_info)
    return record


def _masking_factory(make: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(make(*args, **kwargs))

    factory.masks_pii = True  # type: ignore[attr-defined]
    return factory


def _masking_formatwarning(format_warning: Callable[..., str]) -> Callable[..., str]:
    def formatwarning(message: Any, category: Any, filename: str, lineno: int, line: Optional[str] = None) -> str:
        return mask_pii(format_warning(message, category, filename, lineno, line))

    return formatwarning


def install() -> None:
    """Masks every log record, warning and structlog event of this process from now on."""
    global _installed
    if not _installed:
        logging.setLogRecordFactory(_masking_factory(logging.getLogRecordFactory()))
        warnings.formatwarning = _masking_formatwarning(warnings.formatwarning)
        _installed = True
