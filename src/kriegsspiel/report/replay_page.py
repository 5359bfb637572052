"""``build_replay``: one replication as a self-contained, animated HTML page (canvas + vanilla JS).

The page embeds ``ReplayData`` as JSON whose big arrays are base64 little-endian typed arrays
(``Float32Array`` positions and strengths, small integer tables for states, orders and holders),
and the terrain as a PNG ``data:`` URI. ``assets/replay.js`` decodes and draws it.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib.image import imsave

from kriegsspiel.report.html import asset, data_uri, esc, page, script_json
from kriegsspiel.report.replay_data import EVENT_KINDS, ObjectiveIntel, ReplayData, ReplayUnit


def _b64(values: npt.ArrayLike, dtype: str) -> str:
    arr = np.ascontiguousarray(np.asarray(values), dtype=np.dtype(dtype).newbyteorder("<"))
    return base64.b64encode(arr.tobytes()).decode("ascii")


def _png(rgb: npt.NDArray[np.uint8]) -> str:
    buf = io.BytesIO()
    imsave(buf, rgb, format="png", metadata={"Software": "kriegsspiel"})
    return data_uri(buf.getvalue(), "image/png")


def _unit(u: ReplayUnit, side_index: dict[str, int]) -> dict[str, Any]:
    return {
        "id": u.id,
        "name": u.name,
        "side": side_index[u.side],
        "type": u.type,
        "echelon": u.echelon,
        "s0": float(u.strength0),
        "su": u.strength_unit,
    }


def _small_int(n: int) -> str:
    return "u1" if n <= 255 else "u2"


def _intel(intel: ObjectiveIntel) -> dict[str, Any]:
    """Hourly beliefs and truth, (samples, sides, objectives) sample-major, whole men."""
    return {
        "n": int(np.asarray(intel.times).shape[0]),
        "t": _b64(intel.times, "f8"),
        "believed": _b64(np.rint(intel.believed), "f4"),
        "present": _b64(np.rint(intel.present), "f4"),
    }


def replay_payload(data: ReplayData) -> dict[str, Any]:
    """The JSON the page's script reads (arrays frame-major: index = frame * count + item)."""
    side_index = {s.id: i for i, s in enumerate(data.sides)}
    ev = data.events
    n_obj = len(data.objectives)
    holder = np.zeros((len(data.times), 0)) if data.holder is None else data.holder
    return {
        "title": data.title,
        "scenario": data.scenario,
        "rep": data.rep,
        "start": data.start,
        "partial": data.partial,
        "sides": [{"id": s.id, "name": s.name, "color": s.color} for s in data.sides],
        "map": {"src": _png(data.map.rgb), "extent": [float(v) for v in data.map.extent]},
        "features": [
            {
                "kind": f.kind,
                "name": f.name,
                "label": f.label,
                "closed": f.closed,
                "pts": [round(float(v), 1) for v in f.points.ravel()],
            }
            for f in data.features
        ],
        "units": [_unit(u, side_index) for u in data.units],
        "air": [_unit(u, side_index) for u in data.air_units],
        "states": list(data.states),
        "orders": list(data.orders),
        "nF": len(data.times),
        "nU": len(data.units),
        "nO": n_obj,
        "times": _b64(data.times, "f8"),
        "x": _b64(data.x, "f4"),
        "y": _b64(data.y, "f4"),
        "strength": _b64(data.strength, "f4"),
        "state": _b64(data.state, _small_int(len(data.states))),
        "stateType": _small_int(len(data.states)),
        "order": _b64(data.order, _small_int(len(data.orders))),
        "orderType": _small_int(len(data.orders)),
        "objectives": [
            {"id": o.id, "name": o.name, "x": o.x, "y": o.y, "r": o.radius} for o in data.objectives
        ],
        "holder": _b64(holder, "i1"),
        "seen": None if data.seen is None else _b64(data.seen, "u1"),
        "intel": None if data.intel is None else _intel(data.intel),
        "eventKinds": list(EVENT_KINDS),
        "events": {
            "n": int(np.asarray(ev.t).shape[0]),
            "t": _b64(ev.t, "f8"),
            "kind": _b64(ev.kind, "u1"),
            "src": _b64(ev.source, "i4"),
            "dst": _b64(ev.target, "i4"),
            "tx": _b64(ev.tx, "f4"),
            "ty": _b64(ev.ty, "f4"),
            "size": _b64(ev.size, "f4"),
        },
    }


_BODY = """
<div id="app">
<header>
  <div class="title"><span class="kicker">kriegsspiel replay · {scenario} · run {rep}</span>
  <h1>{title}</h1></div>
  <div class="clockbox"><div id="clock" aria-live="off">–</div>
  <div class="sub">local time · <span id="elapsed"></span></div></div>
</header>
{partial}
<div id="stage"><canvas id="map" aria-label="Map of the battle"></canvas>
<div id="legend"></div></div>
<aside id="side">
  <section class="controls">
    <div class="row"><button id="play" type="button">▶ Play</button>
    <button id="back" type="button" title="one frame back">◀◀</button>
    <button id="fwd" type="button" title="one frame forward">▶▶</button>
    <label>speed <select id="speed">
      <option value="15">15 min/s</option><option value="60" selected>1 h/s</option>
      <option value="180">3 h/s</option><option value="720">12 h/s</option>
      <option value="1440">1 day/s</option></select></label></div>
    <input id="slider" type="range" min="0" max="1" step="any" value="0"
      aria-label="Time">
    <label id="viewbox" hidden>view <select id="view" aria-label="Whose knowledge to show">
      <option value="-1" selected>all units</option></select></label>
  </section>
  <section><h2>Unit</h2>
    <select id="pick" aria-label="Choose a unit"><option value="">click a unit or choose…</option>
    </select>
    <dl id="details" hidden>
      <dt>name</dt><dd id="d-name"></dd><dt>side</dt><dd id="d-side"></dd>
      <dt>type</dt><dd id="d-type"></dd><dt>strength</dt><dd id="d-strength"></dd>
      <dt>losses so far</dt><dd id="d-losses"></dd><dt>state</dt><dd id="d-state"></dd>
      <dt>order</dt><dd id="d-order"></dd></dl>
  </section>
  <section><h2>Objectives</h2><ul id="objectives"></ul></section>
  <section><h2>Fire so far</h2><p id="tally"></p><ul id="airlist"></ul></section>
  <p class="help">Drag to pan, wheel to zoom, space to play or pause, arrow keys to step.</p>
</aside>
</div>
<script type="application/json" id="replay-data">{payload}</script>
"""


def replay_html(data: ReplayData) -> str:
    """The replay as one self-contained HTML document."""
    partial = (
        '<p class="partial" role="alert"><strong>PARTIAL</strong>: this replication did not '
        "finish; the replay stops where its record ends.</p>"
        if data.partial
        else ""
    )
    body = _BODY.format(
        scenario=esc(data.scenario),
        rep=int(data.rep),
        title=esc(data.title),
        partial=partial,
        payload=script_json(replay_payload(data)),
    )
    return page(
        f"{data.title} – replay {data.rep}", asset("replay.css"), body, (asset("replay.js"),)
    )


def write_replay(data: ReplayData, out_dir: Path) -> Path:
    """Write ``out_dir/replay-K.html`` (K = the replication) and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"replay-{int(data.rep)}.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(replay_html(data), encoding="utf-8")
    tmp.replace(path)
    return path
