"""Synthetic battles on flat, open ground for the engine's tests (no scenario file needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import numpy as np

from kriegsspiel.engine.arrays import (
    COVER_FACTORS,
    BattleArrays,
    EventTables,
    TerrainArrays,
)
from kriegsspiel.engine.library import load_library
from kriegsspiel.engine.params import EngineParams

I64 = np.int64


def flat_terrain(size_m: float = 4000.0, cell_m: float = 20.0, sides: int = 2) -> TerrainArrays:
    """Open flat ground ("flat_bare": every QJM factor 1.0) with nothing impassable."""
    n = int(size_m / cell_m)
    lib = load_library()
    row = [lib.value(f"terrain.flat_bare.{c}") for c in COVER_FACTORS]
    speed = np.stack([np.full((n, n), 3.0), np.full((n, n), 17.0), np.full((n, n), 15.0)])
    return TerrainArrays(
        x0=-size_m / 2,
        y0=-size_m / 2,
        cell_m=cell_m,
        cover=np.zeros((n, n), dtype=np.int8),
        cover_names=("flat_bare",),
        factors=np.array([row]),
        speed=speed.astype(np.float32),
        passable=np.ones((sides, n, n), dtype=bool),
        elevation=np.zeros((n, n), dtype=np.float32),
        fields=(),
    )


def no_events(sides: int = 2, n_steps: int = 10_000) -> EventTables:
    e_i = np.zeros(0, dtype=I64)
    e_f = np.zeros(0)
    return EventTables(
        order_step=e_i,
        order_unit=e_i,
        order_action=e_i,
        order_target=np.zeros((0, 2)),
        order_objective=e_i,
        order_field=e_i,
        order_until=e_i,
        order_threshold=e_f,
        order_cond_objective=e_i,
        order_group=e_i,
        order_surprise=e_f,
        prog_start=e_i,
        prog_end=e_i,
        prog_unit=e_i,
        prog_target=np.zeros((0, 2)),
        prog_rounds=e_f,
        air_start=e_i,
        air_end=e_i,
        air_unit=e_i,
        air_target=np.zeros((0, 2)),
        air_sorties=e_f,
        air_bomb_kg=e_f,
        intel_step=e_i,
        intel_side=e_i,
        intel_enemy_men=e_f,
        intel_positions=e_i,
        ceasefire_step=np.full(sides, n_steps, dtype=I64),
    )


def battle(
    positions: list[tuple[float, float]],
    sides: list[int],
    men: list[float],
    fp: list[float],
    n_steps: int = 48,
    **overrides: Any,
) -> BattleArrays:
    """Infantry units with firepower ``fp`` (OLI units) at every range up to 1,000 m."""
    u = len(men)
    params = EngineParams.from_library(load_library())
    edges = np.array([250.0, 500.0, 1000.0])
    fire = np.repeat(np.asarray(fp, dtype=float)[:, None], edges.size, axis=1)
    arr = BattleArrays(
        name="synthetic",
        start=datetime(1938, 8, 6, 12, 0),
        step_minutes=5,
        n_steps=n_steps,
        side_ids=("red", "blue"),
        unit_ids=tuple(f"u{i}" for i in range(u)),
        objective_ids=(),
        side=np.asarray(sides, dtype=I64),
        utype=np.zeros(u, dtype=I64),
        mobility=np.zeros(u, dtype=I64),
        men0=np.asarray(men, dtype=float),
        vehicles0=np.zeros(u),
        armour_mm=np.zeros(u),
        crew=np.zeros(u),
        band_edges=edges,
        fp=fire,
        fp_at=np.zeros_like(fire),
        vehicle_fp_share=np.zeros(u),
        ind_fp=np.zeros(u),
        ind_range=np.zeros(u),
        rounds_per_hour=np.zeros(u),
        ammo0=np.zeros(u),
        resupply_per_hour=np.zeros(u),
        bomb_kg=np.zeros(u),
        pos0=np.asarray(positions, dtype=float),
        home=np.asarray(positions, dtype=float),
        home_field=np.full(u, -1, dtype=I64),
        posture0=np.full(u, 1, dtype=I64),
        arrive_step=np.zeros(u, dtype=I64),
        terrain=flat_terrain(),
        fog=np.zeros(n_steps, dtype=bool),
        rain=np.zeros(n_steps, dtype=bool),
        cloud=np.zeros(n_steps, dtype=bool),
        night=np.zeros(n_steps, dtype=bool),
        obj_center=np.zeros((0, 2)),
        obj_radius=np.zeros(0),
        obj_min_men=np.zeros(0),
        obj_frontage=np.zeros((2, 0)),
        events=no_events(2, n_steps),
        casualty_split=np.array([[0.25, 0.73, 0.02], [0.25, 0.73, 0.02]]),
        intel_enemy_men=np.array([100.0, 100.0]),
        intel_positions=np.array([False, False]),
        cev=np.ones(2),
        params=params,
    )
    arr = replace(arr, **overrides)
    if "obj_frontage" not in overrides:  # open ground all round every objective
        ring = arr.obj_radius + params.assault_range / 2
        arr = replace(arr, obj_frontage=np.tile(2 * np.pi * ring, (2, 1)))
    return arr
