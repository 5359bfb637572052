"""Terrain speed: raster build, line of sight (pairs per second), viewshed, cost-to-go, steps.

Uses the Khasan feature set of the terrain tests (khasan-terrain.md §7, 8 km x 8 km).
Run: ``python benchmarks/bench_terrain.py [--json]``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "terrain"))

from khasan_fixture import khasan_spec

from kriegsspiel.terrain.features import Mobility
from kriegsspiel.terrain.los import line_of_sight, viewshed
from kriegsspiel.terrain.movement import cost_to_go, step_toward
from kriegsspiel.terrain.raster import SideBorder, build_terrain

SIDES = {
    "soviet": SideBorder("BORDER_1938_SOVIET", "east"),
    "japanese": SideBorder("BORDER_1938_SOVIET", "west"),
}


def best(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    out: dict[str, float] = {}
    for cell in (20.0, 10.0):
        spec = khasan_spec(cell_m=cell)
        out[f"build_s_{cell:.0f}m"] = best(lambda spec=spec: build_terrain(spec, sides=SIDES))
    terrain = build_terrain(khasan_spec(cell_m=20.0), sides=SIDES)
    rng = np.random.default_rng(1)
    n = 200_000
    obs = rng.uniform(-3800, 3800, (n, 2))
    tgt = obs + rng.uniform(-1500, 1500, (n, 2))
    out["los_pairs_per_s_up_to_2km"] = n / best(lambda: line_of_sight(terrain, obs, tgt), 2)
    far = rng.uniform(-3800, 3800, (n // 4, 2))
    out["los_pairs_per_s_anywhere"] = (n // 4) / best(
        lambda: line_of_sight(terrain, obs[: n // 4], far), 2
    )
    z = terrain.points["Z_SUMMIT"]
    out["viewshed_s"] = best(
        lambda: viewshed(terrain.__class__(**{**terrain.__dict__, "_cache": {}}), z)
    )
    for mob in Mobility:
        fresh = build_terrain(khasan_spec(cell_m=20.0), sides=SIDES)
        t0 = time.perf_counter()
        cost_to_go(fresh, z, mob, "soviet", radius_m=60)
        out[f"cost_to_go_cold_s_{mob.value}"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        cost_to_go(fresh, terrain.points["B_SUMMIT"], mob, "soviet", radius_m=60)
        out[f"cost_to_go_graph_cached_s_{mob.value}"] = time.perf_counter() - t0
    field = cost_to_go(terrain, z, Mobility.FOOT, "soviet", radius_m=60)
    x = np.full((1000, 50), 1500.0)
    y = np.full((1000, 50), 2500.0)
    out["step_toward_s_per_50k_units"] = best(lambda: step_toward(x, y, field, 300.0))
    if "--json" in sys.argv:
        print(json.dumps(out, indent=2))
    else:
        for key, value in out.items():
            print(f"{key:40s} {value:12.4g}")


if __name__ == "__main__":
    main()
