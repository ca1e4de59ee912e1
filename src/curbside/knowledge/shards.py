"""Splitting ingest between workers: ``--shard i/n`` owns the units whose key hashes to i.

Every unit key belongs to exactly one shard (a stable hash, the same in every process), so
``n`` ingest workers started with ``1/n`` … ``n/n`` write each unit once, and a worker only
prunes vanished units of its own shard, never another worker's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
MAX_SHARDS = 1024


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``; ``Shard(1, 1)`` owns everything."""

    index: int = 1
    count: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.count <= MAX_SHARDS or not 1 <= self.index <= self.count:
            raise ValueError(f"--shard must be i/n with 1 ≤ i ≤ n ≤ {MAX_SHARDS}, not {self.index}/{self.count}")

    @classmethod
    def parse(cls, spec: str) -> Shard:
        """``"2/4"`` → Shard(2, 4). Raises ValueError naming the expected form."""
        match = _SPEC.match(spec)
        if match is None:
            raise ValueError(f"--shard must be i/n (e.g. 1/4), not {spec!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    def owns(self, key: str) -> bool:
        if self.count == 1:
            return True
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") % self.count == self.index - 1
