"""The engine's scalar parameters, read from the parameter library once per compile.

:class:`EngineParams` holds plain floats and small arrays indexed by posture code or weather
class, so the hot loop never touches the library. The casualty law's constants (the Helmbold
form fitted on CDB90 battles by the evidence model) are :attr:`EngineParams.attacker_law`,
:attr:`EngineParams.attacker_k` and their defender counterparts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine.library import Library
from kriegsspiel.laws import Exponents

__all__ = ["WEATHER_CLASSES", "EngineParams"]

FloatArray = NDArray[np.float64]

WEATHER_CLASSES = ("clear", "overcast", "rain", "fog")
"""Row order of the weather factor arrays."""

_RATIOS = (100, 126, 176, 301, 600)
_POSTURE_ROWS = ("moving", "attacking", "defending", "dug_in", "defending", "withdrawing")
"""Library posture row for each engine posture code (``reserve`` fights as ``defending``)."""
_SURPRISE_COLUMNS = ("mobility", "vulnerability", "surprised_vulnerability")


def _sum(v: Callable[[str], float], role: str) -> float:
    """``p + q`` of a role.

    The fit's ``k`` is per man**(p + q); the engine measures strengths in units of the
    reference battle, so ``k`` is scaled to casualties per day there.
    """
    return v(f"calibration.{role}_p") + v(f"calibration.{role}_q")


@dataclass(frozen=True)
class EngineParams:
    """Every number the engine uses, from the library (see ``docs/parameters.md``).

    ``reference_vulnerability`` (attacker, defender) and ``reference_casualty_terrain`` are the
    QJM casualty factors of the casualty law's reference battle (the evidence model's CDB90
    fit: attack against a hasty defence, rolling mixed terrain, dry sunny weather): the fitted
    rate already contains them, so the engine applies the QJM factors relative to them.
    """

    attacker_k: float
    attacker_law: Exponents
    defender_k: float
    defender_law: Exponents
    reference_fire: float
    posture_strength: FloatArray
    posture_vulnerability: FloatArray
    reference_vulnerability: tuple[float, float]
    reference_casualty_terrain: float
    weather_attack: FloatArray
    weather_artillery: FloatArray
    weather_air: FloatArray
    weather_tanks: FloatArray
    weather_casualty: FloatArray
    weather_mobility: FloatArray
    night_fire: float
    holding: float
    main_effort: float
    cev_loss_cap: float
    tank_loss_attacker: float
    tank_loss_defender: float
    crew_casualties_per_tank: float
    burned_fraction: float
    repaired_fraction: float
    repair_hours: float
    neutralized_loss: float
    breakpoint_attacker: float
    breakpoint_defender: float
    suppression_recovery: float
    ineffective: float
    rally_hours: float
    morale_floor: float
    detect_day: float
    detect_night: float
    detect_fog: float
    contact: float
    battle_area: float
    foot_assault: float
    move_night: float
    move_fog: float
    assault_range: float
    front_density: float  # men per metre of front
    dig_hours: float
    bomb_classes: tuple[tuple[float, float], ...]
    unobserved: float
    area_radius: float
    aircraft_loss_per_sortie: float
    reference_men: float
    advance: FloatArray  # (3 defences, 5 ratios) km/day
    advance_ratios: FloatArray  # (5,)
    surprise: FloatArray  # (4 levels none..complete, 3): mobility, vulnerability, surprised's
    surprise_days: float

    @classmethod
    def from_library(cls, lib: Library) -> EngineParams:
        """Read the engine's parameters from ``lib``."""
        v = lib.value
        men = v("calibration.reference_men")

        def weather(col: str) -> FloatArray:
            return np.array([v(f"weather.{w}.{col}") for w in WEATHER_CLASSES])

        bombs = (
            (50.0, v("bombs.fab50_oli")),
            (100.0, v("bombs.fab100_oli")),
            (250.0, v("bombs.fab250_oli")),
            (500.0, v("bombs.fab500_oli")),
        )
        return cls(
            attacker_k=10.0 ** v("calibration.attacker_log10_k") * men ** _sum(v, "attacker"),
            attacker_law=Exponents(v("calibration.attacker_p"), v("calibration.attacker_q"), 0, 0),
            defender_k=10.0 ** v("calibration.defender_log10_k") * men ** _sum(v, "defender"),
            defender_law=Exponents(v("calibration.defender_p"), v("calibration.defender_q"), 0, 0),
            reference_fire=men * v("calibration.reference_oli_per_man"),
            posture_strength=np.array([v(f"posture.{p}.strength") for p in _POSTURE_ROWS]),
            posture_vulnerability=np.array(
                [v(f"posture.{p}.vulnerability") for p in _POSTURE_ROWS]
            ),
            reference_vulnerability=(
                v("posture.attacking.vulnerability") * v("weather.clear.casualty"),
                v("posture.defending.vulnerability") * v("weather.clear.casualty"),
            ),
            reference_casualty_terrain=v("terrain.rolling_mixed.casualty"),
            weather_attack=weather("attack"),
            weather_artillery=weather("artillery"),
            weather_air=weather("air"),
            weather_tanks=weather("tanks"),
            weather_casualty=weather("casualty"),
            weather_mobility=weather("mobility"),
            night_fire=v("casualties.night_factor"),
            holding=v("casualties.holding_factor"),
            main_effort=v("casualties.main_effort_factor"),
            cev_loss_cap=v("casualties.cev_loss_cap"),
            tank_loss_attacker=v("tanks.attacker_loss_ratio"),
            tank_loss_defender=v("tanks.defender_loss_ratio"),
            crew_casualties_per_tank=v("tanks.crew_casualties_per_tank"),
            burned_fraction=v("tanks.burned_fraction"),
            repaired_fraction=v("tanks.repaired_on_site_fraction"),
            repair_hours=v("tanks.repair_hours"),
            neutralized_loss=v("morale.neutralized_loss"),
            breakpoint_attacker=v("morale.attacker_breakpoint"),
            breakpoint_defender=v("morale.defender_breakpoint"),
            suppression_recovery=v("morale.suppression_recovery_per_hour"),
            ineffective=v("morale.ineffective_loss"),
            rally_hours=v("morale.rally_hours"),
            morale_floor=v("morale.morale_floor_factor"),
            detect_day=v("detection.day_range_m"),
            detect_night=v("detection.night_range_m"),
            detect_fog=v("detection.fog_range_m"),
            contact=v("detection.contact_m"),
            battle_area=v("detection.battle_area_m"),
            foot_assault=v("movement.foot_assault_kmh"),
            move_night=v("movement.night_factor"),
            move_fog=v("movement.fog_factor"),
            assault_range=v("movement.assault_range_m"),
            front_density=v("movement.front_density_men_per_km") / 1000.0,
            dig_hours=v("movement.dig_in_hours"),
            bomb_classes=bombs,
            unobserved=v("indirect.unobserved_factor"),
            area_radius=v("indirect.area_radius_m"),
            aircraft_loss_per_sortie=v("bombs.aircraft_loss_per_sortie"),
            reference_men=v("calibration.reference_men"),
            advance=np.array(
                [
                    [v(f"advance.{d}_{r}") for r in _RATIOS]
                    for d in ("hasty", "prepared", "fortified")
                ]
            ),
            advance_ratios=np.array(_RATIOS, dtype=float) / 100.0,
            surprise=np.array(
                [[1.0, 1.0, 1.0]]
                + [
                    [v(f"surprise.{level}_{c}") for c in _SURPRISE_COLUMNS]
                    for level in ("minor", "substantial", "complete")
                ]
            ),
            surprise_days=v("surprise.duration_days"),
        )

    def advance_kmh(self, ratio: FloatArray, defence: FloatArray) -> FloatArray:
        """QJM advance rate (km/h) at combat-power ratio ``ratio`` against ``defence``.

        ``defence``: 0 hasty, 1 prepared, 2 fortified. Zero below a ratio of 1, linear between
        the table's ratios.
        """
        out = np.zeros(np.shape(ratio))
        for d in range(3):
            rate = np.interp(ratio, self.advance_ratios, self.advance[d])
            out = np.where(defence == d, rate, out)
        result: FloatArray = np.where(ratio >= 1.0, out, 0.0) / 24.0
        return result

    def surprise_factors(self, level: FloatArray) -> FloatArray:
        """QJM surprise factors at ``level`` (0 none ... 3 complete): ``level.shape + (3,)``.

        Mobility, the surpriser's vulnerability and the surprised side's vulnerability, from the
        library's table at whole levels and geometric interpolation between them.
        """
        steps = np.arange(self.surprise.shape[0], dtype=float)
        logs = np.log(self.surprise)
        out: FloatArray = np.exp(
            np.stack([np.interp(level, steps, logs[:, c]) for c in range(3)], axis=-1)
        )
        return out

    def bomb_oli_per_kg(self, bomb_kg: float) -> float:
        """OLI per kilogram of bombs for bombs of ``bomb_kg`` (the class at or above it)."""
        for mass, oli in self.bomb_classes:
            if bomb_kg <= mass:
                return oli / mass
        mass, oli = self.bomb_classes[-1]
        return oli / mass
