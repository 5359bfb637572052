"""Elevation from a GeoTIFF digital elevation model (``[terrain.dem]``).

The file is read with ``tifffile`` (no GDAL): one band of heights in metres on a geographic
WGS 84 grid (EPSG:4326, degrees of longitude and latitude), georeferenced by the GeoTIFF tags
ModelPixelScale (33550), ModelTiepoint (33922, one tiepoint) and GeoKeyDirectory (34735).
Projected grids (UTM and the like) are refused with the CRS named: reproject them to EPSG:4326
first (``gdalwarp -t_srs EPSG:4326``). Pixel-is-area (default) and pixel-is-point rasters are
both understood; rotated grids (ModelTransformation) are not.

Resampling: each map cell's centre is converted to latitude/longitude and its height is the
bilinear blend of the four pixel centres around it. Missing pixels (the GDAL_NODATA tag, the
scenario's ``nodata``, or NaN) are left out and the weights of the others renormalised; a cell
whose contributing pixels are all missing, or whose centre lies outside the raster's footprint
(the pixel centres plus half a pixel, where the edge pixels' heights hold), has no height.

Bounds: files of at most :data:`MAX_BYTES` bytes and :data:`MAX_PIXELS` pixels (checked from
the header, before any pixel is decoded); heights outside -500 to 9000 m are refused (an
undeclared nodata value such as -32768 shows up here).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tifffile
from numpy.typing import NDArray

from kriegsspiel.errors import InputError
from kriegsspiel.terrain.features import Dem
from kriegsspiel.terrain.geo import LocalGrid

__all__ = ["MAX_BYTES", "MAX_PIXELS", "GeoRaster", "dem_elevation", "read_geotiff", "resample"]

FloatArray = NDArray[np.float64]

MAX_BYTES = 200_000_000
"""Largest DEM file accepted (bytes)."""

MAX_PIXELS = 25_000_000
"""Largest DEM accepted (rows times columns)."""

LOWEST_M, HIGHEST_M = -500.0, 9000.0
"""Heights outside this range are refused."""

_PIXEL_SCALE, _TIEPOINT, _TRANSFORMATION, _GEOKEYS, _GDAL_NODATA = (
    33550,
    33922,
    34264,
    34735,
    42113,
)
_MODEL_TYPE, _RASTER_TYPE, _GEOGRAPHIC_CRS, _ANGULAR_UNITS, _PROJECTED_CRS, _VERTICAL_UNITS = (
    1024,
    1025,
    2048,
    2054,
    3072,
    4099,
)
_WGS84, _DEGREE, _METRE, _USER_DEFINED = 4326, 9102, 9001, 32767
_PIXEL_IS_POINT = 2
_FIELD = "terrain.dem"


@dataclass(frozen=True)
class GeoRaster:
    """Heights on a regular latitude/longitude grid (row 0 is the northern edge, as stored).

    Attributes:
        heights: ``(rows, cols)`` heights in metres; NaN where missing.
        lon0: longitude of the centre of column 0 (degrees).
        lat0: latitude of the centre of row 0 (degrees).
        dlon: degrees of longitude per column (eastward, > 0).
        dlat: degrees of latitude per row (southward, > 0).
    """

    heights: FloatArray
    lon0: float
    lat0: float
    dlon: float
    dlat: float


def dem_elevation(dem: Dem, grid: LocalGrid, base_dir: Path) -> FloatArray:
    """Heights of the DEM on ``grid`` (NaN where it has none and ``outside = "features"``).

    Raises:
        InputError: the file is missing, too big, not a readable GeoTIFF, not pinned by its
            ``sha256``, not georeferenced on EPSG:4326, or (``outside = "error"``) leaves map
            cells without a height.
    """
    path = Path(dem.path)
    path = path if path.is_absolute() else base_dir / path
    if not path.is_file():
        raise InputError(
            f"{_FIELD}.path", "an existing file (relative to the scenario file)", str(path)
        )
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"{_FIELD}.path", f"a file of at most {MAX_BYTES} bytes", str(path))
    with path.open("rb") as file:  # at most the bound, even if the file grew since
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(f"{_FIELD}.path", f"a file of at most {MAX_BYTES} bytes", str(path))
    digest = hashlib.sha256(data).hexdigest()
    if dem.sha256 is None:
        raise InputError(
            f"{_FIELD}.sha256",
            f'the file\'s SHA-256, so the content hash pins the heights: sha256 = "{digest}"',
        )
    if dem.sha256.lower() != digest:
        raise InputError(
            f"{_FIELD}.sha256", f"the SHA-256 of {path.name}, which is now {digest}", dem.sha256
        )
    heights = resample(read_geotiff(data, dem.nodata), grid)
    missing = np.isnan(heights)
    if dem.outside == "error" and missing.any():
        rows, cols = np.nonzero(missing)
        lat, lon = grid.to_latlon(*grid.cell_centre(rows[0], cols[0]))
        raise InputError(
            _FIELD,
            f"a height for every map cell: {rows.size} of {missing.size} cells lie outside "
            f"the DEM or on nodata pixels (first at lat {float(lat):.5f}, lon {float(lon):.5f});"
            ' extend the DEM or set outside = "features"',
        )
    return heights


def read_geotiff(data: bytes, nodata: float | None = None) -> GeoRaster:
    """Read a single-band EPSG:4326 GeoTIFF from its bytes (``nodata``: if the file has none).

    Raises:
        InputError: not a TIFF, too many pixels, several bands, no or unsupported
            georeference, or heights outside -500 to 9000 m.
    """
    try:
        with tifffile.TiffFile(io.BytesIO(data)) as tif:
            page = tif.pages[0]
            if not isinstance(page, tifffile.TiffPage):
                raise InputError(_FIELD, "a GeoTIFF whose first image is a full TIFF page")
            shape = tuple(int(n) for n in page.shape)
            if int(np.prod(shape)) > MAX_PIXELS:
                raise InputError(_FIELD, f"a raster of at most {MAX_PIXELS} pixels", shape)
            if page.samplesperpixel != 1 or len(shape) != 2:
                raise InputError(_FIELD, "a single band of heights (one sample per pixel)", shape)
            tags = {tag.code: tag.value for tag in page.tags}
            values = page.asarray()
    except InputError:
        raise
    except Exception as err:  # a malformed file can fail anywhere inside the TIFF parser
        raise InputError(_FIELD, f"a readable GeoTIFF file ({err})") from None
    if min(shape) < 2:
        raise InputError(_FIELD, "a raster of at least 2 x 2 pixels", shape)
    if values.dtype.kind not in "iuf":
        raise InputError(_FIELD, "heights stored as integers or floats", str(values.dtype))
    lon0, lat0, dlon, dlat = _georeference(tags)
    heights = values.astype(np.float64)
    for missing in (nodata, _gdal_nodata(tags)):
        if missing is not None:
            heights[heights == missing] = np.nan
    bad = np.isfinite(heights) & ((heights < LOWEST_M) | (heights > HIGHEST_M))
    if bad.any():
        row, col = (int(i[0]) for i in np.nonzero(bad))
        raise InputError(
            _FIELD,
            f"heights between {LOWEST_M:g} and {HIGHEST_M:g} m (pixel row {row}, column {col} "
            f"holds {heights[row, col]:g}: if that marks missing data, set nodata)",
        )
    return GeoRaster(heights, lon0, lat0, dlon, dlat)


def resample(raster: GeoRaster, grid: LocalGrid) -> FloatArray:
    """Bilinear heights at the cell centres of ``grid`` (rows south to north); NaN if none."""
    cx, cy = grid.centres()
    lat, lon = grid.to_latlon(*np.meshgrid(cx, cy))
    rows, cols = raster.heights.shape
    fc = (lon - raster.lon0) / raster.dlon
    fr = (raster.lat0 - lat) / raster.dlat
    covered = (fc >= -0.5) & (fc <= cols - 0.5) & (fr >= -0.5) & (fr <= rows - 0.5)
    fc = np.clip(fc, 0.0, cols - 1.0)
    fr = np.clip(fr, 0.0, rows - 1.0)
    c0 = np.minimum(np.floor(fc).astype(np.intp), cols - 2)
    r0 = np.minimum(np.floor(fr).astype(np.intp), rows - 2)
    tc, tr = fc - c0, fr - r0
    total = np.zeros(fc.shape)
    weight_sum = np.zeros(fc.shape)
    for dr, dc, w in (
        (0, 0, (1 - tr) * (1 - tc)),
        (0, 1, (1 - tr) * tc),
        (1, 0, tr * (1 - tc)),
        (1, 1, tr * tc),
    ):
        h = raster.heights[r0 + dr, c0 + dc]
        ok = np.isfinite(h) & (w > 0)
        total += np.where(ok, w * h, 0.0)
        weight_sum += np.where(ok, w, 0.0)
    out: FloatArray = np.full(fc.shape, np.nan)
    has = covered & (weight_sum > 0)
    out[has] = total[has] / weight_sum[has]
    return out


def _geokeys(tags: dict[int, object]) -> dict[int, int]:
    raw = tags.get(_GEOKEYS)
    if not isinstance(raw, tuple | list) or len(raw) < 4:
        raise InputError(_FIELD, "a georeferenced GeoTIFF: the GeoKeyDirectory tag is missing")
    keys: dict[int, int] = {}
    for i in range(4, min(len(raw), 4 + 4 * int(raw[3])), 4):
        key_id, location, _count, value = (int(v) for v in raw[i : i + 4])
        if location == 0:  # short values stand in the directory itself
            keys[key_id] = value
    return keys


def _georeference(tags: dict[int, object]) -> tuple[float, float, float, float]:
    """``(lon0, lat0, dlon, dlat)`` of pixel centres, from the GeoTIFF tags."""
    keys = _geokeys(tags)
    model = keys.get(_MODEL_TYPE)
    if model == 1 or _PROJECTED_CRS in keys:
        crs = keys.get(_PROJECTED_CRS)
        name = "a user-defined projected CRS" if crs in (None, _USER_DEFINED) else f"EPSG:{crs}"
        raise InputError(
            _FIELD,
            "a geographic WGS 84 grid (EPSG:4326): the file is projected "
            f"({name}); reproject it, e.g. gdalwarp -t_srs EPSG:4326",
        )
    crs = keys.get(_GEOGRAPHIC_CRS)
    if model not in (None, 2) or crs != _WGS84:
        got = {None: "not given", _USER_DEFINED: "user-defined"}.get(crs, f"EPSG:{crs}")
        if model not in (None, 2):
            got = f"of model type {model} (not geographic)"
        raise InputError(_FIELD, f"a geographic WGS 84 grid (EPSG:4326): the file's CRS is {got}")
    if keys.get(_ANGULAR_UNITS, _DEGREE) != _DEGREE:
        raise InputError(_FIELD, "angles in degrees (EPSG unit 9102)", keys[_ANGULAR_UNITS])
    if keys.get(_VERTICAL_UNITS, _METRE) != _METRE:
        raise InputError(_FIELD, "heights in metres (EPSG unit 9001)", keys[_VERTICAL_UNITS])
    if _TRANSFORMATION in tags:
        raise InputError(_FIELD, "ModelPixelScale + ModelTiepoint, not a ModelTransformation")
    scale, tie = tags.get(_PIXEL_SCALE), tags.get(_TIEPOINT)
    if not isinstance(scale, tuple | list) or len(scale) < 2:
        raise InputError(_FIELD, "a georeferenced GeoTIFF: the ModelPixelScale tag is missing")
    if not isinstance(tie, tuple | list) or len(tie) != 6:
        raise InputError(_FIELD, "a georeferenced GeoTIFF with exactly one ModelTiepoint")
    dlon, dlat = float(scale[0]), float(scale[1])
    i, j, _k, lon, lat, _z = (float(v) for v in tie)
    if not (np.isfinite([dlon, dlat, lon, lat]).all() and dlon > 0 and dlat > 0):
        raise InputError(_FIELD, "a positive, finite pixel scale and tiepoint", (dlon, dlat))
    centre = 0.0 if keys.get(_RASTER_TYPE) == _PIXEL_IS_POINT else 0.5
    return lon + (centre - i) * dlon, lat - (centre - j) * dlat, dlon, dlat


def _gdal_nodata(tags: dict[int, object]) -> float | None:
    raw = tags.get(_GDAL_NODATA)
    if raw is None:
        return None
    try:
        return float(str(raw).strip().rstrip("\x00"))
    except ValueError:
        raise InputError(_FIELD, "a numeric GDAL_NODATA tag", raw) from None
