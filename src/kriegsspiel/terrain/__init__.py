"""Terrain: the ``[terrain]`` scenario models, the raster layers, movement and line of sight."""

from kriegsspiel.terrain.features import LandCover, Mobility, Quantity, TerrainSpec, value_of

__all__ = ["LandCover", "Mobility", "Quantity", "TerrainSpec", "value_of"]
