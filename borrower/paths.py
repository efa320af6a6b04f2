"""Locations of the project's data files and of its runtime state."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEXICON_DIR = ROOT / "lexicon"
KNOWLEDGE_DIR = ROOT / "knowledge"
TEMPLATES_DIR = ROOT / "templates"
BUILD_DIR = ROOT / "build"

# Runtime state (SQLite files, logs) lives in one git-ignored folder, overridable for tests.
VAR_DIR = Path(os.environ.get("BORROWER_VAR_DIR", ROOT / "var"))
