"""What the operations tests share: one migrated SQLite database, a child's output read in a
thread."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.ops import servers


def migrate(env: dict[str, str]) -> None:
    subprocess.run([servers.MOTCUA, "migrate", "-v", "0"], env=env, check=True)  # noqa: S603


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """One migrated SQLite database for the module; each test serves a copy of it."""
    var = tmp_path_factory.mktemp("migrated")
    env = {**os.environ, "MOTCUA_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)
    migrate(env)
    return var / "motcua.sqlite3"


def sqlite_env(tmp_path: Path, migrated: Path) -> dict[str, str]:
    shutil.copy(migrated, tmp_path / "motcua.sqlite3")
    env = {**os.environ, "MOTCUA_VAR_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


class Output:
    """The lines a child prints, read in a thread."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self.thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 60) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.findall(pattern, self.text)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{pattern!r} x{count} not seen in:\n{self.text[-3000:]}")
