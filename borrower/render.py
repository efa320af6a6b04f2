"""Renders the user-facing text blocks from the Jinja2 templates in templates/."""

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from borrower.paths import TEMPLATES_DIR


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=StrictUndefined,  # a missing value is a bug, not an empty line
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,  # plain chat text, never HTML
    )
    env.filters["yuan"] = format_yuan
    return env


def format_yuan(value: Any) -> str:
    """52000 → "52,000 元"; 2523.5 → "2,523.50 元"."""
    number = float(value)
    return f"{number:,.0f} 元" if number == int(number) else f"{number:,.2f} 元"


def render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context).strip()
