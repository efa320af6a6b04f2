"""A real PostgreSQL server from Debian's package, started on a loopback port for the tests that
run against it, and stopped afterwards. No server package → the caller skips, loudly."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator, Optional

from tests.support.servers import free_port

USER = "borrower"


def _bin(name: str) -> Optional[str]:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


def available() -> Optional[str]:
    """None when a server can be started here, else why not."""
    if not (_bin("initdb") and _bin("pg_ctl")):
        return "PostgreSQL is not installed (Debian package `postgresql`): `apt-get install postgresql`"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a `postgres` user to run the server as"
    return None


def running_server() -> Iterator[str]:
    """Starts a throw-away cluster; yields a SQLAlchemy URL to its `postgres` database."""
    root = Path(tempfile.mkdtemp(prefix="borrower-pg-"))
    as_owner = []
    if os.geteuid() == 0:  # the server refuses to run as root
        account = pwd.getpwnam("postgres")
        os.chown(root, account.pw_uid, account.pw_gid)
        as_owner = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()
    run = lambda *command: subprocess.run([*as_owner, *command], check=True, capture_output=True, text=True)  # noqa: E731
    run(_bin("initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale")
    run(_bin("pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    try:
        yield f"postgresql+psycopg2://{USER}@127.0.0.1:{port}/postgres"
    finally:
        run(_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)
