"""Reading a results folder back: pandas frames (and xarray datasets when xarray is installed)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from kriegsspiel.errors import KriegsspielError
from kriegsspiel.experiment.store import load_part, read_manifest, valid_marker
from kriegsspiel.experiment.task import MAIN_TABLE, REPLICATION, Block, plan_blocks

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Results"]


@dataclass(frozen=True)
class Results:
    """The results of one run: its manifest and its complete blocks.

    Attributes:
        root: the run folder.
        manifest: the manifest (what was run, how, when, status).
        blocks: the complete blocks, in order.
        missing: the blocks not (or not validly) written yet.
        tables: the table names the run stores.
    """

    root: Path
    manifest: dict[str, Any]
    blocks: tuple[Block, ...]
    missing: tuple[Block, ...]
    tables: tuple[str, ...]

    @classmethod
    def open(cls, root: str | Path, *, partial: bool = False) -> Results:
        """Open the run in ``root``; unless ``partial``, every block must be there.

        Raises:
            KriegsspielError: no run in ``root``, or blocks missing (without ``partial``).
        """
        root = Path(root)
        manifest = read_manifest(root)
        try:
            plan = plan_blocks(int(manifest["replications"]), int(manifest["block_size"]))
        except (KeyError, TypeError, ValueError):
            raise KriegsspielError(
                f"{root}/manifest.json: no valid replications/block_size"
            ) from None
        done: list[Block] = []
        missing: list[Block] = []
        tables: set[str] = set()
        for block in plan:
            marker = valid_marker(root, block)
            (missing if marker is None else done).append(block)
            if marker is not None:
                tables.update(marker["tables"])
        if missing and not partial:
            raise KriegsspielError(
                f"{root}: {len(missing)} of {len(plan)} blocks are missing; "
                "finish the run with --resume"
            )
        ordered = (MAIN_TABLE, *sorted(tables - {MAIN_TABLE}))
        return cls(root, manifest, tuple(done), tuple(missing), ordered)

    @property
    def complete(self) -> bool:
        """Whether every block of the run is stored."""
        return not self.missing

    @property
    def replications(self) -> int:
        """Replications stored (complete blocks only)."""
        return sum(b.size for b in self.blocks)

    def arrow(self, table: str = MAIN_TABLE) -> pa.Table:
        """One table of the run as a pyarrow table, blocks in order, every part verified."""
        if table not in self.tables:
            raise KriegsspielError(
                f"{self.root}: no table {table!r} (has {', '.join(self.tables)})"
            )
        parts = []
        for block in self.blocks:
            marker = valid_marker(self.root, block)
            if marker is None:
                raise KriegsspielError(f"{self.root}: block {block.index} changed while reading")
            if table in marker["tables"]:
                parts.append(load_part(self.root, table, block, marker))
        if not parts:
            raise KriegsspielError(f"{self.root}: no stored blocks")
        try:
            return pa.concat_tables(parts, promote_options="default")
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise KriegsspielError(f"{self.root}: blocks of {table!r} disagree: {exc}") from None

    def frame(self, table: str = MAIN_TABLE) -> pd.DataFrame:
        """One table of the run as a pandas frame (the main table is indexed by replication)."""
        frame = self.arrow(table).to_pandas()
        if table == MAIN_TABLE:
            frame = frame.set_index(REPLICATION)
        return pd.DataFrame(frame)

    def to_xarray(self, table: str = MAIN_TABLE) -> Any:
        """One table as an ``xarray.Dataset`` (needs the optional xarray package)."""
        try:
            importlib.import_module("xarray")
        except ImportError:
            raise KriegsspielError("xarray is not installed (pip install xarray)") from None
        return self.frame(table).to_xarray()

    def plot_control(self, objectives: list[str] | None = None) -> Figure:
        """Share of replications in which each side holds each objective, over time.

        The report's figure (:func:`kriegsspiel.report.plots.plot_control`) for this run, as a
        matplotlib ``Figure`` (shown inline in a notebook); ``objectives`` picks some by id.
        """
        from kriegsspiel.report.adapters import from_results_dir
        from kriegsspiel.report.plots import plot_control

        return plot_control(from_results_dir(self.root), objectives)

    def plot_losses(self) -> Figure:
        """Distribution of each loss figure per side, with the record where the scenario has one.

        The report's figure (:func:`kriegsspiel.report.plots.plot_losses`) for this run, as a
        matplotlib ``Figure``.
        """
        from kriegsspiel.report.adapters import from_results_dir
        from kriegsspiel.report.plots import plot_losses

        return plot_losses(from_results_dir(self.root))
