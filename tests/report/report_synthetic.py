"""Small synthetic report and replay inputs (no engine needed)."""

from __future__ import annotations

import numpy as np

from kriegsspiel.report.data import (
    Assumption,
    Checkpoint,
    Compare,
    CompareRow,
    ControlSeries,
    LossMetric,
    Manifest,
    ReportData,
    ScenarioMeta,
    Side,
)
from kriegsspiel.report.map_image import draw_contours
from kriegsspiel.report.replay_data import (
    EventLog,
    MapFeature,
    MapImage,
    ReplayData,
    ReplayObjective,
    ReplayUnit,
)
from kriegsspiel.terrain.render import hillshade

XSS = "<img src=x onerror=alert(1)>"
SIDES = (Side("east", "Eastern army", "#c0392b"), Side("west", "Western army", "#2c5f8a"))


def report_data(*, partial: bool = False, name: str = "demo", reps: int = 200) -> ReportData:
    rng = np.random.default_rng(3)
    times = tuple(f"1938-08-{d:02d}T{h:02d}:00" for d in range(1, 4) for h in range(0, 24, 3))
    n = len(times)
    ramp = np.linspace(0.0, 0.9, n)
    control = (
        ControlSeries("hill-a", "Hill A", times, np.c_[ramp, (1 - ramp) * 0.8]),
        ControlSeries("hill-b", XSS, times, np.c_[ramp[::-1] * 0.5, ramp * 0.4]),
    )
    losses = (
        LossMetric(
            "east",
            "killed",
            rng.poisson(50, reps).astype(float),
            recorded=48,
            recorded_low=40,
            recorded_high=60,
            source="S1",
        ),
        LossMetric("west", "killed", quantiles={0.05: 10.0, 0.5: 20.0, 0.95: 35.0}, recorded=25),
        LossMetric("east", "tanks_disabled", rng.poisson(8, reps).astype(float)),
    )
    meta = ScenarioMeta(
        name,
        f"Demo battle {XSS}",
        SIDES,
        {"S1": f"A source {XSS}"},
        (Assumption("units[0].men", 100, 80, 120, XSS),),
        (),
        "1938-08-01T00:00",
        "1938-08-03T21:00",
    )
    return ReportData(
        meta,
        Manifest(7, "0.1.0", "deadbeef", reps, partial, 1000 if partial else None),
        control,
        (Checkpoint("1938-08-02T12:00", "hill-a", "west", "recorded", "S1"),),
        losses,
        Compare("baseline", "variant", (CompareRow("east killed", 50, 40, -10, -14, -6, 0.02),)),
    )


def replay_data(*, days: float = 1.0, step_min: float = 15.0, unit_name: str = XSS) -> ReplayData:
    """Four units crossing a 4 km map with two hills, a lake and a border."""
    size, cell = 4000.0, 40.0
    g = np.arange(0, size, cell) + cell / 2
    xx, yy = np.meshgrid(g, g)  # row 0 = south
    elev = 20 + 90 * np.exp(-((xx - 1200) ** 2 + (yy - 2800) ** 2) / 4e5)
    elev += 60 * np.exp(-((xx - 2600) ** 2 + (yy - 1400) ** 2) / 3e5)
    lake = (xx - 800) ** 2 / 6e5 + (yy - 1000) ** 2 / 2e5 < 1
    cover = np.where(lake, 1, 0)
    meadow = np.array([214.0, 226.0, 196.0]) * (0.55 + 0.6 * hillshade(elev, cell))[..., None]
    relief = draw_contours(meadow, elev, 20.0)
    relief[cover == 1] = (150, 190, 225)
    rgb = np.clip(relief[::-1], 0, 255).astype(np.uint8)  # north up
    times = np.arange(0.0, days * 1440 + 1e-9, step_min)
    n_f = times.size
    units = (
        ReplayUnit("u0", unit_name, "east", "infantry", "battalion", 600),
        ReplayUnit("u1", "East tanks", "east", "tank", "company", 30, "tanks"),
        ReplayUnit("u2", "West rifles", "west", "infantry", "company", 150),
        ReplayUnit("u3", "West guns", "west", "artillery", "battalion", 12, "guns"),
    )
    s = np.linspace(0, 1, n_f)[:, None]
    x0 = np.array([3500.0, 3600.0, 1200.0, 600.0])
    y0 = np.array([3000.0, 2000.0, 2800.0, 3400.0])
    x1 = np.array([1400.0, 2500.0, 1300.0, 600.0])
    y1 = np.array([2700.0, 1500.0, 2900.0, 3400.0])
    x = x0 + (x1 - x0) * s
    y = y0 + (y1 - y0) * s
    strength0 = np.array([u.strength0 for u in units])
    strength = strength0 * (1 - np.array([0.3, 0.5, 0.6, 0.1]) * s)
    x[: n_f // 4, 1] = np.nan  # the tanks arrive later
    state = np.zeros((n_f, 4), np.int64)
    state[n_f // 2 :, 0] = 1
    order = np.zeros((n_f, 4), np.int64)
    order[:, 2:] = 2
    order[n_f // 3 :, 0] = 1
    holder = np.zeros((n_f, 2), np.int64)
    holder[:, 0] = np.where(s[:, 0] < 0.7, 1, np.where(s[:, 0] < 0.8, -1, 0))
    holder[:, 1] = 1
    t_ev = np.arange(30.0, times[-1], 45.0)
    k = t_ev.size
    kind = np.arange(k) % 3
    events = EventLog(
        t_ev,
        kind,
        np.where(kind == 2, -1, np.where(kind == 1, 3, 0)),
        np.full(k, 0),
        np.full(k, 2000.0),
        np.full(k, 2800.0),
        np.full(k, 4.0),
    )
    features = (
        MapFeature(
            "lake",
            f"Lake {XSS}",
            np.c_[
                800 + 770 * np.cos(np.linspace(0, 6.2, 24)),
                1000 + 440 * np.sin(np.linspace(0, 6.2, 24)),
            ],
            closed=True,
        ),
        MapFeature("border", "border", np.array([[1800, 0], [1900, 2000], [1700, 4000]])),
        MapFeature("hill", "Hill A", np.array([[1200, 2800]]), label="110 m"),
        MapFeature("hill", "Hill B", np.array([[2600, 1400]]), label="80 m"),
    )
    return ReplayData(
        title=f"Demo {XSS}",
        scenario="demo",
        rep=3,
        start="1938-08-01T00:00",
        sides=SIDES,
        map=MapImage(rgb, (0.0, size, 0.0, size)),
        units=units,
        times=times,
        x=x,
        y=y,
        strength=strength,
        state=state,
        order=order,
        states=("defending", "attacking"),
        orders=("advance on Hill A", f"assault {XSS}", "hold"),
        objectives=(
            ReplayObjective("hill-a", "Hill A", 1200, 2800, 250),
            ReplayObjective("hill-b", "Hill B", 2600, 1400, 200),
        ),
        holder=holder,
        events=events,
        features=features,
        air_units=(ReplayUnit("air", "Bomber group", "east", "air", "regiment", 60, "aircraft"),),
    )
