"""The results folder: a manifest, one Parquet part per block and table, a marker per block.

Layout of a run folder::

    manifest.json                       what was run (identity), how, when, status
    parts/block-00007.parquet           the per-replication table of block 7
    tables/<table>/block-00007.parquet  any other table of block 7
    blocks/block-00007.json             block 7 is complete: rows, bytes and SHA-256 per table

Every file is written under a temporary name in its own folder, flushed to disk, then renamed,
and a block's marker is written last; a block counts as done only when its marker exists and
every part matches the marker's size and hash. A write cut short (a killed process, a full disk)
leaves at most a temporary file or an unlisted part, which the next ``--resume`` removes and
redoes. File contents are flushed (fsync) before each rename; the folder itself is not, since a
rename lost in a crash only means the block fails its check and is redone.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from kriegsspiel.errors import KriegsspielError
from kriegsspiel.experiment.task import MAIN_TABLE, Block, TableSet

try:  # advisory lock against two runs writing one folder; released when the process dies
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "FORMAT",
    "IDENTITY_FIELDS",
    "RunStore",
    "StorageError",
    "json_bytes",
    "load_part",
    "now_iso",
    "part_path",
    "read_manifest",
    "set_aside",
    "valid_marker",
    "write_atomic",
]

FORMAT = "kriegsspiel-results/1"
IDENTITY_FIELDS = (
    "function",
    "scenario",
    "scenario_hash",
    "params_sha256",
    "overrides",
    "seed",
    "block_size",
    "replications",
    "package_version",
    "code_sha256",
)
"""Manifest fields that must match for a resumed run to continue the same results."""

_MAX_JSON_BYTES = 16 * 1024 * 1024
_SHORT = 12


class StorageError(KriegsspielError):
    """A part, marker or manifest could not be written (``disk_full`` tells ENOSPC apart)."""

    def __init__(self, path: Path, exc: OSError) -> None:
        self.path = path
        self.disk_full = exc.errno == errno.ENOSPC
        reason = "the disk is full" if self.disk_full else (exc.strerror or str(exc))
        super().__init__(f"cannot write {path}: {reason}")


def now_iso() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def part_path(root: Path, table: str, index: int) -> Path:
    """Where block ``index`` of ``table`` is stored."""
    name = f"block-{index:05d}.parquet"
    return root / "parts" / name if table == MAIN_TABLE else root / "tables" / table / name


def _marker_path(root: Path, index: int) -> Path:
    return root / "blocks" / f"block-{index:05d}.json"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _read_json(path: Path) -> Any:
    with open(path, "rb") as handle:
        data = handle.read(_MAX_JSON_BYTES + 1)
    if len(data) > _MAX_JSON_BYTES:
        raise ValueError("too large")
    return json.loads(data)


def json_bytes(value: Any) -> bytes:
    """Readable, sorted, strict JSON (no NaN) as bytes."""
    return (json.dumps(value, indent=2, sort_keys=True, allow_nan=False) + "\n").encode()


def read_manifest(root: Path) -> dict[str, Any]:
    """The manifest of the run in ``root`` (a one-line error if it is missing or unreadable)."""
    path = root / "manifest.json"
    try:
        manifest = _read_json(path)
    except FileNotFoundError:
        raise KriegsspielError(f"{root}: no kriegsspiel results here (no manifest.json)") from None
    except (OSError, ValueError):
        raise KriegsspielError(f"{path}: not a readable kriegsspiel manifest") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise KriegsspielError(f"{path}: not a {FORMAT} manifest")
    return manifest


def valid_marker(root: Path, block: Block, *, verify: bool = False) -> dict[str, Any] | None:
    """The marker of a complete block, or ``None`` if the block is missing or damaged.

    Part sizes are always checked against the marker; with ``verify`` their SHA-256 too.
    """
    try:
        marker = _read_json(_marker_path(root, block.index))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or [marker.get(k) for k in ("block", "start", "size")] != [
        block.index,
        block.start,
        block.size,
    ]:
        return None
    tables = marker.get("tables")
    if not isinstance(tables, dict) or MAIN_TABLE not in tables:
        return None
    for table, entry in tables.items():
        path = part_path(root, str(table), block.index)
        try:
            if not isinstance(entry, dict) or path.stat().st_size != entry.get("bytes"):
                return None
            if verify and hashlib.sha256(path.read_bytes()).hexdigest() != entry.get("sha256"):
                return None
        except OSError:
            return None
    return marker


def load_part(root: Path, table: str, block: Block, marker: Mapping[str, Any]) -> pa.Table:
    """Read one part, checking it against its marker (size, SHA-256 and row count)."""
    entry = marker["tables"][table]
    path = part_path(root, table, block.index)
    data = path.read_bytes()
    if len(data) != entry["bytes"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise KriegsspielError(f"{path}: damaged (does not match its block marker); use --resume")
    result = pq.read_table(pa.BufferReader(data))
    if result.num_rows != entry["rows"]:
        raise KriegsspielError(f"{path}: {result.num_rows} rows, its marker says {entry['rows']}")
    return result


def _parquet_bytes(frame: Any, metadata: Mapping[str, str]) -> tuple[bytes, int]:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    merged = {
        **(table.schema.metadata or {}),
        **{k.encode(): v.encode() for k, v in metadata.items()},
    }
    table = table.replace_schema_metadata(merged)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes(), table.num_rows


def _describe(manifest: Mapping[str, Any], field: str) -> str:
    value = manifest.get(field)
    if isinstance(value, str) and field.endswith(("hash", "sha256")):
        return f"{field}={value[:_SHORT]}"
    return f"{field}={json.dumps(value, sort_keys=True)}"


def _normal(identity: Mapping[str, Any]) -> dict[str, Any]:
    """The identity as the manifest stores it (JSON types, sorted keys)."""
    out: dict[str, Any] = json.loads(json.dumps(dict(identity), sort_keys=True))
    return out


def _differ(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The identity fields in which two runs differ."""
    return [f for f in IDENTITY_FIELDS if old.get(f) != new.get(f)]


def set_aside(root: Path, identity: Mapping[str, Any]) -> Path | None:
    """Move a different run out of ``root`` so that a new one can start there.

    The old run goes, whole, to the sibling folder ``<root>.<when it started>``; nothing is
    deleted. Nothing moves when ``root`` holds no run or this same run (to be resumed).

    Returns:
        Where the old run is now, or None if nothing moved.

    Raises:
        KriegsspielError: another process is writing the old run, the current folder is in
            it, or the move failed.
    """
    if not (root / "manifest.json").exists():
        return None
    old = read_manifest(root)
    if not _differ(old, _normal(identity)):
        return None
    if Path.cwd().resolve().is_relative_to(root.resolve()):
        raise KriegsspielError(f"{root}: the current folder is in it, so it cannot be moved")
    stamp = "".join(c for c in str(old.get("started", "")) if c.isdigit())[:14] or "old"
    target, n = root.with_name(f"{root.name}.{stamp}"), 1
    while target.exists():
        target, n = root.with_name(f"{root.name}.{stamp}-{n}"), n + 1
    lock = RunStore._acquire(root)  # refuses while another run writes the folder
    try:
        root.rename(target)
    except OSError as exc:
        raise KriegsspielError(f"{root}: cannot move it to {target} ({exc.strerror})") from None
    finally:
        if lock is not None:
            lock.close()
    return target


class RunStore:
    """Writer of one run folder (create, resume, write blocks, finish)."""

    def __init__(self, root: Path, manifest: dict[str, Any], lock: IO[bytes] | None) -> None:
        self.root = root
        self.manifest = manifest
        self._lock = lock

    @classmethod
    def prepare(cls, root: Path, identity: Mapping[str, Any], resume: bool) -> RunStore:
        """Create the folder for a new run, or reopen it with ``resume`` if the identity matches.

        Raises:
            KriegsspielError: the folder holds another run, holds this run without ``resume``,
                or holds files that are not a run.
        """
        new = _normal(identity)
        if root.exists() and not root.is_dir():
            raise KriegsspielError(f"{root}: exists and is not a folder")
        manifest: dict[str, Any]
        if (root / "manifest.json").exists():
            old = read_manifest(root)
            differ = _differ(old, new)
            if differ:
                had = ", ".join(_describe(old, f) for f in differ)
                asked = ", ".join(_describe(new, f) for f in differ)
                raise KriegsspielError(
                    f"{root} holds a different run ({had}; this command has {asked}); "
                    "choose another output folder"
                )
            if not resume:
                raise KriegsspielError(
                    f"{root} already holds this run (status {old.get('status')}); "
                    "add --resume to finish it, or choose another output folder"
                )
            manifest = {**old, "resumed": [*old.get("resumed", []), now_iso()]}
        elif root.exists() and any(root.iterdir()):
            raise KriegsspielError(f"{root} is not empty and holds no kriegsspiel run")
        else:
            manifest = {"format": FORMAT, **new, "started": now_iso()}
        root.mkdir(parents=True, exist_ok=True)
        store = cls(root, manifest, cls._acquire(root))
        store.update(status="running", finished=None)
        return store

    @staticmethod
    def _acquire(root: Path) -> IO[bytes] | None:
        if fcntl is None:  # pragma: no cover - Windows
            return None
        handle = open(root / ".lock", "ab")  # noqa: SIM115 - held until close()
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise KriegsspielError(f"{root} is being written by another run") from None
        return handle

    def update(self, **fields: Any) -> None:
        """Change manifest fields and rewrite the manifest atomically."""
        self.manifest.update(fields)
        try:
            write_atomic(self.root / "manifest.json", json_bytes(self.manifest))
        except OSError as exc:
            raise StorageError(self.root / "manifest.json", exc) from None

    def close(self) -> None:
        """Release the folder's lock."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def done(self, blocks: Iterable[Block]) -> list[Block]:
        """The blocks whose markers and parts are in place, hashes checked."""
        return [b for b in blocks if valid_marker(self.root, b, verify=True) is not None]

    def _leftovers(self) -> Iterator[Path]:
        for folder in (self.root / "parts", self.root / "tables", self.root / "blocks"):
            if folder.is_dir():
                yield from folder.rglob(".*.tmp")

    def clear(self, blocks: Iterable[Block]) -> None:
        """Remove temporary files and anything left of ``blocks`` (about to be redone)."""
        for tmp in self._leftovers():
            tmp.unlink(missing_ok=True)
        folders = [f for f in (self.root / "parts", self.root / "tables") if f.is_dir()]
        for block in blocks:
            _marker_path(self.root, block.index).unlink(missing_ok=True)
            for folder in folders:
                for path in folder.rglob(f"block-{block.index:05d}.parquet"):
                    path.unlink()

    def write_block(self, block: Block, tables: TableSet) -> None:
        """Store a finished block: its parts, then its marker.

        Raises:
            StorageError: a write failed (the block stays missing; nothing half-written counts).
        """
        entries: dict[str, dict[str, Any]] = {}
        metadata = {
            "kriegsspiel.block": json.dumps(
                {"block": block.index, "start": block.start, "size": block.size}
            ),
            "kriegsspiel.run": json.dumps(
                {f: self.manifest.get(f) for f in IDENTITY_FIELDS}, sort_keys=True
            ),
        }
        path = _marker_path(self.root, block.index)
        try:
            for table, frame in sorted(tables.items()):
                data, rows = _parquet_bytes(frame, {**metadata, "kriegsspiel.table": table})
                path = part_path(self.root, table, block.index)
                write_atomic(path, data)
                entries[table] = {
                    "rows": rows,
                    "bytes": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            marker = {"block": block.index, "start": block.start, "size": block.size}
            path = _marker_path(self.root, block.index)
            write_atomic(path, json_bytes({**marker, "tables": entries}))
        except OSError as exc:
            raise StorageError(path, exc) from None
