"""Turn a results folder (``kriegsspiel run --out DIR``) into ``ReportData``.

Files read (all optional except ``manifest.json``):

- ``manifest.json``: ``format`` (``kriegsspiel-results/1``), ``scenario``, ``scenario_hash``,
  ``seed``, ``replications``, ``package_version``, ``overrides``, ``status``, ``started``,
  ``finished``;
- ``summary.json``: ``control`` (``{objective: {local time: {side: share}}}``) and ``losses``
  (``{side: {metric: {q05, q50, q95}}}``), as issue 3 specifies;
- the finished blocks (``kriegsspiel.experiment.Results``): in the per-replication table, columns
  named ``<side>.<metric>`` (``soviet.killed_missing``) give loss distributions; the ``control``
  table (``replication, hour, objective, holder``) gives hourly control, preferred to the
  summary's checkpoints; the ``intel`` and ``conditions`` tables give the fog of war
  (``report.fog_adapter``).

The scenario (by the name in the manifest) supplies titles, sides, sources, assumptions,
departures and the recorded losses; the Khasan record of this package fills what it lacks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from kriegsspiel.errors import KriegsspielError
from kriegsspiel.experiment import MAIN_TABLE, Results
from kriegsspiel.report import khasan_record
from kriegsspiel.report.data import (
    LOSS_LABELS,
    Assumption,
    ControlSeries,
    Departure,
    LossMetric,
    Manifest,
    ReportData,
    ScenarioMeta,
    Side,
)
from kriegsspiel.report.fog_adapter import beliefs_from_table, hour_times, orders_from_table

RESULTS_FORMAT = "kriegsspiel-results/1"
_FORMAT_RE = re.compile(r"kriegsspiel-results/(\d+)")
_MAX_JSON = 64 * 1024 * 1024
_QUANTILES = {"q05": 0.05, "q50": 0.5, "q95": 0.95}
_PALETTE = ("#c0392b", "#2c5f8a", "#7d8c2a", "#8e44ad")


def _read_json(path: Path) -> Any:
    with open(path, "rb") as handle:
        raw = handle.read(_MAX_JSON + 1)
    if len(raw) > _MAX_JSON:
        raise KriegsspielError(f"{path}: larger than {_MAX_JSON // 2**20} MiB")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise KriegsspielError(f"{path}: not valid JSON") from None


def read_manifest(root: Path) -> dict[str, Any]:
    """The manifest of ``root``, refusing folders that are missing, foreign or of another format."""
    if not root.is_dir():
        raise KriegsspielError(f"{root}: no such results folder (run `kriegsspiel run ... --out`)")
    path = root / "manifest.json"
    if not path.is_file():
        raise KriegsspielError(f"{root}: no kriegsspiel results here (no manifest.json)")
    manifest = _read_json(path)
    fmt = manifest.get("format") if isinstance(manifest, dict) else None
    if fmt == RESULTS_FORMAT:
        assert isinstance(manifest, dict)
        return manifest
    found = _FORMAT_RE.fullmatch(fmt) if isinstance(fmt, str) else None
    if found is None:
        raise KriegsspielError(
            f"{path}: results of an unknown or older version (format {fmt!r}); this kriegsspiel "
            f"reads {RESULTS_FORMAT}: re-run the scenario with this version"
        )
    raise KriegsspielError(
        f"{path}: results format {fmt} is not readable by this kriegsspiel (reads "
        f"{RESULTS_FORMAT}); use the version that wrote them ({manifest.get('package_version')})"
    )


def meta_from_scenario(scenario: Any) -> ScenarioMeta:
    """``ScenarioMeta`` of a loaded ``kriegsspiel.scenario.Scenario``."""
    from kriegsspiel.scenario import assumptions

    sides = tuple(Side(sid, s.name, s.color.lower()) for sid, s in scenario.sides.items())
    return ScenarioMeta(
        name=scenario.meta.name,
        title=scenario.meta.title,
        sides=sides,
        sources=dict(scenario.sources),
        assumptions=tuple(
            Assumption(a.path, a.value, a.low, a.high, a.note or "") for a in assumptions(scenario)
        ),
        departures=tuple(
            Departure(f"claim {d.claim}: {', '.join(d.keys)}", d.scenario, d.record, d.source or "")
            for d in scenario.departures
        ),
        start=scenario.meta.start.strftime("%Y-%m-%dT%H:%M"),
        end=scenario.meta.end.strftime("%Y-%m-%dT%H:%M"),
    )


def recorded_losses(scenario: Any) -> dict[tuple[str, str], tuple[float, float, float, str]]:
    """Recorded losses by (side, metric): ``sides.*.record`` of the scenario, else Khasan's."""
    found: dict[tuple[str, str], tuple[float, float, float, str]] = {}
    if khasan_record.applies_to(scenario.meta.name):
        found.update(khasan_record.RECORDED_LOSSES)
    for sid, side in scenario.sides.items():
        for metric, q in side.record:
            if q is not None:
                lo, hi = q.bounds
                found[(sid, metric)] = (q.value, lo, hi, q.source or "assumption")
    return found


def _load_scenario(manifest: dict[str, Any], notes: list[str]) -> Any | None:
    from kriegsspiel.scenario import apply_overrides, content_hash, load

    name = manifest.get("scenario")
    if not isinstance(name, str):
        notes.append("The manifest names no scenario: sources and assumptions are not shown.")
        return None
    try:
        scenario = load(name)
    except KriegsspielError as exc:
        notes.append(f"Scenario {name!r} could not be loaded ({exc}); sources are not shown.")
        return None
    overrides = manifest.get("overrides") or {}
    try:
        scenario = apply_overrides(scenario, overrides)
    except (KriegsspielError, TypeError, ValueError) as exc:
        notes.append(f"The run's overrides could not be re-applied ({exc}).")
    if manifest.get("scenario_hash") not in (None, content_hash(scenario)):
        notes.append(
            "The scenario has changed since this run: its sources and assumptions below are "
            "today's file, not necessarily the run's."
        )
    return scenario


def _meta_without_scenario(manifest: dict[str, Any], summary: dict[str, Any]) -> ScenarioMeta:
    side_ids: list[str] = list((summary.get("losses") or {}).keys())
    for series in (summary.get("control") or {}).values():
        for shares in series.values():
            side_ids += [s for s in shares if s not in side_ids]
    side_ids = side_ids or ["side"]
    sides = tuple(Side(s, s, _PALETTE[i % len(_PALETTE)]) for i, s in enumerate(side_ids))
    name = str(manifest.get("scenario", "unknown"))
    return ScenarioMeta(name, name, sides)


def control_from_summary(
    summary: dict[str, Any], meta: ScenarioMeta, names: dict[str, str] | None = None
) -> tuple[ControlSeries, ...]:
    """Control series from ``summary.json``'s ``control`` block (``names``: objective names)."""
    out = []
    for objective, by_time in (summary.get("control") or {}).items():
        times = tuple(sorted(by_time))
        fractions = np.array(
            [[float(by_time[t].get(s.id, 0.0)) for s in meta.sides] for t in times],
            dtype=np.float64,
        ).reshape(len(times), len(meta.sides))
        name = (names or {}).get(objective) or objective.replace("-", " ").title()
        out.append(ControlSeries(objective, name, times, fractions))
    return tuple(out)


def _stored(results: Results, table: str = MAIN_TABLE) -> pa.Table | None:
    """One table of every finished block, each part checked against its block's marker."""
    if not results.blocks or table not in results.tables:
        return None
    return results.arrow(table)


def control_from_table(
    table: pa.Table, meta: ScenarioMeta, names: dict[str, str]
) -> tuple[ControlSeries, ...]:
    """Hourly control series from the ``control`` table (replication, hour, objective, holder).

    Hour ``h`` is ``h`` hours after the scenario's local start.
    """
    frame = table.select(["replication", "hour", "objective", "holder"]).to_pandas()
    out = []
    for objective, group in frame.groupby("objective", sort=False):
        hours = np.sort(group["hour"].unique())
        shares = [
            group.assign(hit=group["holder"] == side.id).groupby("hour")["hit"].mean()
            for side in meta.sides
        ]
        fractions = np.column_stack([sh.reindex(hours).to_numpy(np.float64) for sh in shares])
        times = hour_times(meta, hours)
        name = names.get(str(objective), str(objective))
        out.append(ControlSeries(str(objective), name, times, fractions))
    return tuple(out)


def _losses(
    summary: dict[str, Any],
    table: pa.Table | None,
    meta: ScenarioMeta,
    record: dict[tuple[str, str], tuple[float, float, float, str]],
) -> tuple[LossMetric, ...]:
    side_ids = [s.id for s in meta.sides]
    columns = set(table.column_names) if table is not None else set()
    out = []
    keys: list[tuple[str, str]] = []
    for side, metrics in (summary.get("losses") or {}).items():
        keys += [(side, m) for m in metrics]
    for column in sorted(columns):
        side, _, metric = column.partition(".")
        if side in side_ids and metric and "." not in metric:  # not casualties.<day>
            keys.append((side, metric))
    for side, metric in dict.fromkeys(keys):
        if side not in side_ids:
            continue
        rec = record.get((side, metric))
        value, low, high, source = rec if rec is not None else (None, None, None, "")
        column = f"{side}.{metric}"
        if table is not None and column in columns:
            values = table.column(column).to_numpy(zero_copy_only=False).astype(np.float64)
            out.append(LossMetric(side, metric, values, {}, value, low, high, source))
            continue
        given = (summary.get("losses") or {}).get(side, {}).get(metric, {})
        quantiles = {_QUANTILES[k]: float(v) for k, v in given.items() if k in _QUANTILES}
        if quantiles:
            out.append(LossMetric(side, metric, None, quantiles, value, low, high, source))
    order = list(LOSS_LABELS)
    rank = {m: i for i, m in enumerate(order)}
    return tuple(
        sorted(out, key=lambda x: (side_ids.index(x.side), rank.get(x.metric, len(order))))
    )


def from_results_dir(root: str | Path) -> ReportData:
    """``ReportData`` for the run in ``root``; an unfinished run gives a report marked partial."""
    root = Path(root)
    manifest = read_manifest(root)
    notes: list[str] = []
    summary_path = root / "summary.json"
    summary: dict[str, Any] = {}
    if summary_path.is_file():
        loaded = _read_json(summary_path)
        if not isinstance(loaded, dict):
            raise KriegsspielError(f"{summary_path}: expected a JSON object")
        summary = loaded
    else:
        notes.append("No summary.json yet: figures come from the finished blocks only.")
    scenario = _load_scenario(manifest, notes)
    meta = meta_from_scenario(scenario) if scenario else _meta_without_scenario(manifest, summary)
    record = recorded_losses(scenario) if scenario else {}
    results = Results.open(root, partial=True)
    table = _stored(results)
    stored = table.num_rows if table is not None else 0
    hourly = _stored(results, "control")
    names = {o.id: o.name for o in scenario.objectives} if scenario else {}
    if hourly is not None and meta.start:
        control = control_from_table(hourly, meta, names)
    else:
        control = control_from_summary(summary, meta, names)
    intel, conditions = _stored(results, "intel"), _stored(results, "conditions")
    beliefs = beliefs_from_table(intel, meta) if intel is not None and meta.start else ()
    orders = orders_from_table(conditions, meta) if conditions is not None else ()
    planned = int(manifest.get("replications", 0) or 0)
    done = stored or int(summary.get("replications", 0) or 0)
    partial = manifest.get("status") != "complete" or (stored > 0 and stored < planned)
    khasan = khasan_record.applies_to(meta.name)
    try:
        return ReportData(
            scenario=meta,
            manifest=Manifest(
                seed=int(manifest.get("seed", 0)),
                version=str(manifest.get("package_version")),
                scenario_hash=str(manifest.get("scenario_hash")),
                replications=done,
                partial=partial,
                replications_planned=planned if partial else None,
                overrides={str(k): str(v) for k, v in _as_dict(manifest.get("overrides")).items()},
                extra={
                    k: str(manifest[k])
                    for k in ("started", "finished", "status", "block_size")
                    if manifest.get(k) is not None
                },
            ),
            control=control,
            checkpoints=khasan_record.CHECKPOINTS if khasan else (),
            losses=_losses(summary, table, meta, record),
            claims=khasan_record.CLAIMS if khasan else (),
            claim_sources=khasan_record.SOURCES if khasan else {},
            notes=tuple(notes),
            beliefs=beliefs,
            orders=orders,
        )
    except (TypeError, ValueError, AttributeError) as exc:
        raise KriegsspielError(f"{root}: results do not have the expected shape ({exc})") from None


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        pairs = (str(v).partition("=") for v in value)
        return {key: val for key, _, val in pairs}
    return {}
