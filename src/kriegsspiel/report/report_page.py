"""``build_report``: the self-contained HTML report of a run, and its static figures."""

from __future__ import annotations

import math
from dataclasses import asdict, replace
from pathlib import Path

from matplotlib.figure import Figure

from kriegsspiel.report.data import (
    BeliefSeries,
    Claim,
    ControlCheck,
    FloatArray,
    LossCheck,
    LossMetric,
    ReportData,
)
from kriegsspiel.report.html import asset, data_uri, esc, page, script_json
from kriegsspiel.report.plots import (
    figure_bytes,
    plot_compare,
    plot_control,
    plot_fog,
    plot_losses,
    save_figure,
)

_OPEN_ROWS = 12
"""Longer tables of assumptions start folded."""


def fmt(value: float | None, digits: int = 3) -> str:
    """A number for a table: thousands separated, ``-`` when missing."""
    if value is None or not math.isfinite(value):
        return "–"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def local_time(iso: str) -> str:
    """``1938-07-31T08:00`` as ``31 Jul 1938 08:00`` (unchanged if it is not such a time)."""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    try:
        date, clock = iso.split("T")
        year, month, day = (int(p) for p in date.split("-"))
        return f"{day} {months[month - 1]} {year} {clock[:5]}"
    except (ValueError, IndexError):
        return iso


def wilson(p: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``p`` from ``n`` trials."""
    if n <= 0:
        return (0.0, 1.0)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    """A table; ``rows`` cells are already-escaped markup."""
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return (
        f'<div class="scroll"><table class="{cls}"><thead><tr>{th}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _figure(fig: Figure, alt: str) -> str:
    uri = data_uri(figure_bytes(fig, "svg"), "image/svg+xml")
    return f'<figure><img src="{uri}" alt="{esc(alt)}"></figure>'


def _checkpoint_rows(data: ReportData) -> list[list[str]]:
    names = {c.objective: c.name for c in data.control}
    n = data.manifest.replications
    rows = []
    for cp in data.checkpoints:
        holder = cp.holder
        p = data.control_at(cp.objective, cp.time, holder) if holder else None
        if holder is None:
            probs = [data.control_at(cp.objective, cp.time, s.id) for s in data.scenario.sides]
            p = None if any(x is None for x in probs) else 1 - sum(x or 0.0 for x in probs)
        if p is None:
            sim = "not in these results"
        else:
            lo, hi = wilson(p, n)
            sim = f'{fmt(p, 2)} <span class="ci">({fmt(lo, 2)}–{fmt(hi, 2)})</span>'
        who = data.scenario.side_name(holder) if holder else "neither (contested)"
        rows.append(
            [
                esc(local_time(cp.time)),
                esc(names.get(cp.objective, cp.objective)),
                esc(who),
                sim,
                esc(cp.source),
            ]
        )
    return rows


def _loss_rows(data: ReportData) -> list[list[str]]:
    rows = []
    for loss in data.losses:
        q05, q50, q95 = (loss.quantile(q) for q in (0.05, 0.5, 0.95))
        inside = "–"
        if loss.recorded is not None and q05 is not None and q95 is not None:
            inside = "yes" if q05 <= loss.recorded <= q95 else "<strong>no</strong>"
        rng = "–"
        if loss.recorded_low is not None and loss.recorded_high is not None:
            rng = f"{fmt(loss.recorded_low)}–{fmt(loss.recorded_high)}"
        rows.append(
            [
                esc(data.scenario.side_name(loss.side)),
                esc(loss.label),
                esc(fmt(q50)),
                esc(f"{fmt(q05)}–{fmt(q95)}"),
                esc(fmt(loss.recorded)),
                esc(rng),
                inside,
                esc(loss.source),
            ]
        )
    return rows


def _claim_check(data: ReportData, claim: Claim) -> str:
    check = claim.check
    if check is None:
        return "outside the simulated battle"
    if isinstance(check, ControlCheck):
        probs = [data.control_at(o, check.time, check.side) for o in check.objectives]
        if any(p is None for p in probs):
            return "not in these results"
        side = data.scenario.side_name(check.side)
        when = local_time(check.time)
        names = {c.objective: c.name for c in data.control}
        parts = ", ".join(
            f"{names.get(o, o)} {fmt(p, 2)}" for o, p in zip(check.objectives, probs, strict=True)
        )
        text = f"P({side} hold, {when}): {parts}"
        if len(probs) > 1:
            text += f"; all together at most {fmt(min(p or 0.0 for p in probs), 2)}"
        return text
    assert isinstance(check, LossCheck)
    loss: LossMetric | None = data.loss(check.side, check.metric)
    if loss is None:
        return "not in these results"
    q05, q50, q95 = (loss.quantile(q) for q in (0.05, 0.5, 0.95))
    side = data.scenario.side_name(check.side)
    return f"{side} {loss.label}: median {fmt(q50)} (5–95%: {fmt(q05)}–{fmt(q95)})"


def _section(id_: str, title: str, inner: str) -> str:
    return f'<section id="{id_}"><h2>{esc(title)}</h2>{inner}</section>'


def _manifest_rows(data: ReportData) -> list[list[str]]:
    m = data.manifest
    items: list[tuple[str, object]] = [
        ("scenario", data.scenario.name),
        ("seed", m.seed),
        ("kriegsspiel version", m.version),
        ("scenario hash", m.scenario_hash),
        ("replications", m.replications),
    ]
    if m.replications_planned is not None:
        items.append(("replications planned", m.replications_planned))
    items += [(f"override {k}", v) for k, v in sorted(m.overrides.items())]
    items += sorted(m.extra.items())
    return [[esc(k), f"<code>{esc(v)}</code>"] for k, v in items]


def _control_section(data: ReportData) -> str:
    if not data.control:
        return _section("control", "Who holds the objectives", "<p>No control data.</p>")
    names = " and ".join(esc(s.name) for s in data.scenario.sides)
    intro = (
        f"<p>For each objective, the share of the {data.manifest.replications} simulated runs in "
        f"which {names} alone hold it, over time (grey: contested or empty). Dashed lines and "
        "diamonds mark what the record says.</p>"
    )
    parts = [intro, _figure(plot_control(data), "Share of runs holding each objective")]
    if data.checkpoints:
        parts.append("<h3>Against the record</h3>")
        parts.append(
            _table(
                [
                    "time (local)",
                    "objective",
                    "record: held by",
                    "simulated share (95% CI)",
                    "source",
                ],
                _checkpoint_rows(data),
            )
        )
    return _section("control", "Who holds the objectives", "".join(parts))


def _losses_section(data: ReportData) -> str:
    if not data.losses:
        return _section("losses", "Losses", "<p>No loss data.</p>")
    parts = [
        "<p>Histograms of the simulated runs; the black line is the recorded figure, the band "
        "the range the sources give, the bar the middle 90% of runs.</p>",
        _figure(plot_losses(data), "Distributions of losses per side"),
        _table(
            [
                "side",
                "loss",
                "median",
                "5–95% of runs",
                "recorded",
                "range in sources",
                "record in band",
                "sources",
            ],
            _loss_rows(data),
        ),
    ]
    return _section("losses", "Losses", "".join(parts))


def _interval(est: float | None, low: float | None, high: float | None, digits: int = 3) -> str:
    """``est (low to high)`` as escaped markup."""
    if low is None or high is None:
        return esc(fmt(est, digits))
    return (
        f'{esc(fmt(est, digits))} <span class="ci">({esc(fmt(low, digits))} to '
        f"{esc(fmt(high, digits))})</span>"
    )


def _pair(title: str, left: Figure, right: Figure, labels: tuple[str, str]) -> str:
    """Two figures side by side, run A on the left."""
    cells = "".join(
        f"<div>{_figure(fig, f'{title}, {label}')}<figcaption>{esc(label)}</figcaption></div>"
        for fig, label in ((left, labels[0]), (right, labels[1]))
    )
    return f'<h3>{esc(title)}</h3><div class="pair">{cells}</div>'


def _compare_section(data: ReportData) -> str:
    cmp = data.compare
    if cmp is None:
        return ""
    rows = [
        [
            esc(r.metric),
            esc(fmt(r.a)),
            esc(fmt(r.b)),
            _interval(r.diff, r.low, r.high),
            esc(f"{fmt(r.median_a)} / {fmt(r.median_b)}") if r.median_a is not None else "–",
            _interval(r.median_diff, r.median_low, r.median_high)
            if r.median_diff is not None
            else "–",
            _interval(r.p_b_greater, r.p_low, r.p_high, 2),
        ]
        for r in cmp.rows
    ]
    pct = f"{cmp.level:.0%}"
    head = [
        "metric",
        f"{cmp.statistic} A",
        f"{cmp.statistic} B",
        f"B − A, {cmp.statistic} ({pct} interval)",
        "median A / B",
        f"B − A, median ({pct} interval)",
        f"P(B beats A) ({pct} interval)",
    ]
    how = {
        True: "paired bootstrap: both runs share seed and block size, so replication r of A "
        "and of B drew the same random numbers",
        False: "independent bootstrap of the two runs",
        None: "bootstrap",
    }[cmp.paired]
    labels = (cmp.label_a, cmp.label_b)
    run_a = replace(data, control=cmp.control_a, losses=cmp.losses_a)
    parts = [
        f"<p>Run A: <strong>{esc(cmp.label_a)}</strong>; run B: <strong>{esc(cmp.label_b)}"
        f"</strong> (this report's run). Differences are B − A with {pct} intervals "
        f"({esc(how)}). P(B beats A) is the chance that B's figure is the higher one, ties "
        "counting one half: 0.5 means no difference either way.</p>",
        _figure(plot_compare(cmp), "Differences between the two runs"),
        _table(head, rows),
    ]
    if cmp.omitted:
        parts.append(
            f'<p class="note">{len(cmp.omitted)} metrics equal in both runs are not listed: '
            f"{esc(', '.join(cmp.omitted))}.</p>"
        )
    if cmp.control_a or data.control:
        parts.append(
            _pair("Who holds the objectives", plot_control(run_a), plot_control(data), labels)
        )
    if cmp.losses_a or data.losses:
        parts.append(_pair("Losses", plot_losses(run_a), plot_losses(data), labels))
    return _section("compare", "Comparison of two runs", "".join(parts))


_FOG_STEPS_H = (1, 2, 3, 6, 12, 24, 48, 96)
_FOG_ROWS = 16


def _fog_rows(series: BeliefSeries) -> list[int]:
    """Indices of the times the fog table shows: every few hours, at most ``_FOG_ROWS``."""
    n = len(series.times)
    step = next((h for h in _FOG_STEPS_H if n <= h * _FOG_ROWS), max(1, n // _FOG_ROWS))
    rows = list(range(0, n, step))
    return rows if rows[-1] == n - 1 else [*rows, n - 1]


def _band_text(q: tuple[float, float, float] | FloatArray, digits: int = 3) -> str:
    """``median (5% to 95%)`` as escaped markup, from (5%, 50%, 95%)."""
    return _interval(float(q[1]), float(q[0]), float(q[2]), digits)


def _percent(share: float) -> str:
    return "–" if not math.isfinite(share) else f"{share:.0%}"


def _order_rows(data: ReportData) -> list[list[str]]:
    names = {c.objective: c.name for c in data.control}
    rows = []
    for o in data.orders:
        where = names.get(o.objective, o.objective) if o.objective else "all objectives"
        lo, hi = wilson(o.share, o.runs)
        rows.append(
            [
                f"<code>{esc(o.order)}</code>",
                esc(local_time(o.time)),
                esc(data.scenario.side_name(o.side)),
                esc(f"believed ratio ≥ {fmt(o.threshold)} on {where}"),
                f'{esc(fmt(o.share))} <span class="ci">({esc(fmt(lo))}–{esc(fmt(hi))})</span>'
                f" · {o.fired} of {o.runs}",
                _band_text(o.believed),
                _band_text(o.true),
                _band_text(o.ratio, 2),
            ]
        )
    return rows


def _belief_rows(data: ReportData) -> tuple[list[str], list[list[str]]]:
    beliefs = data.beliefs
    head = ["time (local)"]
    for b in beliefs:
        name = data.scenario.side_name(b.side)
        head += [f"{name}: believed", f"{name}: true", f"{name}: enemy units seen"]
    rows = []
    for i in _fog_rows(beliefs[0]):
        row = [esc(local_time(beliefs[0].times[i]))]
        for b in beliefs:
            row += [_band_text(b.believed[i]), _band_text(b.true[i]),
                    esc(_percent(float(b.detected[i, 0])))]  # fmt: skip
        rows.append(row)
    return head, rows


def _fog_section(data: ReportData) -> str:
    if not data.beliefs and not data.orders:
        return ""
    parts = []
    if data.beliefs:
        parts += [
            f"<p>What each side believed about the enemy, over the {data.manifest.replications} "
            "runs: its estimate of the enemy men on the objectives (summed over them) against the "
            "men actually there, as the median and the band of the middle 90% of runs. The "
            "estimate starts from the side's prior (spread over the objectives, or the truth "
            "with an error if it knows the enemy's positions), is replaced by intelligence "
            "events, and every hour each objective on which the side's units observe enemy men "
            "is set to the men observed, with a lognormal error; elsewhere it stands. On the "
            "right, the share of the enemy's ground units on the map that the side's detection "
            "observes at that hour (mean and middle 90% of runs), the same detection the "
            "replay's <em>as a side saw it</em> view draws.</p>",
            _figure(plot_fog(data), "Believed against true enemy strength, and units seen"),
        ]
    if data.orders:
        head = ["order", "time (local)", "side", "condition", "went in (95% CI)",
                "believed enemy", "true enemy", "believed ratio"]  # fmt: skip
        parts += [
            "<h3>Conditional orders</h3>",
            "<p>Orders that go in only where the ordering side's believed force ratio (its men "
            "in the ordered units over the enemy men it believes on the objective) meets the "
            "threshold: how often they did, and what they were weighed against (median, and "
            "5–95% of runs in brackets).</p>",
            _table(head, _order_rows(data)),
        ]
    if data.beliefs:
        head, rows = _belief_rows(data)
        parts += ["<h3>Estimate against the truth</h3>", _table(head, rows)]
    return _section("fog", "Fog of war", "".join(parts))


def _fog_json(data: ReportData) -> dict[str, object]:
    def finite(x: float) -> float | None:
        return float(x) if math.isfinite(x) else None

    beliefs = [
        {
            "side": b.side,
            "time": b.times[i],
            "believed": [finite(v) for v in b.believed[i]],
            "true": [finite(v) for v in b.true[i]],
            "seen_mean": finite(float(b.detected[i, 0])),
        }
        for b in data.beliefs
        for i in _fog_rows(b)
    ]
    return {"orders": [asdict(o) for o in data.orders], "beliefs": beliefs}


def _claims_section(data: ReportData) -> str:
    if not data.claims:
        return ""
    rows = [
        [
            esc(c.key),
            esc(c.claim),
            f"<strong>{esc(c.verdict)}</strong>",
            esc(c.record),
            esc(_claim_check(data, c)),
            esc(", ".join(c.sources)),
        ]
        for c in data.claims
    ]
    srcs = "".join(
        f"<li><code>{esc(k)}</code> {esc(v)}</li>" for k, v in data.claim_sources.items()
    )
    inner = (
        "<p>The popular article's claims against the record, and what these runs give where "
        "the simulation can speak to a claim.</p>"
        + _table(
            ["#", "the article says", "verdict", "the record", "the simulation", "sources"],
            rows,
            "claims",
        )
        + f"<details><summary>Sources of the check</summary><ul>{srcs}</ul></details>"
    )
    return _section("claims", "The article, the record and the simulation", inner)


def _scenario_section(data: ReportData) -> str:
    sc = data.scenario
    parts = []
    if sc.departures:
        parts.append("<h3>Departures from the record</h3>")
        parts.append(
            _table(
                ["topic", "this scenario", "the record", "source"],
                [
                    [esc(d.topic), esc(d.scenario), esc(d.record), esc(d.source)]
                    for d in sc.departures
                ],
            )
        )
    parts.append(f"<h3>Assumptions ({len(sc.assumptions)})</h3>")
    if sc.assumptions:
        table = _table(
            ["key path", "value", "low", "high", "note"],
            [
                [f"<code>{esc(a.path)}</code>", esc(fmt(a.value)), esc(fmt(a.low)),
                 esc(fmt(a.high)), esc(a.note)]
                for a in sc.assumptions
            ],
        )  # fmt: skip
        parts.append(
            "<p>Numbers no source gives: each has a range that sensitivity analysis varies.</p>"
            + (table if len(sc.assumptions) <= _OPEN_ROWS else
               f"<details><summary>Show all {len(sc.assumptions)}</summary>{table}</details>")
        )  # fmt: skip
    parts.append(f"<h3>Sources ({len(sc.sources)})</h3>")
    items = "".join(f"<li><code>{esc(k)}</code> {esc(v)}</li>" for k, v in sc.sources.items())
    parts.append(f'<ol class="sources">{items}</ol>')
    return _section("scenario", "Sources and assumptions", "".join(parts))


def _summary_json(data: ReportData) -> dict[str, object]:
    return {
        "scenario": data.scenario.name,
        "manifest": asdict(data.manifest),
        "checkpoints": [asdict(c) for c in data.checkpoints],
        "losses": [
            {
                "side": x.side,
                "metric": x.metric,
                "q05": x.quantile(0.05),
                "q50": x.quantile(0.5),
                "q95": x.quantile(0.95),
                "recorded": x.recorded,
            }
            for x in data.losses
        ],
        "fog": _fog_json(data),
        "compare": None
        if data.compare is None
        else {
            "label_a": data.compare.label_a,
            "label_b": data.compare.label_b,
            "paired": data.compare.paired,
            "rows": [asdict(r) for r in data.compare.rows],
            "omitted": list(data.compare.omitted),
        },
    }


def report_html(data: ReportData) -> str:
    """The report as one self-contained HTML document."""
    sc, m = data.scenario, data.manifest
    banner = ""
    if m.partial:
        planned = f" of {m.replications_planned}" if m.replications_planned else ""
        banner = (
            '<p class="partial" role="alert"><strong>PARTIAL</strong>: this run is incomplete; '
            f"{m.replications}{esc(planned)} replications finished, and everything below "
            "describes only those.</p>"
        )
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in data.notes)
    period = f"{local_time(sc.start)} – {local_time(sc.end)}" if sc.start and sc.end else ""
    header = (
        f'<header><p class="kicker">kriegsspiel report · <code>{esc(sc.name)}</code></p>'
        f'<h1>{esc(sc.title)}</h1><p class="meta">{esc(period)} · {m.replications} runs · '
        f"seed {m.seed} · version {esc(m.version)}</p>{banner}{notes}</header>"
    )
    nav = "".join(
        f'<a href="#{i}">{esc(t)}</a>'
        for i, t, show in (
            ("control", "Control", True),
            ("losses", "Losses", True),
            ("fog", "Fog of war", bool(data.beliefs or data.orders)),
            ("compare", "Comparison", data.compare is not None),
            ("claims", "Claims", bool(data.claims)),
            ("scenario", "Sources", True),
            ("manifest", "Manifest", True),
        )
        if show
    )
    body = (
        f"<main>{header}<nav>{nav}</nav>"
        + _control_section(data)
        + _losses_section(data)
        + _fog_section(data)
        + _compare_section(data)
        + _claims_section(data)
        + _scenario_section(data)
        + _section(
            "manifest",
            "How these results were made",
            _table(["item", "value"], _manifest_rows(data)),
        )
        + f'<script type="application/json" id="report-data">{script_json(_summary_json(data))}'
        "</script></main>"
    )
    return page(f"{sc.title} – kriegsspiel report", asset("report.css"), body)


def write_report(data: ReportData, out_dir: Path) -> Path:
    """Write ``out_dir/report.html`` and ``out_dir/figures/*.png|svg``; return the HTML path."""
    figures = out_dir / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    made = {"control": plot_control(data), "losses": plot_losses(data)}
    if data.beliefs:
        made["fog"] = plot_fog(data)
    if data.compare is not None:
        made["compare"] = plot_compare(data.compare)
    for name, fig in made.items():
        for suffix in (".png", ".svg"):
            save_figure(fig, figures / f"{name}{suffix}")
    path = out_dir / "report.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(report_html(data), encoding="utf-8")
    tmp.replace(path)
    return path
