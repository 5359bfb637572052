"""GeoTIFF elevation models: georeference, bilinear resampling, nodata, coverage and errors.

The GeoTIFFs are written here with tifffile from closed-form surfaces (a plane, a paraboloid,
a cone), so every expected height is known exactly.
"""

from __future__ import annotations

import hashlib
import json
import struct
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tifffile
from typer.testing import CliRunner

from kriegsspiel.cli import app
from kriegsspiel.errors import InputError
from kriegsspiel.scenario.loader import load
from kriegsspiel.scenario.problems import ScenarioError
from kriegsspiel.scenario.registry import shipped
from kriegsspiel.terrain import dem as dem_module
from kriegsspiel.terrain.dem import dem_elevation, read_geotiff, resample
from kriegsspiel.terrain.features import Dem, TerrainSpec
from kriegsspiel.terrain.geo import LocalGrid
from kriegsspiel.terrain.raster import build_terrain

LAT0, LON0 = 50.0, 10.0
GRID = LocalGrid(LAT0, LON0, 1000.0, 800.0, 20.0)
Surface = Callable[[np.ndarray, np.ndarray], np.ndarray]


def geokeys(model: int = 2, crs_key: int = 2048, crs: int = 4326, point: bool = False,
            extra: Sequence[tuple[int, int]] = ()) -> tuple[int, ...]:  # fmt: skip
    keys = [(1024, model), (1025, 2 if point else 1), (crs_key, crs), *extra]
    out = [1, 1, 0, len(keys)]
    for key, value in sorted(keys):
        out += [key, 0, 1, value]
    return tuple(out)


def write_dem(
    path: Path,
    heights: np.ndarray,
    west: float,
    north: float,
    dlon: float,
    dlat: float,
    *,
    point: bool = False,
    keys: tuple[int, ...] | None = None,
    nodata: str | None = None,
    drop: Sequence[int] = (),
    extratags: Sequence[tuple[int, str, int, Any, bool]] = (),
    compression: str | None = None,
) -> str:
    """Write ``heights`` (row 0 north) with its tiepoint at (west, north); return the SHA-256.

    With ``point`` the tiepoint is the centre of pixel (0, 0) (PixelIsPoint), otherwise its
    north-west corner (PixelIsArea).
    """
    tags: list[tuple[int, str, int, Any, bool]] = [
        (33550, "d", 3, (dlon, dlat, 0.0), False),
        (33922, "d", 6, (0.0, 0.0, 0.0, west, north, 0.0), False),
        (34735, "H", 0, keys or geokeys(point=point), False),
    ]
    if nodata is not None:
        tags.append((42113, "s", 0, nodata, False))
    tags = [t for t in tags if t[0] not in drop]
    fixed = [(c, d, len(v) if n == 0 and d == "H" else n, v, w) for c, d, n, v, w in tags]
    tifffile.imwrite(path, heights, extratags=[*fixed, *extratags], compression=compression)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sampled(surface: Surface, west: float, north: float, dlon: float, dlat: float,
            shape: tuple[int, int]) -> np.ndarray:  # fmt: skip
    """``surface(x, y)`` at the pixel centres of a pixel-is-area raster (row 0 north)."""
    lon = west + (np.arange(shape[1]) + 0.5) * dlon
    lat = north - (np.arange(shape[0]) + 0.5) * dlat
    x, y = GRID.to_xy(*np.meshgrid(lat, lon, indexing="ij"))
    return surface(x, y)


def frame(dlon: float, dlat: float, margin: float = 0.002) -> tuple[float, float, tuple[int, int]]:
    """West, north and shape of a raster that covers GRID with ``margin`` degrees to spare."""
    (s, n), (w, e) = (GRID.to_latlon([0, 0], [GRID.y0, -GRID.y0])[0],
                      GRID.to_latlon([GRID.x0, -GRID.x0], [0, 0])[1])  # fmt: skip
    west, north = float(w) - margin, float(n) + margin
    rows = int(np.ceil((float(n) - float(s) + 2 * margin) / dlat))
    cols = int(np.ceil((float(e) - float(w) + 2 * margin) / dlon))
    return west, north, (rows, cols)


def plane(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 100.0 + 0.03 * x - 0.05 * y


def cell_heights(surface: Surface) -> np.ndarray:
    cx, cy = GRID.centres()
    gx, gy = np.meshgrid(cx, cy)
    return surface(gx, gy)


def test_a_plane_is_reproduced_exactly_and_pixel_is_point_means_the_same(tmp_path: Path) -> None:
    # a plane in (x, y) is linear in (lon, lat) on the local grid, so bilinear is exact
    dlon, dlat = 0.0007, 0.0004
    west, north, shape = frame(dlon, dlat)
    z = sampled(plane, west, north, dlon, dlat, shape).astype(np.float64)
    write_dem(tmp_path / "area.tif", z, west, north, dlon, dlat)
    write_dem(tmp_path / "point.tif", z, west + dlon / 2, north - dlat / 2, dlon, dlat, point=True)
    area = resample(read_geotiff((tmp_path / "area.tif").read_bytes()), GRID)
    point = resample(read_geotiff((tmp_path / "point.tif").read_bytes()), GRID)
    np.testing.assert_allclose(area, cell_heights(plane), atol=1e-6)
    np.testing.assert_allclose(point, area, atol=1e-9)


def test_a_paraboloid_is_within_the_bilinear_error_bound(tmp_path: Path) -> None:
    c = 2e-4  # z = 180 - c r^2: |f_xx| = |f_yy| = 2c, error <= (hx^2 + hy^2) * 2c / 8

    def bowl(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return 180.0 - c * ((x - 120.0) ** 2 + (y + 60.0) ** 2)

    dlon, dlat = 0.0006, 0.0005
    west, north, shape = frame(dlon, dlat)
    z = sampled(bowl, west, north, dlon, dlat, shape).astype(np.float32)
    write_dem(tmp_path / "bowl.tif", z, west, north, dlon, dlat)
    got = resample(read_geotiff((tmp_path / "bowl.tif").read_bytes()), GRID)
    kx, ky = GRID.metres_per_degree
    bound = ((dlon * kx) ** 2 + (dlat * ky) ** 2) * 2 * c / 8 + 1e-3  # + float32 storage
    error = np.abs(got - cell_heights(bowl))
    assert error.max() <= bound
    assert error.max() > bound / 10  # the test can see a curvature error at all


def test_a_known_peak_lands_in_the_cell_that_holds_it(tmp_path: Path) -> None:
    px, py = 250.0 + 3.0, 150.0 + 2.0  # 3 m east, 2 m north of a cell centre, north-east
    peak_lat, peak_lon = GRID.to_latlon(px, py)
    dlon, dlat = 0.00004, 0.00003
    west0, north0, shape = frame(dlon, dlat)
    # shift the raster so that one pixel centre sits exactly on the peak
    west = float(peak_lon) - (np.floor((float(peak_lon) - west0) / dlon) + 0.5) * dlon
    north = float(peak_lat) + (np.floor((north0 - float(peak_lat)) / dlat) + 0.5) * dlat

    def cone(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return 300.0 - 0.5 * np.hypot(x - px, y - py)

    z = sampled(cone, west, north, dlon, dlat, (shape[0] + 2, shape[1] + 2))
    write_dem(tmp_path / "cone.tif", z, west, north, dlon, dlat)
    got = resample(read_geotiff((tmp_path / "cone.tif").read_bytes()), GRID)
    row, col = np.unravel_index(np.argmax(got), got.shape)
    assert (row, col) == tuple(int(i) for i in GRID.to_cell(px, py))
    assert got.max() == pytest.approx(300.0 - 0.5 * np.hypot(3.0, 2.0), abs=0.5)


def test_nodata_pixels_are_left_out(tmp_path: Path) -> None:
    dlon, dlat = 0.0007, 0.0004
    west, north, shape = frame(dlon, dlat)
    z = sampled(plane, west, north, dlon, dlat, shape)
    r, c = shape[0] // 2, shape[1] // 2
    z[r - 2 : r + 2, c - 2 : c + 2] = -9999.0
    data = (tmp_path / "tagged.tif", tmp_path / "untagged.tif")
    write_dem(data[0], z, west, north, dlon, dlat, nodata="-9999")
    write_dem(data[1], z, west, north, dlon, dlat)
    tagged = resample(read_geotiff(data[0].read_bytes()), GRID)
    by_key = resample(read_geotiff(data[1].read_bytes(), nodata=-9999.0), GRID)
    np.testing.assert_array_equal(tagged, by_key)
    exact = cell_heights(plane)
    lost = np.isnan(tagged)
    assert lost.any()  # cells whose four pixels all lie in the hole
    far = np.abs(tagged - exact) < 1e-6
    assert far.sum() + lost.sum() < tagged.size  # cells blended from the rim's valid pixels
    rim = ~far & ~lost
    # a renormalised blend of valid pixels stays within their range: a plane's pixels within
    # one pixel of the cell
    slack = 0.03 * dlon * GRID.metres_per_degree[0] + 0.05 * dlat * GRID.metres_per_degree[1]
    assert np.all(np.abs(tagged[rim] - exact[rim]) <= slack)
    with pytest.raises(InputError, match=r"-9999.*set nodata"):
        read_geotiff(data[1].read_bytes())  # undeclared: out of the height range


def _spec(dem: dict[str, Any], **extra: Any) -> TerrainSpec:
    return TerrainSpec.model_validate(
        {
            "anchor": {"lat": LAT0, "lon": LON0},
            "size_m": [GRID.width_m, GRID.height_m],
            "cell_m": GRID.cell_m,
            "base_elevation_m": 7,
            "dem": {"assumption": True, "note": "synthetic", **dem},
            **extra,
        }
    )


HILL = {
    "id": "H",
    "peak": {"lat": LAT0, "lon": LON0 + 0.004},
    "profile": [[0, 60], [150, 7]],
    "assumption": True,
}


def test_the_dem_replaces_the_built_elevation_and_outside_falls_back(tmp_path: Path) -> None:
    dlon, dlat = 0.0007, 0.0004
    west, north, shape = frame(dlon, dlat)
    half = shape[1] // 2  # the western half only: the map's east is not covered
    z = sampled(plane, west, north, dlon, dlat, shape)[:, :half]
    sha = write_dem(tmp_path / "west.tif", z, west, north, dlon, dlat)
    strict = _spec({"path": "west.tif", "sha256": sha}, hills=[HILL])
    with pytest.raises(InputError, match=r"terrain\.dem: a height for every map cell: \d+ of"):
        build_terrain(strict, base_dir=tmp_path)
    lenient = _spec({"path": "west.tif", "sha256": sha, "outside": "features"}, hills=[HILL])
    terrain = build_terrain(lenient, base_dir=tmp_path)
    without = build_terrain(lenient.model_copy(update={"dem": None}))
    dem = dem_elevation(lenient.dem, GRID, tmp_path)  # type: ignore[arg-type]
    covered = ~np.isnan(dem)
    assert covered.any() and (~covered).any()
    np.testing.assert_array_equal(terrain.elevation[covered], dem[covered])
    np.testing.assert_array_equal(terrain.elevation[~covered], without.elevation[~covered])
    assert without.elevation.max() == 60  # the hill stands in the uncovered east
    slope = np.degrees(np.arctan(np.hypot(*np.gradient(terrain.elevation, GRID.cell_m))))
    np.testing.assert_array_equal(terrain.slope_deg, slope)


def _lzw(path: Path) -> None:
    """Mark an uncompressed little-endian TIFF as LZW-compressed (tag 259 := 5): a bad stream."""
    raw = bytearray(path.read_bytes())
    ifd = struct.unpack_from("<I", raw, 4)[0]
    for i in range(struct.unpack_from("<H", raw, ifd)[0]):
        entry = ifd + 2 + 12 * i
        if struct.unpack_from("<H", raw, entry)[0] == 259:
            struct.pack_into("<H", raw, entry + 8, 5)
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize("compression", ["lzw", "deflate", "packbits"])
def test_compressed_files_read_as_the_uncompressed_one(tmp_path: Path, compression: str) -> None:
    z = np.arange(600, dtype=np.float32).reshape(20, 30) / 10.0
    args = (LON0 - 0.02, LAT0 + 0.01, 0.0015, 0.001)
    plain, packed = tmp_path / "plain.tif", tmp_path / "packed.tif"
    write_dem(plain, z, *args)
    write_dem(packed, z, *args, compression=compression)
    assert packed.read_bytes() != plain.read_bytes()  # really compressed
    a, b = read_geotiff(plain.read_bytes()), read_geotiff(packed.read_bytes())
    np.testing.assert_array_equal(a.heights, b.heights)
    assert (a.lon0, a.lat0, a.dlon, a.dlat) == (b.lon0, b.lat0, b.dlon, b.dlat)


def _small(path: Path, **kw: Any) -> str:
    z = np.full((20, 30), 50.0, dtype=np.float32)
    return write_dem(path, z, LON0 - 0.02, LAT0 + 0.01, 0.0015, 0.001, **kw)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, r"terrain\.dem\.path: an existing file"),
        (lambda p: p.write_text("not an image"), r"a readable GeoTIFF file \(not a TIFF"),
        (lambda p: tifffile.imwrite(p, np.zeros((5, 5), np.float32)), "GeoKeyDirectory"),
        (lambda p: _small(p, drop=[33922]), "ModelTiepoint"),
        (lambda p: _small(p, drop=[33550]), "ModelPixelScale"),
        (
            lambda p: _small(p, keys=geokeys(model=1, crs_key=3072, crs=32652)),
            r"projected \(EPSG:32652\)",
        ),
        (lambda p: _small(p, keys=geokeys(crs=4269)), "CRS is EPSG:4269"),
        (lambda p: _small(p, keys=geokeys(extra=[(4099, 9002)])), "metres"),
        (
            lambda p: _small(p, extratags=[(34264, "d", 16, tuple(range(16)), False)]),
            "ModelTransformation",
        ),
        (lambda p: tifffile.imwrite(p, np.zeros((5, 5, 3), np.uint8)), "single band"),
        (lambda p: (_small(p), _lzw(p)), r"a readable GeoTIFF file \(.*LZW"),
        (lambda p: _small(p, nodata="none"), "numeric GDAL_NODATA"),
    ],
)
def test_unusable_files_are_one_line_input_errors(
    tmp_path: Path, make: Callable[[Path], object], message: str
) -> None:
    path = tmp_path / "dem.tif"
    make(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    with pytest.raises(InputError, match=message) as err:
        dem_elevation(Dem(path="dem.tif", sha256=sha, assumption=True), GRID, tmp_path)
    assert "\n" not in str(err.value)


def test_the_sha256_pins_the_file(tmp_path: Path) -> None:
    sha = _small(tmp_path / "dem.tif")
    with pytest.raises(InputError, match=f'sha256 = "{sha}"'):
        dem_elevation(Dem(path="dem.tif", assumption=True), GRID, tmp_path)
    with pytest.raises(InputError, match=f"which is now {sha}"):
        dem_elevation(Dem(path="dem.tif", sha256="0" * 64, assumption=True), GRID, tmp_path)


def test_size_bounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sha = _small(tmp_path / "dem.tif")  # 20 x 30 pixels
    dem = Dem(path="dem.tif", sha256=sha, assumption=True)
    monkeypatch.setattr(dem_module, "MAX_PIXELS", 599)
    with pytest.raises(InputError, match="at most 599 pixels"):
        dem_elevation(dem, GRID, tmp_path)
    monkeypatch.setattr(dem_module, "MAX_BYTES", 1000)
    with pytest.raises(InputError, match="at most 1000 bytes"):
        dem_elevation(dem, GRID, tmp_path)


# --- a scenario that uses a DEM, through the command line ---------------------------------


def _scenario(folder: Path, dem_table: str) -> Path:
    """example-meeting with a ``[terrain.dem]`` table, written into ``folder``."""
    text = shipped()["example-meeting"].read_text(encoding="utf-8")
    path = folder / "meeting.toml"
    path.write_text(text.replace("\n[weather]\n", f"\n{dem_table}\n[weather]\n", 1), "utf-8")
    return path


def _meeting_dem(folder: Path) -> str:
    # degrees that cover the 3 km map with a margin
    span = load("example-meeting").terrain.size_m[0] / 2 / 70_000 + 0.01
    dlon = dlat = 0.0005
    n = int(2 * span / dlat)
    lon = LON0 - span + (np.arange(n) + 0.5) * dlon
    lat = LAT0 + span - (np.arange(n) + 0.5) * dlat
    z = 40.0 + 2000.0 * (lon[None, :] - LON0) + 0.0 * lat[:, None]  # ~2.8 m per 100 m east
    return write_dem(folder / "dem" / "meeting.tif", z, LON0 - span, LAT0 + span, dlon, dlat)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from kriegsspiel.cli import main; sys.argv[0] = 'kriegsspiel'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )


def test_check_and_compile_use_the_dem_relative_to_the_scenario(tmp_path: Path) -> None:
    (tmp_path / "dem").mkdir()
    sha = _meeting_dem(tmp_path)
    table = f'[terrain.dem]\npath = "dem/meeting.tif"\nsha256 = "{sha}"\nsource = "FM"\n'
    path = _scenario(tmp_path, table)
    res = CliRunner().invoke(app, ["check", str(path), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["ok"]
    res = CliRunner().invoke(app, ["check", str(path), "--set", "terrain.base_elevation_m=9"])
    assert res.exit_code == 0, res.output  # overrides keep the scenario's folder
    from kriegsspiel.engine.compile import compile_scenario

    sc = load(path)
    spec = sc.terrain
    grid = LocalGrid(spec.anchor.lat, spec.anchor.lon, *spec.size_m, spec.cell_m)
    heights = dem_elevation(spec.dem, grid, tmp_path)  # type: ignore[arg-type]
    terrain = build_terrain(spec)  # the pond and the stream set no level of their own
    np.testing.assert_array_equal(terrain.elevation, heights)
    compiled = compile_scenario(sc)
    np.testing.assert_array_equal(compiled.terrain.elevation, terrain.elevation.astype(np.float32))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('path = "nowhere.tif"', "terrain.dem.path: an existing file"),
        ('path = "dem/meeting.tif"', 'sha256 = "'),
        ('path = "dem/notes.txt"\nsha256 = "{notes}"', "a readable GeoTIFF file"),
    ],
)
def test_bad_dem_is_exit_2_in_check_and_run(tmp_path: Path, table: str, message: str) -> None:
    (tmp_path / "dem").mkdir()
    _meeting_dem(tmp_path)
    (tmp_path / "dem" / "notes.txt").write_text("heights to follow", "utf-8")
    notes = hashlib.sha256(b"heights to follow").hexdigest()
    path = _scenario(tmp_path, f'[terrain.dem]\n{table.format(notes=notes)}\nsource = "FM"\n')
    proc = _cli("check", str(path))
    assert proc.returncode == 2 and proc.stdout == "" and "Traceback" not in proc.stderr
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    out = tmp_path / "out"
    proc = _cli("run", str(path), "--reps", "2", "--out", str(out), "--quiet")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists() or not any(out.iterdir())


def test_the_dem_needs_provenance_from_sources(tmp_path: Path) -> None:
    path = _scenario(tmp_path, '[terrain.dem]\npath = "x.tif"\nsource = "NOPE"\n')
    with pytest.raises(ScenarioError, match=r"terrain\.dem\.source: source key 'NOPE'"):
        load(path)
    path = _scenario(tmp_path, '[terrain.dem]\npath = "x.tif"\n')
    with pytest.raises(ScenarioError, match=r"terrain\.dem: needs `source"):
        load(path)
