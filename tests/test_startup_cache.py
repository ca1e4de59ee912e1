"""The start-up cache: reused under the same key, rebuilt under another, never fatal."""

from __future__ import annotations

from pathlib import Path

from curbside.startup_cache import code_fingerprint, load_or_build


def test_builds_once_then_reuses(tmp_path: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"answer": len(calls)}

    path = tmp_path / "thing.cache"
    assert load_or_build(path, "k1", build) == {"answer": 1}
    assert load_or_build(path, "k1", build) == {"answer": 1}
    assert len(calls) == 1
    assert load_or_build(path, "k2", build) == {"answer": 2}  # another key: rebuilt
    assert len(calls) == 2


def test_corrupt_or_truncated_file_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "thing.cache"
    load_or_build(path, "k", lambda: list(range(1000)))
    path.write_bytes(path.read_bytes()[:40])
    assert load_or_build(path, "k", lambda: "rebuilt") == "rebuilt"
    path.write_bytes(b"garbage")
    assert load_or_build(path, "k", lambda: "again") == "again"


def test_unwritable_directory_still_returns_the_value(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert load_or_build(blocker / "thing.cache", "k", lambda: 42) == 42


def test_fingerprint_changes_with_code_and_packages(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    first = code_fingerprint([tmp_path], ["numpy"])
    assert code_fingerprint([tmp_path], ["numpy"]) == first
    (tmp_path / "a.py").write_text("x = 2\n")
    assert code_fingerprint([tmp_path], ["numpy"]) != first
    assert code_fingerprint([tmp_path], ["numpy", "no-such-package-here"]) != code_fingerprint([tmp_path], ["numpy"])
