"""The case store's secrets: contact numbers the user asked to have in their letter, stored
encrypted (Fernet: AES-128-CBC + HMAC-SHA256), and the keyed hash that checks the last four
digits of a phone number without storing them.

The key comes from CASES_SECRET_KEY (a Fernet key: `python -c "from cryptography.fernet import
Fernet; print(Fernet.generate_key().decode())"`). Without it, a key is created on first use in
var/cases.key, readable by its owner only — fine for one machine, not for several servers.
"""

import hashlib
import hmac
import json
import os
from functools import lru_cache
from typing import Any, Dict, Optional

from cryptography.fernet import Fernet, InvalidToken

from borrower.paths import VAR_DIR

KEY_ENV = "CASES_SECRET_KEY"


@lru_cache(maxsize=1)
def _key() -> bytes:
    configured = os.environ.get(KEY_ENV)
    if configured:
        return configured.strip().encode()
    path = VAR_DIR / "cases.key"
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key


def encrypt(data: Dict[str, Any]) -> str:
    return Fernet(_key()).encrypt(json.dumps(data, ensure_ascii=False).encode()).decode()


def decrypt(token: Optional[str]) -> Optional[Dict[str, Any]]:
    """The data, or None when there is none or the key has changed since it was written."""
    if not token:
        return None
    try:
        return json.loads(Fernet(_key()).decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return None


def keyed_hash(*parts: str) -> str:
    """HMAC-SHA256 of the parts under the key (a 4-digit secret is only safe against someone
    without the key, and only with the store's attempt limit)."""
    return hmac.new(_key(), "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def same_hash(expected: Optional[str], *parts: str) -> bool:
    return bool(expected) and hmac.compare_digest(expected, keyed_hash(*parts))
