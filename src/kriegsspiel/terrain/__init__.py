"""Terrain: the ``[terrain]`` scenario models, the raster layers, movement and line of sight."""

from kriegsspiel.terrain.features import LandCover, Mobility, Quantity, TerrainSpec, value_of
from kriegsspiel.terrain.geo import LocalGrid
from kriegsspiel.terrain.los import line_of_sight, viewshed
from kriegsspiel.terrain.movement import MoveField, cost_to_go, step_toward
from kriegsspiel.terrain.raster import SideBorder, Terrain, build_terrain
from kriegsspiel.terrain.render import render

__all__ = [
    "LandCover",
    "LocalGrid",
    "Mobility",
    "MoveField",
    "Quantity",
    "SideBorder",
    "Terrain",
    "TerrainSpec",
    "build_terrain",
    "cost_to_go",
    "line_of_sight",
    "render",
    "step_toward",
    "value_of",
    "viewshed",
]
