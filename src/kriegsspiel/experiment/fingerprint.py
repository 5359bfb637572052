"""The package's code as one hash, so that a run is only ever continued by the code that began it.

A run's identity names its scenario, parameters, seed and size by content; the engine that
turns them into results is named by the SHA-256 of every Python source file of the package
(relative path and bytes). Any change to the code, released or not, makes an old run a different
run: ``--resume`` refuses it instead of mixing blocks from two engines.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

__all__ = ["code_sha256", "sources_sha256"]


def sources_sha256(root: Path) -> str:
    """SHA-256 over the ``*.py`` files under ``root``, in order of their relative paths."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py"), key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_sha256() -> str:
    """The hash of this installed package's Python sources (computed once per process)."""
    return sources_sha256(Path(__file__).resolve().parents[1])
