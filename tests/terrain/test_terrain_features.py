import subprocess
import sys

import pytest
from pydantic import ValidationError

from kriegsspiel.terrain.features import LandCover, Mobility, TerrainSpec

FRAME = {"anchor": {"lat": 42.4359, "lon": 130.611}, "size_m": [8000, 8000], "cell_m": 20}


def spec(**extra: object) -> TerrainSpec:
    return TerrainSpec.model_validate({**FRAME, **extra})


def test_features_accept_sourced_heights_and_collect_source_keys() -> None:
    s = spec(
        points=[
            {
                "id": "Z",
                "lat": 42.4359,
                "lon": 130.611,
                "source": "T",
                "height_m": {"value": 155, "source": "S1"},
            }
        ],
        hills=[{"id": "ZH", "peak": "Z", "profile": [[0, 155], [480, 8]], "assumption": True}],
        speeds_kmh={"tracked": {"marsh": {"value": 3.5, "source": "S20", "low": 3, "high": 4}}},
    )
    assert s.source_keys() == {"T", "S1", "S20"}
    assert s.speeds_kmh[Mobility.TRACKED][LandCover.MARSH].value == 3.5


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"base_elevation_m": True}, "not true/false"),
        ({"cell_m": 1, "size_m": [8000, 8000]}, "cells"),
        ({"points": [{"id": "A", "lat": 1, "lon": 2}]}, "source"),
        (
            {"hills": [{"id": "H", "peak": "NOPE", "profile": [[0, 9], [5, 1]], "source": "x"}]},
            "unknown point",
        ),
        (
            {
                "hills": [
                    {
                        "id": "H",
                        "peak": {"lat": 1, "lon": 2},
                        "profile": [[1, 9], [5, 1]],
                        "source": "x",
                    }
                ]
            },
            "distance 0",
        ),
        (
            {
                "hills": [
                    {
                        "id": "H",
                        "peak": {"lat": 1, "lon": 2},
                        "profile": [[0, 9], [0, 1]],
                        "source": "x",
                    }
                ]
            },
            "increase",
        ),
        (
            {
                "polygons": [
                    {
                        "id": "P",
                        "cover": "lava",
                        "vertices": [[1, 2], [1, 3], [2, 2]],
                        "source": "x",
                    }
                ]
            },
            "cover",
        ),
        (
            {
                "lines": [
                    {
                        "id": "R",
                        "kind": "road",
                        "vertices": [[1, 2], [1, 3]],
                        "fords": ["A"],
                        "source": "x",
                    }
                ]
            },
            "fords",
        ),
        (
            {
                "points": [{"id": "A", "lat": 1, "lon": 2, "source": "x"}],
                "lines": [{"id": "A", "kind": "road", "vertices": [[1, 2], [1, 3]], "source": "x"}],
            },
            "duplicate",
        ),
        ({"wrong": 1}, "Extra inputs"),
    ],
)
def test_bad_terrain_is_rejected_with_a_reason(extra: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        spec(**extra)


def test_models_are_frozen() -> None:
    s = spec()
    with pytest.raises(ValidationError):
        s.cell_m = 10  # type: ignore[misc]


def test_terrain_features_import_on_their_own() -> None:
    # terrain.features imports scenario.quantity; a fresh interpreter catches an import cycle.
    code = "import kriegsspiel.terrain.features, kriegsspiel.terrain"
    subprocess.run([sys.executable, "-c", code], check=True)
