"""Objects that are slow to build at start-up, pickled beside the database and reused.

Building question understanding from scratch costs ~12 CPU-seconds (importing the drug
dictionary and ICD-10-CM packages, building the condition trie from every document, the
spelling buckets, the intent model); unpickling the built object costs ~1 s. The cache is
keyed by everything that could change what would be built: the knowledge base's generation
token (a fresh one on every write), the versions of the packages the tables come from, and a
hash of the code that builds them. A mismatching, truncated or unreadable file is rebuilt;
it is never an error.

Only files this process (or an ingest) wrote are read: the data directory is Curbside's own,
as for the intent model's joblib file.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

log = logging.getLogger("curbside.startup")
T = TypeVar("T")
CACHE_FORMAT = "1"
_MAGIC = b"curbside-startup-cache\n"


def code_fingerprint(modules_dirs: Iterable[Path], packages: Iterable[str]) -> str:
    """Hash of the code and data files under ``modules_dirs`` and the installed ``packages`` versions."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for folder in modules_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    for package in packages:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{package}={version}\0".encode())
    return digest.hexdigest()


def load_or_build(path: Path, key: str, build: Callable[[], T]) -> T:
    """The object cached at ``path`` under ``key``; otherwise ``build()``, saved for next time.

    Saving is atomic (temporary file + rename) and best effort: a read-only data directory only
    costs the next start the build again.
    """
    cached = _read(path, key)
    if cached is not None:
        _keep_out_of_collections()
        return cached  # type: ignore[return-value]
    value = build()
    _keep_out_of_collections()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
            handle.write(_MAGIC + key.encode() + b"\n")
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(handle.name, 0o644)  # like the database beside it (the temporary file is 0600)
        os.replace(handle.name, path)
    except OSError as error:
        log.warning("cannot cache %s: %s", path.name, error)
    return value


def _keep_out_of_collections() -> None:
    """Move every object alive now (the cached tables: millions, all kept for the process's
    life) out of the cyclic collector's reach. Otherwise each later full collection walks them
    all again: ~0.5 CPU-s the first time anything allocates enough afterwards (measured while
    opening the safety stage), and again at random points during answers."""
    gc.freeze()


def _read(path: Path, key: str) -> object | None:
    try:
        with path.open("rb") as handle:
            if handle.readline() != _MAGIC or handle.readline().rstrip(b"\n") != key.encode():
                return None
            # Millions of small objects: the cyclic collector would run hundreds of times during
            # the load (measured 5 s instead of 1 s) although nothing allocated here is garbage.
            enabled = gc.isenabled()
            gc.disable()
            try:
                return pickle.load(handle)
            finally:
                if enabled:
                    gc.enable()
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError) as error:
        log.warning("ignoring unreadable cache %s: %s", path.name, error)
        return None
