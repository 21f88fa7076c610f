"""Existing buildings (既有建筑): glass curtain walls with their checks and damage events
(``curtain_walls``) and rural houses (``houses``). Import from here."""

from anjian.buildings.models.curtain_walls import CurtainWall, DamageEvent, WallCheck
from anjian.buildings.models.houses import RuralHouse

__all__ = ["CurtainWall", "DamageEvent", "RuralHouse", "WallCheck"]
