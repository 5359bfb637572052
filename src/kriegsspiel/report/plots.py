"""Static figures (matplotlib): control over time, loss distributions, a comparison.

Each function returns a ``matplotlib.figure.Figure`` built without pyplot (no global state), so
notebooks show it and ``save_figure`` writes it as PNG or SVG for papers.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kriegsspiel.report.data import (
    LOSS_LABELS,
    Compare,
    ControlSeries,
    LossMetric,
    ReportData,
)

_NEITHER = "#d9d9d9"
_RECORD = "#111111"
_RANGE = "#f2c14e"
# Text as paths (no fonts needed by a reader) and stable element ids (reproducible files).
_RC: Any = {"svg.fonttype": "path", "svg.hashsalt": "kriegsspiel"}


def _say(fig: Figure, message: str) -> Figure:
    """``fig`` showing only ``message`` (nothing to plot)."""
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, message, ha="center", va="center")
    ax.set_axis_off()
    return fig


def _datenum(iso: str) -> float:
    """Matplotlib's date number (days since 1970-01-01) of a local ISO time."""
    return float((pd.Timestamp(iso) - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1))


def _times(series: ControlSeries) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(list(series.times)))


def control_series_from_frame(frame: pd.DataFrame, sides: list[str]) -> tuple[ControlSeries, ...]:
    """Control series from a tidy frame with columns objective, time, side, fraction."""
    out = []
    for objective, group in frame.groupby("objective", sort=False):
        wide = group.pivot_table(index="time", columns="side", values="fraction", aggfunc="mean")
        wide = wide.reindex(columns=sides).fillna(0.0).sort_index()
        out.append(
            ControlSeries(
                str(objective),
                str(objective),
                tuple(str(t) for t in wide.index),
                wide.to_numpy(dtype=np.float64),
            )
        )
    return tuple(out)


def _draw_control(ax: Axes, data: ReportData, series: ControlSeries) -> None:
    sides = data.scenario.sides
    times = _times(series)
    first = series.fractions[:, 0]
    rest = series.fractions[:, 1:].sum(axis=1)
    ax.fill_between(times, 0, first, color=sides[0].color, alpha=0.85, lw=0, label=sides[0].name)
    ax.fill_between(times, first, 1 - rest, color=_NEITHER, lw=0, label="contested or empty")
    top = np.ones_like(first)
    for j in range(len(sides) - 1, 0, -1):
        col = series.fractions[:, j]
        ax.fill_between(
            times, top - col, top, color=sides[j].color, alpha=0.85, lw=0, label=sides[j].name
        )
        top = top - col
    side_ids = [s.id for s in sides]
    for cp in data.checkpoints:
        if cp.objective != series.objective:
            continue
        when = _datenum(cp.time)
        ax.axvline(when, color=_RECORD, lw=0.8, ls="--")
        color = sides[side_ids.index(cp.holder)].color if cp.holder in side_ids else _NEITHER
        # The recorded holder sits at the edge its side's area grows from.
        level = 0.04 if cp.holder == side_ids[0] else 0.96
        ax.plot([when], [level], marker="D", ms=7, mec=_RECORD, mfc=color, zorder=5)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of runs")
    ax.set_title(series.name, loc="left", fontsize=10)
    ax.margins(x=0)


def plot_control(data: ReportData, objectives: list[str] | None = None) -> Figure:
    """Stacked share of replications in which each side holds each objective, over time.

    Dashed lines and diamonds mark the historical checkpoints (the diamond takes the colour of
    the side that held the objective according to the record).
    """
    chosen = [c for c in data.control if objectives is None or c.objective in objectives]
    fig = Figure(figsize=(9, 1.9 * max(1, len(chosen)) + 0.6), layout="constrained")
    if not chosen:
        return _say(fig, "no control data in these results")
    axes = fig.subplots(len(chosen), 1, sharex=True, squeeze=False)[:, 0]
    for ax, series in zip(axes, chosen, strict=True):
        _draw_control(ax, data, series)
    handles, labels = axes[0].get_legend_handles_labels()
    if data.checkpoints:
        handles.append(
            axes[0].plot([], [], "D", mec=_RECORD, mfc="white", ls="--", color=_RECORD)[0]
        )
        labels.append("record (checkpoint)")
    ncols = len(labels) if sum(len(x) for x in labels) < 90 else 2
    fig.legend(handles, labels, loc="outside upper center", ncols=ncols, frameon=False)
    fig.autofmt_xdate()
    return fig


def _metric_order(losses: tuple[LossMetric, ...]) -> list[str]:
    present = list(dict.fromkeys(x.metric for x in losses))
    known = [m for m in LOSS_LABELS if m in present]
    return known + [m for m in present if m not in known]


def _nothing_to_show(loss: LossMetric) -> bool:
    """No run lost any and the record gives none (e.g. the tanks of a side that had none)."""
    values = loss.values if loss.values is not None else np.array(list(loss.quantiles.values()))
    return bool(np.all(values == 0)) and not loss.recorded


def _draw_loss(ax: Axes, loss: LossMetric, color: str) -> None:
    if loss.recorded_low is not None and loss.recorded_high is not None:
        lo, hi = loss.recorded_low, loss.recorded_high
        ax.axvspan(
            lo,
            hi if hi > lo else lo + 1e-9,
            color=_RANGE,
            alpha=0.55,
            lw=0,
            label="range in sources",
        )
    if loss.values is not None:
        values = loss.values
        span = float(values.max() - values.min())
        if span > 0:
            bins = int(min(40, max(5, np.sqrt(values.size))))
            ax.hist(values, bins=bins, color=color, alpha=0.75, label="simulated runs")
        else:  # every run gave the same figure: one bar, not a block a unit wide
            ax.bar([values[0]], [values.size], width=0.02 * max(1.0, abs(values[0])),
                   color=color, alpha=0.75, label="simulated runs")  # fmt: skip
    q05, q50, q95 = (loss.quantile(q) for q in (0.05, 0.5, 0.95))
    y = ax.get_ylim()[1] if loss.values is not None else 0.5
    if q05 is not None and q95 is not None:
        ax.plot([q05, q95], [y * 0.92] * 2, color=_RECORD, lw=2, label="5-95% of runs")
    if q50 is not None:
        ax.plot([q50], [y * 0.92], "o", color="white", mec=_RECORD, label="median")
    if loss.recorded is not None:
        ax.axvline(loss.recorded, color=_RECORD, lw=1.6, label="recorded")
    if loss.values is None:
        ax.set_ylim(0, 1)
        ax.set_yticks([])


def plot_losses(data: ReportData) -> Figure:
    """Distribution of each loss figure per side, with the recorded value and its source range.

    One row per loss figure, one column per side.
    """
    sides = [s for s in data.scenario.sides if any(x.side == s.id for x in data.losses)]
    metrics = _metric_order(data.losses)
    fig = Figure(
        figsize=(4.3 * max(1, len(sides)) + 0.4, 1.75 * max(1, len(metrics)) + 0.6),
        layout="constrained",
    )
    if not sides:
        return _say(fig, "no loss data in these results")
    axes = fig.subplots(len(metrics), len(sides), squeeze=False)
    shown: dict[str, Artist] = {}
    for i, metric in enumerate(metrics):
        for j, side in enumerate(sides):
            ax = axes[i, j]
            loss = data.loss(side.id, metric)
            if loss is None or _nothing_to_show(loss):
                ax.set_axis_off()
                continue
            _draw_loss(ax, loss, side.color)
            ax.set_title(f"{side.name}: {loss.label}", fontsize=9, loc="left")
            ax.tick_params(labelsize=8)
            for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
                shown.setdefault(label, handle)
    fig.legend(
        list(shown.values()),
        list(shown.keys()),
        loc="outside upper center",
        ncols=max(1, len(shown)),
        frameon=False,
        fontsize=8.5,
    )
    return fig


def _draw_band(ax: Axes, times: pd.DatetimeIndex, lines: np.ndarray, color: str, label: str,
               line: str = "-") -> None:  # fmt: skip
    """``lines`` (times, 3) = centre, 5% and 95%: the centre line over the shaded band."""
    ax.fill_between(times, lines[:, 1], lines[:, 2], color=color, alpha=0.2, lw=0)
    ax.plot(times, lines[:, 0], color=color, lw=1.4, ls=line, label=label)


def plot_fog(data: ReportData) -> Figure:
    """Each side's estimate of the enemy against the truth, and the share of enemy units it sees.

    One row per side. Left: the enemy men on the objectives as the side believes them (its
    colour) and as they are (black, dashed): median line and 5-95% band over runs; dotted lines
    mark the side's conditional orders. Right: the share of the enemy's ground units on the map
    that the side observes: mean over runs and 5-95% band.
    """
    beliefs = data.beliefs
    fig = Figure(figsize=(10, 2.3 * max(1, len(beliefs)) + 0.6), layout="constrained")
    if not beliefs:
        return _say(fig, "no intelligence data in these results")
    axes = fig.subplots(len(beliefs), 2, sharex=True, squeeze=False,
                        gridspec_kw={"width_ratios": (3, 2)})  # fmt: skip
    colors = {s.id: s.color for s in data.scenario.sides}
    for row, series in zip(axes, beliefs, strict=True):
        times = pd.DatetimeIndex(pd.to_datetime(list(series.times)))
        color = colors[series.side]
        left, right = row
        believed, true = series.believed[:, [1, 0, 2]], series.true[:, [1, 0, 2]]
        _draw_band(left, times, believed, color, "believed")
        _draw_band(left, times, true, _RECORD, "true", line="--")
        for order in data.orders:
            if order.side == series.side:
                left.axvline(_datenum(order.time), color=_RECORD, lw=0.8, ls=":")
        left.set_ylim(bottom=0)
        left.set_ylabel("enemy men")
        left.set_title(data.scenario.side_name(series.side), loc="left", fontsize=9)
        _draw_band(right, times, series.detected * 100, color, "seen")
        right.set_ylim(0, 100)
        right.set_ylabel("% of enemy units seen")
        for ax in row:
            ax.tick_params(labelsize=8)
            ax.margins(x=0)
    proxies = [
        Line2D([], [], color="#777777", lw=1.4),
        Line2D([], [], color=_RECORD, lw=1.4, ls="--"),
        Line2D([], [], color=_RECORD, lw=0.8, ls=":"),
    ]
    labels = [
        "believed by the side (its colour)",
        "true",
        "conditional order",
    ]
    fig.legend(proxies, labels, loc="outside upper center", ncols=3, frameon=False,
               fontsize=8.5, title="left: enemy men on the objectives, median and 5-95% of runs; "
               "right: enemy units seen, mean and 5-95%", title_fontsize=8.5)  # fmt: skip
    fig.autofmt_xdate()
    return fig


def plot_compare(compare: Compare) -> Figure:
    """Forest plot of B - A per metric with its interval (zero line = no difference)."""
    rows = compare.rows
    fig = Figure(figsize=(7.5, 0.42 * max(1, len(rows)) + 1.2), layout="constrained")
    ax = fig.add_subplot()
    ys = np.arange(len(rows))[::-1]
    for y, row in zip(ys, rows, strict=True):
        scale = max(abs(row.a), abs(row.b), 1e-12)
        ax.plot([row.low / scale, row.high / scale], [y, y], color=_RECORD, lw=2)
        ax.plot([row.diff / scale], [y], "o", color="#2c7fb8")
    ax.axvline(0, color="#888888", lw=0.8)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_yticks(ys, [r.metric for r in rows], fontsize=8)
    ax.set_xlabel(
        f"{compare.label_b} - {compare.label_a} ({compare.statistic}), "
        "as a share of the larger of the two"
    )
    return fig


def save_figure(fig: Figure, path: Path) -> None:
    """Write ``fig`` to ``path`` (.png at 150 dpi or .svg with text as paths), reproducibly."""
    with matplotlib.rc_context(_RC):
        fig.savefig(path, dpi=150, metadata=_metadata(path.suffix))


def _metadata(suffix: str) -> dict[str, str | None]:
    if suffix == ".svg":
        return {"Date": None, "Creator": "kriegsspiel"}
    return {"Software": "kriegsspiel"}


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """``fig`` encoded as ``png`` or ``svg`` bytes."""
    buf = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format=fmt, dpi=110, metadata=_metadata("." + fmt))
    return buf.getvalue()
