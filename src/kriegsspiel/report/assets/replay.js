// kriegsspiel replay: draws one replication on a canvas. Vanilla JS, no dependencies.
// Data comes only from the JSON block #replay-data (read with textContent) and is written
// to the page only through textContent, canvas text and element properties: never as markup.
(function () {
  "use strict";

  const D = JSON.parse(document.getElementById("replay-data").textContent);

  function decode(b64, Type) {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Type(bytes.buffer);
  }
  const INT = { u1: Uint8Array, u2: Uint16Array };
  const times = decode(D.times, Float64Array);
  const X = decode(D.x, Float32Array);
  const Y = decode(D.y, Float32Array);
  const S = decode(D.strength, Float32Array);
  const ST = decode(D.state, INT[D.stateType]);
  const OR = decode(D.order, INT[D.orderType]);
  const HOLD = decode(D.holder, Int8Array);
  // SEEN[(f * nS + s) * nU + u]: side s knows where unit u is at frame f (fog of war)
  const SEEN = D.seen ? decode(D.seen, Uint8Array) : null;
  const nS = D.sides.length;
  // Hourly samples: BELIEVED[(k * nS + s) * nO + o] the enemy men side s believes are on
  // objective o; PRESENT[...] the men of side s actually there (the engine's estimate and truth)
  const INTEL = D.intel ? {
    t: decode(D.intel.t, Float64Array),
    believed: decode(D.intel.believed, Float32Array),
    present: decode(D.intel.present, Float32Array),
  } : null;
  const EV = {
    t: decode(D.events.t, Float64Array), kind: decode(D.events.kind, Uint8Array),
    src: decode(D.events.src, Int32Array), dst: decode(D.events.dst, Int32Array),
    tx: decode(D.events.tx, Float32Array), ty: decode(D.events.ty, Float32Array),
    size: decode(D.events.size, Float32Array),
  };
  const nF = D.nF, nU = D.nU, nO = D.nO;
  const tEnd = times[nF - 1], tStart = times[0];
  const step = nF > 1 ? (tEnd - tStart) / (nF - 1) : 15;
  const EVENT_WINDOW = Math.max(step, 10); // minutes an event stays drawn

  const $ = (id) => document.getElementById(id);
  const canvas = $("map");
  const ctx = canvas.getContext("2d");
  const slider = $("slider");
  slider.min = String(tStart);
  slider.max = String(tEnd);

  const state = { t: tStart, playing: false, speed: 60, selected: -1, last: 0, view: -1 };
  const view = { scale: 1, ox: 0, oy: 0, fitted: false };
  const drawn = []; // screen positions of drawn units, for clicks
  const intelDrawn = []; // the force labels drawn on the objectives now
  const ghosts = []; // units drawn only where the viewing side last saw them

  // ---- time -------------------------------------------------------------------------------
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
    "Dec"];
  const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(D.start || "");
  const startMs = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) : 0;
  const pad = (n) => (n < 10 ? "0" : "") + n;
  function clock(t) {
    if (!m) return "+" + Math.round(t) + " min";
    const d = new Date(startMs + Math.round(t) * 60000); // wall clock kept in UTC fields
    return DAYS[d.getUTCDay()] + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " +
      d.getUTCFullYear() + " " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }
  function elapsed(t) {
    const mins = Math.round(t - tStart);
    return "day " + (Math.floor(mins / 1440) + 1) + ", +" + Math.floor(mins / 60) + " h " +
      pad(mins % 60) + " min";
  }
  // Last frame at or before t (binary search).
  function frameAt(t) {
    let lo = 0, hi = nF - 1;
    if (t <= times[0]) return 0;
    if (t >= times[hi]) return hi;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= t) lo = mid; else hi = mid;
    }
    return lo;
  }
  // Last intelligence sample at or before t (-1: none yet).
  function intelAt(t) {
    if (!INTEL) return -1;
    let lo = 0, hi = INTEL.t.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (INTEL.t[mid] <= t) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }
  // What objective o shows about the forces on it at sample k: in a side's view the enemy men
  // the side believes are there, in the view of all units the men of each side truly there.
  // Parts of the map label ({text, color}; the numbers in their side's colour) and the panel's
  // line (side names written out); null before the first sample.
  function intelText(o, k) {
    if (k < 0) return null;
    if (state.view >= 0) {
      const text = "believed " + men(INTEL.believed[(k * nS + state.view) * nO + o]) +
        " enemy men";
      return { parts: [{ text: text, color: sideColor(state.view) }], panel: text };
    }
    const n = D.sides.map((_, i) => men(INTEL.present[(k * nS + i) * nO + o]));
    const parts = [{ text: "true ", color: "#1a1a1a" }];
    n.forEach((v, i) => {
      if (i) parts.push({ text: " · ", color: "#1a1a1a" });
      parts.push({ text: v, color: sideColor(i) });
    });
    return { parts: parts, panel: "true: " + D.sides.map((s, i) => s.name + " " + n[i])
      .join(" · ") };
  }
  const men = (v) => Math.round(v).toLocaleString("en");

  function lowerEvent(t) {
    let lo = 0, hi = EV.t.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (EV.t[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  // Interpolated unit u at time t: {x, y, s, f} or null when not on the map.
  function unitAt(u, t) {
    const f = frameAt(t);
    const a = f * nU + u;
    if (Number.isNaN(X[a])) return null;
    if (f >= nF - 1) return { x: X[a], y: Y[a], s: S[a], f: f };
    const b = a + nU;
    if (Number.isNaN(X[b])) return { x: X[a], y: Y[a], s: S[a], f: f };
    const w = Math.min(1, Math.max(0, (t - times[f]) / (times[f + 1] - times[f])));
    return { x: X[a] + (X[b] - X[a]) * w, y: Y[a] + (Y[b] - Y[a]) * w,
      s: S[a] + (S[b] - S[a]) * w, f: f };
  }

  // Does the current view show unit u at frame f? ("all": yes; a side: if it knows where u is)
  function known(u, f) {
    if (state.view < 0 || !SEEN) return true;
    return SEEN[(f * nS + state.view) * nU + u] === 1;
  }
  // The last frame at or before f at which the viewing side saw unit u (-1: never).
  function lastSeen(u, f) {
    for (let k = f; k >= 0; k--) {
      if (SEEN[(k * nS + state.view) * nU + u] === 1 && !Number.isNaN(X[k * nU + u])) return k;
    }
    return -1;
  }

  // ---- view -------------------------------------------------------------------------------
  const [ex0, ex1, ey0, ey1] = D.map.extent;
  let cssW = 0, cssH = 0;
  function resize() {
    const r = canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    cssW = Math.max(1, r.width); cssH = Math.max(1, r.height);
    canvas.width = Math.round(cssW * dpr); canvas.height = Math.round(cssH * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const key = $("legend").getBoundingClientRect();
    overlayBox = key.height > 0 ? { x: key.left - r.left, y: key.top - r.top, w: key.width,
      h: key.height } : null;
    if (!view.fitted) fit();
    draw();
  }
  function fit() {
    // the map starts below the legend box, so units at its northern edge are not hidden
    const key = $("legend");
    const top = key && key.offsetHeight ? Math.min(key.offsetTop + key.offsetHeight + 4,
      cssH / 3) : 0;
    view.scale = Math.min(cssW / (ex1 - ex0), (cssH - top) / (ey1 - ey0));
    view.ox = (cssW - (ex1 - ex0) * view.scale) / 2;
    view.oy = top + (cssH - top - (ey1 - ey0) * view.scale) / 2;
    view.fitted = true;
  }
  const sx = (x) => view.ox + (x - ex0) * view.scale;
  const sy = (y) => view.oy + (ey1 - y) * view.scale;

  // ---- drawing ----------------------------------------------------------------------------
  const img = new Image();
  let imgReady = false;
  img.onload = () => { imgReady = true; draw(); };
  img.src = D.map.src;

  function hexA(hex, a) {
    const n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }
  const sideColor = (i) => (D.sides[i] ? D.sides[i].color : "#666666");

  function label(text, x, y, opts) {
    const o = opts || {};
    ctx.font = (o.weight || "600") + " " + (o.size || 12) + "px system-ui, sans-serif";
    ctx.textAlign = o.align || "center";
    ctx.textBaseline = "middle";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.85)";
    ctx.strokeText(text, x, y);
    ctx.fillStyle = o.color || "#222";
    ctx.fillText(text, x, y);
  }

  const FEATURE_STYLE = {
    lake: { fill: "rgba(90,150,210,0.35)", stroke: "#3b78b5", width: 1.5 },
    marsh: { fill: "rgba(110,150,120,0.25)", stroke: "#5d8a68", width: 1, dash: [3, 3] },
    forest: { fill: "rgba(60,120,60,0.18)", stroke: "#3d7a3d", width: 1 },
    village: { fill: "rgba(150,110,90,0.3)", stroke: "#7a5a48", width: 1 },
    river: { stroke: "#3b78b5", width: 2 },
    road: { stroke: "#8c6d46", width: 1.5 },
    border: { stroke: "#7b1fa2", width: 2.5, dash: [10, 5, 2, 5] },
  };
  function drawFeatures() {
    for (const f of D.features) {
      const p = f.pts;
      if (f.kind === "hill" || f.kind === "point" || p.length === 2) {
        const x = sx(p[0]), y = sy(p[1]);
        ctx.fillStyle = "#5a3d1e";
        ctx.beginPath();
        ctx.moveTo(x, y - 6); ctx.lineTo(x + 5, y + 3); ctx.lineTo(x - 5, y + 3); ctx.closePath();
        ctx.fill();
        blockers.push({ x: x - 5, y: y - 6, w: 10, h: 9 });
        continue;
      }
      const st = FEATURE_STYLE[f.kind] || { stroke: "#555", width: 1 };
      ctx.beginPath();
      ctx.moveTo(sx(p[0]), sy(p[1]));
      for (let i = 2; i < p.length; i += 2) ctx.lineTo(sx(p[i]), sy(p[i + 1]));
      if (f.closed) ctx.closePath();
      if (f.closed && st.fill) { ctx.fillStyle = st.fill; ctx.fill(); }
      ctx.setLineDash(st.dash || []);
      ctx.strokeStyle = st.stroke; ctx.lineWidth = st.width; ctx.stroke();
      ctx.setLineDash([]);
    }
  }

  // ---- map labels -------------------------------------------------------------------------
  // Labels are placed after the map, the objectives and the units are drawn, in priority order:
  // objectives (name and force line), hill names, heights, then water, marsh and border names.
  // Each takes the first of a few spots around its anchor whose box lies on the canvas and
  // overlaps no label placed before it, no unit symbol, hill marker, objective circle or fixed
  // overlay (legend, scale bar, north arrow); spots further out get a thin leader line. A label
  // with no free spot is not drawn at this zoom: zooming in spreads the anchors and it comes back.
  // Placing takes about 0.1 ms (some 30 labels, at most 25 spots each), so it is
  // redone on every redraw and follows the units and the hourly force lines.
  const blockers = []; // boxes labels keep off: unit symbols, markers, overlays ({x, y, w, h})
  const circles = []; // objective circles labels keep off ({x, y, r})
  const placed = []; // every label of this redraw: {lab, box, lead} (box null: hidden)
  let overlayBox = null; // the legend over the map's top left, in canvas pixels
  const HALO = 2; // the white outline around label text, either side
  const widthCache = new Map();
  function textWidth(text, font) {
    const key = font + "|" + text;
    let w = widthCache.get(key);
    if (w === undefined) {
      if (widthCache.size > 4096) widthCache.clear();
      ctx.font = font;
      w = ctx.measureText(text).width;
      widthCache.set(key, w);
    }
    return w;
  }
  // A label: lines of coloured parts, measured once per text. kind names it for the test hook.
  function makeLabel(kind, key, lines, align) {
    let w = 0, h = 2;
    for (const l of lines) {
      l.font = l.weight + " " + l.size + "px system-ui, sans-serif";
      l.w = l.parts.reduce((a, q) => a + textWidth(q.text, l.font), 0);
      w = Math.max(w, l.w);
      h += l.size + 3;
    }
    return { kind: kind, key: key, lines: lines, align: align, w: w + 2 * HALO, h: h };
  }
  const line = (text, size, weight, color) => ({ parts: [{ text: text, color: color }],
    size: size, weight: weight });

  // Anchors in map metres, fixed for the whole replay: hill names, heights, area and line names.
  const FEATURE_RANK = { lake: 0, river: 0, marsh: 1, forest: 1, village: 1, border: 2 };
  const ALONG = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]; // where on a line its name may sit
  const hillLabels = [], heightLabels = [], areaLabels = [];
  D.features.forEach((f, i) => {
    const p = f.pts;
    if (f.kind === "hill" || f.kind === "point" || p.length === 2) {
      // A place an objective already names keeps only its marker and height.
      const named = D.objectives.some((o) => Math.hypot(o.x - p[0], o.y - p[1]) <= o.r * 1.5);
      const hill = { wx: p[0], wy: p[1], lab: null };
      if (f.name && !named) {
        hill.lab = makeLabel("hill", "h" + i, [line(f.name, 12, "600", "#3e2a14")], "left");
        hillLabels.push(hill);
      }
      if (f.label) {
        heightLabels.push({ wx: p[0], wy: p[1], hill: hill.lab ? hill : null,
          lab: makeLabel("height", "z" + i, [line(f.label, 10, "400", "#3e2a14")], "left") });
      }
      return;
    }
    if (!f.name) return;
    const st = FEATURE_STYLE[f.kind] || { stroke: "#555" };
    const lab = makeLabel(f.kind, "f" + i, [line(f.name, 11, "italic 500", st.stroke)], "center");
    const rank = f.kind in FEATURE_RANK ? FEATURE_RANK[f.kind] : 3;
    const n = p.length / 2;
    if (f.closed) {
      let cx = 0, cy = 0;
      for (let j = 0; j < p.length; j += 2) { cx += p[j]; cy += p[j + 1]; }
      areaLabels.push({ rank: rank, lab: lab, pts: [[cx / n, cy / n]], area: true });
      return;
    }
    const cum = [0]; // arc length up to each vertex (a line has at least two)
    for (let j = 2; j < p.length; j += 2) {
      cum.push(cum[cum.length - 1] + Math.hypot(p[j] - p[j - 2], p[j + 1] - p[j - 1]));
    }
    const total = cum[cum.length - 1];
    const pts = ALONG.map((a) => {
      let j = 1;
      while (j < n - 1 && cum[j] < a * total) j++;
      const seg = cum[j] - cum[j - 1], w = seg > 0 ? (a * total - cum[j - 1]) / seg : 0;
      const x0 = p[2 * j - 2], y0 = p[2 * j - 1];
      return [x0 + (p[2 * j] - x0) * w, y0 + (p[2 * j + 1] - y0) * w];
    });
    areaLabels.push({ rank: rank, lab: lab, pts: pts, area: false });
  });
  areaLabels.sort((a, b) => a.rank - b.rank);

  // Spots around an anchor of half-size gap: the directions in order of preference, then the
  // same directions further out (with a leader line).
  const BELOW_FIRST = [[0, 1], [0, -1], [1, 0], [-1, 0], [1, 1], [-1, 1], [1, -1], [-1, -1]];
  const RIGHT_FIRST = [[1, 0], [-1, 0], [1, -1], [1, 1], [-1, -1], [-1, 1], [0, -1], [0, 1]];
  const RINGS = [0, 16, 40]; // pixels beyond the anchor's edge

  function overlaps(a, x, y, w, h) {
    return a.x < x + w && x < a.x + a.w && a.y < y + h && y < a.y + a.h;
  }
  // level 2: clear of other labels, unit symbols, markers and crest circles; 1: of other labels
  // and of every unit's position (true and drawn); 0: of other labels only
  function isFree(x, y, w, h, level) {
    if (x < 0 || y < 0 || x + w > cssW || y + h > cssH) return false;
    for (const q of placed) if (q.box && overlaps(q.box, x, y, w, h)) return false;
    if (level === 0) return true;
    if (level === 1) {
      const inside = (px, py) => px >= x && px <= x + w && py >= y && py <= y + h;
      return !items.some((it) => inside(it.tx, it.ty) || inside(it.x, it.y));
    }
    for (const b of blockers) if (overlaps(b, x, y, w, h)) return false;
    for (const c of circles) {
      const dx = Math.min(Math.max(c.x, x), x + w) - c.x;
      const dy = Math.min(Math.max(c.y, y), y + h) - c.y;
      if (dx * dx + dy * dy < c.r * c.r) return false;
    }
    return true;
  }
  function spot(ax, ay, gap, w, h, dirs, i) {
    const [dx, dy] = dirs[i % dirs.length];
    const d = RINGS[Math.floor(i / dirs.length)];
    return [dx > 0 ? ax + gap + 3 + d : dx < 0 ? ax - gap - 3 - d - w : ax - w / 2,
      dy > 0 ? ay + gap + 1 + d : dy < 0 ? ay - gap - 1 - d - h : ay - h / 2];
  }
  // The spot a label took at the last redraw is tried first while the scale holds, so labels
  // do not hop as units march past: a label pushed out stays out until its spot is taken or the
  // zoom changes. Spots are numbered per label; lastSpot maps its key to {scale, i}.
  const lastSpot = new Map();
  function firstFree(lab, count, at, level) {
    const prev = lastSpot.get(lab.key);
    const keep = prev && prev.scale === view.scale && prev.i < count ? prev.i : -1;
    for (let j = keep < 0 ? 0 : -1; j < count; j++) {
      const i = j < 0 ? keep : j;
      if (j >= 0 && i === keep) continue;
      const [x, y] = at(i);
      if (isFree(x, y, lab.w, lab.h, level)) {
        lastSpot.set(lab.key, { scale: view.scale, i: i });
        return { x: x, y: y, w: lab.w, h: lab.h, i: i };
      }
    }
    return null;
  }
  // Put lab at the first free spot around (ax, ay) (extra: spots tried before those, e.g. under
  // the hill's name for a height) and record it, or record it hidden. must: if nothing is free,
  // take the first spot clear of other labels and of the units' positions, else the first clear
  // of other labels (objectives stay readable even among units).
  function place(lab, ax, ay, gap, dirs, extra, must) {
    const count = extra.length + dirs.length * RINGS.length;
    const at = (i) => (i < extra.length ? extra[i]
      : spot(ax, ay, gap, lab.w, lab.h, dirs, i - extra.length));
    const box = firstFree(lab, count, at, 2)
      || (must ? firstFree(lab, count, at, 1) || firstFree(lab, count, at, 0) : null);
    const far = box !== null && box.i - extra.length >= dirs.length;
    placed.push({ lab: lab, box: box, ax: ax, ay: ay, lead: far ? gap : -1 });
    return box;
  }
  // Names that sit on their feature: at one of the points along a line, or at an area's centre
  // or a step to a side of it.
  function placeOn(a) {
    const lab = a.lab, w = lab.w, h = lab.h;
    const steps = a.area ? [[0, 0], [0, -h], [0, h], [-w / 2 - 4, 0], [w / 2 + 4, 0]] : [[0, 0]];
    const at = (i) => {
      const [wx, wy] = a.pts[Math.floor(i / steps.length)], [dx, dy] = steps[i % steps.length];
      return [sx(wx) + dx - w / 2, sy(wy) + dy - h / 2];
    };
    const box = firstFree(lab, a.pts.length * steps.length, at, 2);
    const [wx, wy] = a.pts[box ? Math.floor(box.i / steps.length) : 0];
    placed.push({ lab: lab, box: box, ax: sx(wx), ay: sy(wy), lead: -1 });
  }

  function placeLabels(k) {
    placed.length = 0;
    circles.length = 0;
    blockers.push({ x: 0, y: cssH - 38, w: 150, h: 38 }, { x: cssW - 46, y: 4, w: 44, h: 28 });
    if (overlayBox) blockers.push(overlayBox);
    const objs = [];
    for (let o = 0; o < nO; o++) {
      const ob = D.objectives[o];
      circles.push({ x: sx(ob.x), y: sy(ob.y), r: Math.max(6, ob.r * view.scale) });
      const text = intelText(o, k);
      const lines = [line(ob.name, 12, "700", "#1a1a1a")];
      if (text) lines.push({ parts: text.parts, size: 11, weight: "700" });
      objs.push({ lab: makeLabel("objective", "o" + o, lines, "center"), text: text });
    }
    intelDrawn.length = 0;
    objs.forEach((q, o) => {
      const c = circles[o];
      const box = place(q.lab, c.x, c.y, c.r, BELOW_FIRST, [], true);
      if (box && q.text) intelDrawn.push(q.text.parts.map((p) => p.text).join(""));
    });
    const hillBox = new Map();
    for (const hl of hillLabels) {
      const box = place(hl.lab, sx(hl.wx), sy(hl.wy), 6, RIGHT_FIRST, [], false);
      if (box) hillBox.set(hl, box);
    }
    for (const z of heightLabels) {
      const nb = z.hill ? hillBox.get(z.hill) : null;
      // under its hill's name (on the marker's side), else around the marker
      const extra = nb ? [[nb.x + (nb.x + nb.w / 2 < sx(z.wx) ? nb.w - z.lab.w : 0),
        nb.y + nb.h]] : [];
      place(z.lab, sx(z.wx), sy(z.wy), 6, RIGHT_FIRST, extra, false);
    }
    for (const a of areaLabels) placeOn(a);
  }

  function drawLabels() {
    ctx.beginPath();
    for (const q of placed) {
      if (!q.box || q.lead < 0) continue;
      // from the anchor's edge to the nearest point of the box
      const b = q.box;
      const nx = Math.min(Math.max(q.ax, b.x), b.x + b.w);
      const ny = Math.min(Math.max(q.ay, b.y), b.y + b.h);
      const d = Math.hypot(nx - q.ax, ny - q.ay) || 1;
      ctx.moveTo(q.ax + (nx - q.ax) * q.lead / d, q.ay + (ny - q.ay) * q.lead / d);
      ctx.lineTo(nx, ny);
    }
    ctx.strokeStyle = "rgba(255,255,255,0.85)"; ctx.lineWidth = 3; ctx.stroke();
    ctx.strokeStyle = "#3e2a14"; ctx.lineWidth = 1.2; ctx.stroke();
    for (const q of placed) {
      if (!q.box) continue;
      let y = q.box.y + 1;
      for (const l of q.lab.lines) {
        const lh = l.size + 3;
        let x = q.box.x + HALO + (q.lab.align === "center" ? (q.box.w - 2 * HALO - l.w) / 2 : 0);
        for (const part of l.parts) {
          label(part.text, x, y + lh / 2, { size: l.size, weight: l.weight, color: part.color,
            align: "left" });
          x += textWidth(part.text, l.font);
        }
        y += lh;
      }
    }
  }

  function drawObjectives(f) {
    for (let o = 0; o < nO; o++) {
      const ob = D.objectives[o];
      const h = HOLD[f * nO + o];
      const x = sx(ob.x), y = sy(ob.y), r = Math.max(6, ob.r * view.scale);
      ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fillStyle = h >= 0 ? hexA(sideColor(h), 0.28) : "rgba(120,120,120,0.15)";
      ctx.fill();
      ctx.setLineDash(h >= 0 ? [] : [4, 3]);
      ctx.strokeStyle = h >= 0 ? sideColor(h) : "#666"; ctx.lineWidth = 2; ctx.stroke();
      ctx.setLineDash([]);
    }
  }

  function drawEvents(t) {
    const first = lowerEvent(t - EVENT_WINDOW);
    const last = lowerEvent(t + 1e-9);
    for (let i = first; i < last; i++) {
      const age = (t - EV.t[i]) / EVENT_WINDOW;
      const alpha = Math.max(0, 1 - age);
      const kind = D.eventKinds[EV.kind[i]];
      const tx = sx(EV.tx[i]), ty = sy(EV.ty[i]);
      let fx = null, fy = null, col = "#333333";
      if (EV.src[i] >= 0 && known(EV.src[i], frameAt(t))) {
        const k = itemOf[EV.src[i]]; // from the firer's symbol, where it is drawn
        if (k >= 0) { fx = items[k].x; fy = items[k].y; }
        col = sideColor(D.units[EV.src[i]].side);
      }
      if (kind === "air") { fx = tx - 60; fy = Math.max(0, ty - 220); col = "#222222"; }
      if (fx !== null) {
        ctx.beginPath(); ctx.moveTo(fx, fy); ctx.lineTo(tx, ty);
        ctx.strokeStyle = hexA(col, 0.8 * alpha);
        ctx.lineWidth = kind === "fire" ? 1.2 : 1.6;
        ctx.setLineDash(kind === "fire" ? [] : [6, 4]);
        ctx.stroke(); ctx.setLineDash([]);
      }
      const r = (kind === "fire" ? 3 : 6) + 2 * Math.sqrt(Math.max(0, EV.size[i]));
      ctx.beginPath(); ctx.arc(tx, ty, Math.min(r, 40) * (0.6 + 0.4 * (1 - alpha)), 0, 2 * Math.PI);
      ctx.fillStyle = kind === "air" ? "rgba(30,30,30," + 0.45 * alpha + ")"
        : "rgba(255,140,0," + 0.55 * alpha + ")";
      ctx.fill();
      if (kind === "air") {
        ctx.save(); ctx.translate(fx, fy); ctx.fillStyle = "rgba(20,20,20," + alpha + ")";
        ctx.beginPath(); ctx.moveTo(0, -7); ctx.lineTo(3, 6); ctx.lineTo(-3, 6); ctx.closePath();
        ctx.fill(); ctx.fillRect(-9, -1, 18, 3); ctx.restore();
      }
    }
  }

  const ECHELON = { team: "Ø", squad: "•", section: "••", platoon: "•••", company: "|",
    battalion: "||", regiment: "|||", brigade: "X", division: "XX", corps: "XXX" };
  let refStrength = 1;
  {
    const s0 = D.units.map((u) => u.s0).filter((v) => v > 0).sort((a, b) => a - b);
    if (s0.length) refStrength = s0[Math.floor(s0.length / 2)];
  }

  // ---- units standing together -------------------------------------------------------------
  // What is drawn now, one item per unit symbol or ghost: u, ghost, p (the interpolated unit;
  // null for a ghost), its true screen position (tx, ty; a ghost's: where last seen), the drawn
  // centre (x, y), the frame's size (w, h), and the box it covers (bw x bh, centred dy below the
  // symbol's centre: the frame with its echelon mark above and its strength bar below).
  const items = [];
  const itemOf = new Int32Array(nU); // index in items of unit u, -1 when not drawn
  // Units in the order of their ids, so a fan keeps its order from frame to frame.
  const idRank = new Int32Array(nU);
  D.units.map((u, i) => i).sort((a, b) => (D.units[a].id < D.units[b].id ? -1
    : D.units[a].id > D.units[b].id ? 1 : a - b)).forEach((u, r) => { idRank[u] = r; });
  function collectUnits(t, f) {
    items.length = 0;
    itemOf.fill(-1);
    for (let u = 0; u < nU; u++) {
      const p = unitAt(u, t);
      if (!p) continue;
      if (known(u, f)) {
        const size = Math.min(1.7, Math.max(0.65, Math.sqrt(Math.max(p.s, 0) / refStrength)));
        const w = 26 * size, h = 17 * size, tx = sx(p.x), ty = sy(p.y);
        itemOf[u] = items.length;
        items.push({ u: u, ghost: false, p: p, tx: tx, ty: ty, x: tx, y: ty, w: w, h: h,
          bw: w + 2, bh: h + 18, dy: -3, fanned: false });
        continue;
      }
      const k = lastSeen(u, f);
      if (k < 0) continue;
      const tx = sx(X[k * nU + u]), ty = sy(Y[k * nU + u]);
      itemOf[u] = items.length;
      items.push({ u: u, ghost: true, p: null, tx: tx, ty: ty, x: tx, y: ty, w: 24, h: 16,
        bw: 26, bh: 18, dy: 0, fanned: false });
    }
  }

  // Symbols whose boxes would touch at their true positions are drawn fanned out around their
  // common centre: a ring for up to six, beyond that a grid with an empty middle (units on one
  // point in the order of their ids), each joined by a thin line to its true position (a small
  // dot). A fan that would touch another symbol or fan is merged with it and laid out again, so
  // no two drawn boxes overlap; zoomed in until the true boxes no longer touch, each symbol
  // stands where it is. Display only: the data are never changed.
  const FAN_GAP = 3; // pixels between fanned boxes
  const FAN_HOLE = 4; // pixels kept free around the fan's centre for the dots
  const TOUCH = 1; // boxes closer than this many pixels touch
  const fanSlots = new Map(); // n -> at least n places [dx, dy] in cells, in order
  function slots(n) {
    let out = fanSlots.get(n);
    if (out) return out;
    if (n <= 6) {
      // n points on a circle scaled by the least factor that keeps every pair a cell apart
      // across or down; of a few starting angles (left, top, and half a step on) the tightest
      let best = Infinity;
      const starts = [Math.PI, 1.5 * Math.PI, Math.PI + Math.PI / n, 1.5 * Math.PI + Math.PI / n];
      for (const a0 of starts) {
        const pts = [];
        for (let i = 0; i < n; i++) {
          const a = a0 + 2 * Math.PI * i / n; // clockwise on the screen
          pts.push([Math.cos(a), Math.sin(a)]);
        }
        let scale = 0;
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++) {
            const d = Math.max(Math.abs(pts[i][0] - pts[j][0]), Math.abs(pts[i][1] - pts[j][1]));
            scale = Math.max(scale, 1 / d);
          }
        }
        if (scale < best - 1e-9) {
          best = scale;
          out = pts.map(([x, y]) => [x * scale, y * scale]);
        }
      }
    } else {
      // every cell of the smallest odd square with room for n around an empty centre, ring by
      // ring, each ring clockwise from the top
      let r = 1;
      while ((2 * r + 1) * (2 * r + 1) - 1 < n) r++;
      const cells = [];
      for (let i = -r; i <= r; i++) {
        for (let j = -r; j <= r; j++) if (i || j) cells.push([i, j]);
      }
      const turn = (c) => (Math.atan2(c[0], -c[1]) + 2 * Math.PI) % (2 * Math.PI);
      cells.sort((a, b) => Math.max(Math.abs(a[0]), Math.abs(a[1])) -
        Math.max(Math.abs(b[0]), Math.abs(b[1])) || turn(a) - turn(b));
      out = cells;
    }
    fanSlots.set(n, out);
    return out;
  }
  function touch(a, ax, ay, b, bx, by) {
    return Math.abs(ax - bx) < (a.bw + b.bw) / 2 + TOUCH &&
      Math.abs(ay + a.dy - by - b.dy) < (a.bh + b.bh) / 2 + TOUCH;
  }
  function root(par, i) {
    while (par[i] !== i) { par[i] = par[par[i]]; i = par[i]; }
    return i;
  }
  // Lay out one group (item indices in id order) around the mean of its true box centres: the
  // members furthest from it first (then in id order) each take the free slot nearest to their
  // own true position, so a fan of units far apart keeps them on their sides of it.
  const DIST = new Float64Array(nU);
  let lastFan = new Map(), nextFan = new Map(); // members (unit indices) -> their places
  function layoutGroup(g) {
    if (g.length === 1) {
      const it = items[g[0]];
      it.x = it.tx; it.y = it.ty; it.fanned = false;
      return;
    }
    let cx = 0, cy = 0, cw = 0, ch = 0;
    for (const i of g) {
      const it = items[i];
      cx += it.tx; cy += it.ty + it.dy;
      cw = Math.max(cw, it.bw); ch = Math.max(ch, it.bh);
    }
    cx /= g.length; cy /= g.length;
    const s = slots(g.length);
    cw += FAN_GAP; ch += FAN_GAP;
    // spread further if a box would cover the centre, where the true positions' dots are
    let k = 1;
    for (const [dx, dy] of s) {
      k = Math.max(k, Math.min(dx ? (cw / 2 + FAN_HOLE) / Math.abs(dx * cw) : Infinity,
        dy ? (ch / 2 + FAN_HOLE) / Math.abs(dy * ch) : Infinity));
    }
    const at = (n, j) => Math.hypot(cx + s[j][0] * cw * k - items[g[n]].tx,
      cy + s[j][1] * ch * k - items[g[n]].ty - items[g[n]].dy);
    for (const i of g) {
      const it = items[i];
      DIST[i] = Math.round(Math.hypot(it.tx - cx, it.ty + it.dy - cy));
    }
    const order = g.map((i, n) => n).sort((a, b) => DIST[g[b]] - DIST[g[a]]);
    const taken = new Uint8Array(s.length);
    let place = new Int32Array(g.length), far = 0;
    for (const n of order) {
      let best = -1, bestD = Infinity;
      for (let j = 0; j < s.length; j++) {
        if (taken[j]) continue;
        const d = at(n, j);
        if (d < bestD - 0.5) { best = j; bestD = d; }
      }
      taken[best] = 1;
      place[n] = best;
      far = Math.max(far, bestD);
    }
    // the same members as at the last redraw keep their places, so a fan does not reshuffle as
    // its units move about inside it, unless that leaves one a cell further from where it is
    const key = g.map((i) => items[i].u).join(",");
    const kept = lastFan.get(key);
    if (kept && kept.every((j, n) => at(n, j) <= far + Math.hypot(cw, ch))) place = kept;
    nextFan.set(key, place);
    g.forEach((i, n) => {
      const it = items[i];
      it.x = cx + s[place[n]][0] * cw * k;
      it.y = cy + s[place[n]][1] * ch * k - it.dy;
      it.fanned = true;
    });
  }
  function layoutFans() {
    lastFan = nextFan;
    nextFan = new Map();
    const n = items.length;
    const par = new Int32Array(n);
    for (let i = 0; i < n; i++) par[i] = i;
    for (let i = 0; i < n; i++) {
      const a = items[i];
      for (let j = i + 1; j < n; j++) {
        const b = items[j];
        if (touch(a, a.tx, a.ty, b, b.tx, b.ty)) par[root(par, j)] = root(par, i);
      }
    }
    // each pass merges at least two groups, so this ends
    for (;;) {
      const groups = new Map();
      for (let i = 0; i < n; i++) {
        const r = root(par, i);
        const g = groups.get(r);
        if (g) g.push(i); else groups.set(r, [i]);
      }
      for (const g of groups.values()) {
        g.sort((a, b) => idRank[items[a].u] - idRank[items[b].u]);
        layoutGroup(g);
      }
      let merged = false;
      for (let i = 0; i < n; i++) {
        const a = items[i];
        for (let j = i + 1; j < n; j++) {
          const b = items[j];
          if (root(par, i) !== root(par, j) && touch(a, a.x, a.y, b, b.x, b.y)) {
            par[root(par, j)] = root(par, i);
            merged = true;
          }
        }
      }
      if (!merged) break;
    }
    // A merged fan may have taken in a symbol that, laid out again, has room where it is: back
    // it goes if at its true position it touches no other symbol, drawn or true.
    for (let again = true; again;) {
      again = false;
      for (let i = 0; i < n; i++) {
        const a = items[i];
        if (!a.fanned) continue;
        let free = true;
        for (let j = 0; j < n && free; j++) {
          const b = items[j];
          free = j === i || !(touch(a, a.tx, a.ty, b, b.x, b.y) ||
            touch(a, a.tx, a.ty, b, b.tx, b.ty));
        }
        if (free) { a.x = a.tx; a.y = a.ty; a.fanned = false; again = true; }
      }
    }
  }
  // The true positions of fanned symbols: a thin line to each symbol and a dot.
  function drawFanLines() {
    ctx.beginPath();
    let any = false;
    for (const it of items) {
      if (!it.fanned) continue;
      ctx.moveTo(it.tx, it.ty); ctx.lineTo(it.x, it.y);
      any = true;
    }
    if (!any) return;
    ctx.strokeStyle = "rgba(255,255,255,0.8)"; ctx.lineWidth = 2.6; ctx.stroke();
    ctx.strokeStyle = "rgba(17,17,17,0.85)"; ctx.lineWidth = 1; ctx.stroke();
    ctx.beginPath();
    for (const it of items) {
      if (!it.fanned) continue;
      ctx.moveTo(it.tx + 2.5, it.ty); ctx.arc(it.tx, it.ty, 2.5, 0, 2 * Math.PI);
      blockers.push({ x: it.tx - 3, y: it.ty - 3, w: 6, h: 6 });
    }
    ctx.fillStyle = "#111"; ctx.fill();
    ctx.strokeStyle = "#fff"; ctx.lineWidth = 1; ctx.stroke();
  }

  function symbol(it, selected) {
    const u = it.u, p = it.p, w = it.w, h = it.h, x = it.x, y = it.y;
    const unit = D.units[u];
    const frac = unit.s0 > 0 ? Math.max(0, p.s / unit.s0) : 1;
    const dead = p.s <= 0;
    ctx.save();
    ctx.globalAlpha = dead ? 0.35 : 1;
    ctx.fillStyle = hexA(sideColor(unit.side), 0.9);
    ctx.strokeStyle = selected ? "#ffd400" : "#111";
    ctx.lineWidth = selected ? 3 : 1.3;
    ctx.fillRect(x - w / 2, y - h / 2, w, h);
    ctx.strokeRect(x - w / 2, y - h / 2, w, h);
    ctx.strokeStyle = "#111"; ctx.fillStyle = "#111"; ctx.lineWidth = 1.2;
    const type = unit.type;
    if (type === "infantry" || type === "border" || type === "cavalry") {
      ctx.beginPath();
      ctx.moveTo(x - w / 2, y - h / 2); ctx.lineTo(x + w / 2, y + h / 2);
      ctx.moveTo(x + w / 2, y - h / 2); ctx.lineTo(x - w / 2, y + h / 2);
      ctx.stroke();
    } else if (type === "tank" || type === "armour" || type === "armor") {
      ctx.beginPath(); ctx.ellipse(x, y, w * 0.33, h * 0.27, 0, 0, 2 * Math.PI); ctx.stroke();
    } else if (type === "artillery" || type === "mortar") {
      ctx.beginPath(); ctx.arc(x, y, Math.max(2, h * 0.16), 0, 2 * Math.PI); ctx.fill();
    } else if (type === "antitank") {
      ctx.beginPath(); ctx.moveTo(x - w / 2, y + h / 2); ctx.lineTo(x, y - h / 2);
      ctx.lineTo(x + w / 2, y + h / 2); ctx.stroke();
    }
    const ech = ECHELON[unit.echelon];
    if (ech) label(ech, x, y - h / 2 - 6, { size: 9, weight: "700", color: "#111" });
    // strength bar
    ctx.fillStyle = "rgba(0,0,0,0.45)"; ctx.fillRect(x - w / 2, y + h / 2 + 2, w, 3);
    ctx.fillStyle = frac > 0.5 ? "#2e7d32" : frac > 0.25 ? "#f9a825" : "#c62828";
    ctx.fillRect(x - w / 2, y + h / 2 + 2, w * Math.min(1, frac), 3);
    ctx.restore();
    drawn.push({ u: u, x: x, y: y, r: Math.max(w, h) / 2 + 3 });
    blockers.push({ x: x - it.bw / 2, y: y + it.dy - it.bh / 2, w: it.bw, h: it.bh });
  }

  // Where the viewing side last saw an enemy it no longer sees: a faint dashed outline.
  function ghost(it) {
    const unit = D.units[it.u];
    const x = it.x, y = it.y;
    ctx.save();
    ctx.globalAlpha = 0.45;
    ctx.setLineDash([3, 3]);
    ctx.strokeStyle = sideColor(unit.side); ctx.lineWidth = 1.5;
    ctx.strokeRect(x - it.w / 2, y - it.h / 2, it.w, it.h);
    ctx.restore();
    label("?", x, y, { size: 11, weight: "700", color: sideColor(unit.side) });
    ghosts.push(it.u);
    blockers.push({ x: x - it.bw / 2, y: y - it.bh / 2, w: it.bw, h: it.bh });
  }

  function drawTrail(u, t) {
    const f = frameAt(t);
    ctx.beginPath();
    let started = false;
    for (let k = Math.max(0, f - 4 * 24); k <= f; k++) {
      const a = k * nU + u;
      if (Number.isNaN(X[a])) { started = false; continue; }
      if (!started) { ctx.moveTo(sx(X[a]), sy(Y[a])); started = true; }
      else ctx.lineTo(sx(X[a]), sy(Y[a]));
    }
    const p = unitAt(u, t);
    if (p && started) ctx.lineTo(sx(p.x), sy(p.y));
    ctx.strokeStyle = "rgba(255,212,0,0.9)"; ctx.lineWidth = 2; ctx.setLineDash([2, 3]);
    ctx.stroke(); ctx.setLineDash([]);
  }

  function draw() {
    const t = state.t;
    const f = frameAt(t);
    ctx.clearRect(0, 0, cssW, cssH);
    ctx.fillStyle = "#e9e6df"; ctx.fillRect(0, 0, cssW, cssH);
    if (imgReady) {
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(img, sx(ex0), sy(ey1), (ex1 - ex0) * view.scale, (ey1 - ey0) * view.scale);
    }
    blockers.length = 0;
    drawFeatures();
    drawObjectives(f);
    collectUnits(t, f);
    layoutFans();
    drawEvents(t);
    drawn.length = 0;
    ghosts.length = 0;
    if (state.selected >= 0 && known(state.selected, f)) drawTrail(state.selected, t);
    drawFanLines();
    for (const it of items) {
      if (it.ghost) ghost(it); else symbol(it, it.u === state.selected);
    }
    placeLabels(intelAt(t));
    drawLabels();
    drawScale();
    updatePanel(t, f);
  }

  function drawScale() {
    const target = 120 / view.scale; // metres in about 120 px
    const pow = Math.pow(10, Math.floor(Math.log10(target)));
    const len = [1, 2, 5, 10].map((k) => k * pow).filter((v) => v <= target).pop() || pow;
    const px = len * view.scale, x = 14, y = cssH - 18;
    ctx.fillStyle = "rgba(255,255,255,0.8)"; ctx.fillRect(x - 6, y - 16, px + 12, 26);
    ctx.fillStyle = "#111"; ctx.fillRect(x, y, px, 3);
    label(len >= 1000 ? len / 1000 + " km" : len + " m", x + px / 2, y - 7, { size: 10 });
    label("N ↑", cssW - 24, 18, { size: 12, weight: "700" });
  }

  // ---- side panel -------------------------------------------------------------------------
  const objList = $("objectives");
  const objItems = D.objectives.map((ob) => {
    const li = document.createElement("li");
    const sw = document.createElement("span"); sw.className = "swatch";
    const name = document.createElement("span"); name.textContent = ob.name + ": ";
    const who = document.createElement("strong");
    const intel = document.createElement("span"); intel.className = "intel";
    li.append(sw, name, who, intel); objList.append(li);
    return { sw: sw, who: who, intel: intel };
  });
  const pick = $("pick");
  D.units.forEach((u, i) => {
    const opt = document.createElement("option");
    opt.value = String(i);
    opt.textContent = u.name + " (" + (D.sides[u.side] ? D.sides[u.side].name : "?") + ")";
    pick.append(opt);
  });
  const airList = $("airlist");
  for (const a of D.air) {
    const li = document.createElement("li");
    li.textContent = a.name + " (" + a.type + ", " + a.s0 + " " + a.su + ")";
    airList.append(li);
  }
  if (SEEN) {
    const viewSel = $("view");
    D.sides.forEach((s, i) => {
      const opt = document.createElement("option");
      opt.value = String(i);
      opt.textContent = "as " + s.name + " saw it";
      viewSel.append(opt);
    });
    $("viewbox").hidden = false;
    viewSel.addEventListener("change", () => {
      state.view = parseInt(viewSel.value, 10);
      draw();
    });
  }
  const legend = $("legend");
  D.sides.forEach((s) => {
    const item = document.createElement("span");
    const sw = document.createElement("span"); sw.className = "swatch";
    sw.style.background = s.color; // validated #rrggbb
    const txt = document.createElement("span"); txt.textContent = s.name;
    item.append(sw, txt); legend.append(item);
  });
  {
    const keys = document.createElement("span");
    keys.textContent = "frame with X: infantry · oval: armour · dot: artillery · " +
      "bar: strength left · size: strength";
    legend.append(keys);
  }

  function fmt(v) {
    return Math.abs(v) >= 10 ? Math.round(v).toLocaleString("en") : v.toFixed(1);
  }
  function updatePanel(t, f) {
    $("clock").textContent = clock(t);
    $("elapsed").textContent = elapsed(t);
    if (document.activeElement !== slider) slider.value = String(t);
    for (let o = 0; o < nO; o++) {
      const h = HOLD[f * nO + o];
      objItems[o].who.textContent = h >= 0 ? D.sides[h].name : "contested / nobody";
      objItems[o].sw.style.background = h >= 0 ? sideColor(h) : "#bbbbbb";
      const text = intelText(o, intelAt(t));
      objItems[o].intel.textContent = text ? " · " + text.panel : "";
    }
    const n = lowerEvent(t + 1e-9);
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[EV.kind[i]] = (counts[EV.kind[i]] || 0) + 1;
    $("tally").textContent = D.eventKinds.map((k, i) => k + ": " + counts[i]).join(" · ");
    const u = state.selected;
    const box = $("details");
    if (u < 0) { box.hidden = true; return; }
    const unit = D.units[u];
    const a = f * nU + u;
    const p = unitAt(u, t);
    const s = p ? p.s : S[a];
    box.hidden = false;
    $("d-name").textContent = unit.name;
    $("d-side").textContent = D.sides[unit.side] ? D.sides[unit.side].name : "";
    $("d-type").textContent = unit.type + (unit.echelon ? ", " + unit.echelon : "");
    $("d-strength").textContent = fmt(s) + " of " + fmt(unit.s0) + " " + unit.su +
      (p ? "" : " (not on the map)");
    $("d-losses").textContent = fmt(Math.max(0, unit.s0 - s)) + " " + unit.su;
    $("d-state").textContent = D.states[ST[a]] || "";
    $("d-order").textContent = D.orders[OR[a]] || "";
  }

  // ---- interaction ------------------------------------------------------------------------
  function setTime(t) {
    state.t = Math.min(tEnd, Math.max(tStart, t));
    draw();
  }
  function setPlaying(on) {
    state.playing = on && state.t < tEnd;
    $("play").textContent = state.playing ? "❚❚ Pause" : "▶ Play";
    if (state.playing) { state.last = performance.now(); requestAnimationFrame(tick); }
  }
  function tick(now) {
    if (!state.playing) return;
    const dt = Math.min(0.25, (now - state.last) / 1000);
    state.last = now;
    setTime(state.t + dt * state.speed);
    if (state.t >= tEnd) { setPlaying(false); return; }
    requestAnimationFrame(tick);
  }
  function select(u) {
    state.selected = u;
    pick.value = u >= 0 ? String(u) : "";
    draw();
  }
  slider.addEventListener("input", () => setTime(parseFloat(slider.value)));
  $("play").addEventListener("click", () => {
    if (!state.playing && state.t >= tEnd) state.t = tStart;
    setPlaying(!state.playing);
  });
  $("back").addEventListener("click", () => setTime(times[Math.max(0, frameAt(state.t - 1e-6) -
    (times[frameAt(state.t)] === state.t ? 1 : 0))]));
  $("fwd").addEventListener("click", () => setTime(times[Math.min(nF - 1, frameAt(state.t) + 1)]));
  $("speed").addEventListener("change", (e) => { state.speed = parseFloat(e.target.value); });
  state.speed = parseFloat($("speed").value);
  pick.addEventListener("change", () => select(pick.value === "" ? -1 : parseInt(pick.value, 10)));

  let drag = null;
  canvas.addEventListener("pointerdown", (e) => {
    drag = { x: e.clientX, y: e.clientY, ox: view.ox, oy: view.oy, moved: false };
  });
  window.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (drag.moved) { view.ox = drag.ox + dx; view.oy = drag.oy + dy; draw(); }
  });
  window.addEventListener("pointerup", (e) => {
    if (drag && !drag.moved) {
      const r = canvas.getBoundingClientRect();
      const px = e.clientX - r.left, py = e.clientY - r.top;
      let best = -1, bestD = Infinity;
      for (const d of drawn) {
        const dist = Math.hypot(d.x - px, d.y - py);
        if (dist <= d.r && dist < bestD) { best = d.u; bestD = dist; }
      }
      select(best);
    }
    drag = null;
  });
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    const px = e.clientX - r.left, py = e.clientY - r.top;
    const fitScale = Math.min(cssW / (ex1 - ex0), cssH / (ey1 - ey0));
    const wanted = view.scale * Math.exp(-e.deltaY * 0.0015);
    // From half the fitted map to 6 times it: beyond that the raster is only blur.
    const k = Math.min(6 * fitScale, Math.max(0.5 * fitScale, wanted)) / view.scale;
    view.ox = px - (px - view.ox) * k; view.oy = py - (py - view.oy) * k; view.scale *= k;
    draw();
  }, { passive: false });
  canvas.addEventListener("dblclick", () => { fit(); draw(); });
  window.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLSelectElement) return;
    if (e.key === " ") { e.preventDefault(); setPlaying(!state.playing); }
    if (e.key === "ArrowRight") $("fwd").click();
    if (e.key === "ArrowLeft") $("back").click();
  });
  window.addEventListener("resize", resize);

  // A small read-only hook for tests and notebooks: current time and a unit's screen position.
  window.kriegsspielReplay = Object.freeze({
    time: () => state.t,
    frames: () => nF,
    // units drawn now, by side index (ghosts, the last-seen outlines, are not counted)
    drawnBySide: () => D.sides.map((_, i) => drawn.filter((d) => D.units[d.u].side === i).length),
    ghosts: () => ghosts.length,
    // the force labels drawn on the objectives ("believed N enemy men" or "true N · M")
    objectiveLabels: () => intelDrawn.slice(),
    // every map label of the last redraw: kind (objective, hill, height or a feature kind), its
    // text (lines joined by a newline), whether it is shown, its box and its anchor in page
    // pixels (box null when no free spot was found at this zoom), and whether a leader line
    // joins them
    labels: () => {
      const r = canvas.getBoundingClientRect();
      return placed.map((q) => ({
        kind: q.lab.kind,
        text: q.lab.lines.map((l) => l.parts.map((p) => p.text).join("")).join("\n"),
        shown: q.box !== null,
        box: q.box && { x: r.left + q.box.x, y: r.top + q.box.y, w: q.box.w, h: q.box.h },
        anchor: { x: r.left + q.ax, y: r.top + q.ay },
        leader: q.lead >= 0,
      }));
    },
    // every unit symbol and ghost of the last redraw: the unit's id and index, whether it is a
    // ghost and whether it is fanned out, its box (frame, echelon mark and strength bar), the
    // centre it is drawn at and its true position, in page pixels
    units: () => {
      const r = canvas.getBoundingClientRect();
      return items.map((it) => ({
        id: D.units[it.u].id,
        unit: it.u,
        ghost: it.ghost,
        fanned: it.fanned,
        box: { x: r.left + it.x - it.bw / 2, y: r.top + it.y + it.dy - it.bh / 2, w: it.bw,
          h: it.bh },
        drawn: { x: r.left + it.x, y: r.top + it.y },
        true: { x: r.left + it.tx, y: r.top + it.ty },
      }));
    },
    view: () => state.view,
    // unit u's true position (interpolated) in page pixels, also when its symbol is fanned out
    unitScreen: (u) => {
      const p = unitAt(u, state.t);
      if (!p) return null;
      const r = canvas.getBoundingClientRect();
      return { x: r.left + sx(p.x), y: r.top + sy(p.y) };
    },
  });
  resize();
})();
