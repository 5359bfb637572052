"""Khasan terrain fixture: literal data copied from khasan-terrain.md §7 (points §7.1, polygons
§7.2, lines §7.3, elevation profiles §7.4) of the project's research notes. Test data only."""

from __future__ import annotations

from typing import Any

from kriegsspiel.terrain.features import TerrainSpec


def _pairs(text: str) -> list[tuple[float, float]]:
    return [(float(a), float(b)) for a, b in (p.split(",") for p in text.split(";") if p.strip())]


# §7.2 polygons
LAKE_KHASAN = _pairs(
    "42.43940, 130.61500; 42.44203, 130.61786; 42.44437, 130.61861; 42.44665, 130.61887;"
    "42.44888, 130.61880; 42.45107, 130.61845; 42.45323, 130.61787; 42.45536, 130.61706;"
    "42.45746, 130.61604; 42.45954, 130.61480; 42.46158, 130.61333; 42.46357, 130.61154;"
    "42.46540, 130.60850; 42.46289, 130.60654; 42.46056, 130.60583; 42.45826, 130.60545;"
    "42.45600, 130.60530; 42.45377, 130.60536; 42.45157, 130.60563; 42.44939, 130.60613;"
    "42.44725, 130.60687; 42.44515, 130.60788; 42.44309, 130.60923; 42.44110, 130.61105"
)
MARSH_S = _pairs(
    "42.43940, 130.61500; 42.43920, 130.62150; 42.43650, 130.63000; 42.43200, 130.63900;"
    "42.42600, 130.64400; 42.42150, 130.64200; 42.41979, 130.63928; 42.42899, 130.62956;"
    "42.43242, 130.62632; 42.43582, 130.61844; 42.43750, 130.61500"
)
MARSH_N = _pairs(
    "42.46600, 130.60600; 42.47000, 130.60200; 42.47400, 130.60300; 42.47400, 130.61900;"
    "42.47000, 130.62100; 42.46600, 130.61300"
)
MARSH_E = _pairs(
    "42.44200, 130.61900; 42.44700, 130.62200; 42.45500, 130.62100; 42.46000, 130.61750;"
    "42.46400, 130.61400; 42.46450, 130.62700; 42.45600, 130.62900; 42.44700, 130.62850;"
    "42.44200, 130.62600"
)
# §7.3 lines
BORDER_1938_SOVIET = _pairs(
    "42.41979, 130.63928; 42.42899, 130.62956; 42.43242, 130.62632; 42.43582, 130.61844;"
    "42.43497, 130.61146; 42.43590, 130.61100; 42.43707, 130.61009; 42.44371, 130.60004;"
    "42.45150, 130.58900; 42.45995, 130.58483; 42.46942, 130.58688; 42.48386, 130.59333"
)
TUMEN = _pairs(
    "42.50566, 130.55108; 42.49378, 130.55213; 42.48999, 130.55653; 42.48311, 130.57930;"
    "42.47799, 130.58219; 42.47044, 130.57687; 42.45257, 130.56885; 42.44801, 130.56766;"
    "42.43663, 130.57009; 42.43339, 130.57449; 42.43146, 130.60466; 42.42648, 130.62125;"
    "42.42044, 130.63348; 42.41816, 130.63721"
)
T3_SOUTH = _pairs(
    "42.42833, 130.64556; 42.43200, 130.63400; 42.43700, 130.62500; 42.43900, 130.61700;"
    "42.43720, 130.61280"
)
# §7.4 profiles (height by distance from the summit)
Z_EAST = [(0, 155), (30, 130), (100, 100), (200, 70), (350, 35), (480, 8)]
Z_WEST = [(0, 155), (100, 105), (250, 65), (450, 30), (700, 8)]
B_PROFILE = [(0, 77), (60, 65), (200, 40), (350, 15), (450, 6)]

# §7.1 points
POINTS = {
    "Z_SUMMIT": (42.43590, 130.61100, 155.0),
    "Z_N_CREST": (42.43707, 130.61009, 150.0),
    "Z_S_CREST": (42.43497, 130.61146, 150.0),
    "B_SUMMIT": (42.45150, 130.58900, 77.0),
    "SADDLE_ZB": (42.44371, 130.60004, 45.0),
    "LAKE_SOUTH_TIP": (42.43940, 130.61500, 4.0),
}


def khasan_spec(cell_m: float = 20.0, **extra: Any) -> TerrainSpec:
    est = {"assumption": True, "note": "khasan-terrain.md §7 [EST]"}
    data: dict[str, Any] = {
        "anchor": {"lat": 42.43590, "lon": 130.61100},
        "size_m": [8000, 8000],
        "cell_m": cell_m,
        "base_elevation_m": 5.0,
        "points": [
            {"id": k, "lat": la, "lon": lo, "height_m": {"value": h, "source": "T"}, "source": "T"}
            for k, (la, lo, h) in POINTS.items()
        ],
        "hills": [
            {
                "id": "ZAOZERNAYA",
                "peak": "Z_SUMMIT",
                **est,
                "bearings": [
                    {"bearing_deg": 45, "profile": Z_EAST},
                    {"bearing_deg": 225, "profile": Z_WEST},
                ],
            },
            {"id": "BEZYMYANNAYA", "peak": "B_SUMMIT", "profile": B_PROFILE, **est},
        ],
        "ridges": [
            {
                "id": "RIDGE_ZB",
                **est,
                "half_width_m": 250,
                "vertices": [
                    POINTS["Z_N_CREST"][:2],
                    POINTS["SADDLE_ZB"][:2],
                    POINTS["B_SUMMIT"][:2],
                ],
                "heights_m": [150, 45, 77],
            },
        ],
        "polygons": [
            {"id": "MARSH_S", "cover": "marsh", "vertices": MARSH_S, "surface_m": _q(3.5), **est},
            {"id": "MARSH_N", "cover": "marsh", "vertices": MARSH_N, "surface_m": _q(3.5), **est},
            {"id": "MARSH_E", "cover": "marsh", "vertices": MARSH_E, "surface_m": _q(3.5), **est},
            {
                "id": "LAKE_KHASAN",
                "cover": "water",
                "vertices": LAKE_KHASAN,
                "surface_m": _q(4.0),
                **est,
            },
        ],
        "lines": [
            {
                "id": "TUMEN",
                "kind": "river",
                "vertices": TUMEN,
                "width_m": _q(250.0),
                "surface_m": _q(1.5),
                **est,
            },
            {"id": "T3", "kind": "track", "vertices": T3_SOUTH, **est},
            {"id": "BORDER_1938_SOVIET", "kind": "border", "vertices": BORDER_1938_SOVIET, **est},
        ],
    }
    data.update(extra)
    return TerrainSpec.model_validate(data)


def _q(value: float) -> dict[str, Any]:
    return {"value": value, "assumption": True, "low": value - 1, "high": value + 1}
