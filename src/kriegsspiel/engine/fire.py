"""Detection, direct fire, indirect fire and air strikes, through the shared attrition laws.

Every firing relation is a (replication, firer) -> target pair, so arrays stay ``(B, U)``:

* **Detection.** Each unit sees the nearest live enemy within the detection range of the hour
  (day, night, fog) if the line of sight is clear, or whatever the line of sight within the
  contact distance; that enemy is its target and counts as *observed* by the side (observers
  for the artillery, evidence for intelligence).
* **Direct fire, indirect fire and air strikes** each add *effective firepower* (OLI of the
  weapons in range, scaled by strength, suppression, morale, light, weather, terrain and
  posture) aimed at a target, with the pair's intensity (:class:`Fire`).
* :func:`resolve` turns it into losses with the **Helmbold law** of the shared laws
  (``kriegsspiel.laws.helmbold_rates``) at the engagement level, with the constants fitted on
  CDB90 battles (see :func:`resolve` and ``docs/engine.md``).
* Against tanks only weapons that penetrate their armour count; the personnel-equivalent loss
  rate is turned into disabled vehicles by the QJM tank-loss ratio (6 attacking, 3 defending)
  divided by the crew.

Intensity: a pair fights at full rate when either unit is attacking (assault and counter-attack
at the QJM main-effort factor), otherwise at the QJM "holding" rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kriegsspiel.engine import surprise
from kriegsspiel.engine.arrays import (
    A_ASSAULT,
    A_COUNTER,
    AIR,
    IS_ATTACKING_POSTURE,
    IS_DEFENDING_POSTURE,
    IS_MOVING_ACTION,
    TANK,
    BattleArrays,
    cell_index,
)
from kriegsspiel.engine.distances import nearest, within
from kriegsspiel.engine.jit import njit
from kriegsspiel.engine.state import State
from kriegsspiel.laws import helmbold_rates

__all__ = [
    "Contacts",
    "Environment",
    "Fire",
    "Losses",
    "acquire",
    "air_strikes",
    "cev_factor",
    "direct_fire",
    "firer_factor",
    "indirect_fire",
    "resolve",
    "strength_fraction",
    "surprise_loss_factor",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

_ALL = slice(None)
_LOS_SAMPLES = 8
_EYE_M = 2.0
_LOS_T = np.linspace(0.0, 1.0, _LOS_SAMPLES + 2)[1:-1]  # where along the ray it is sampled


@dataclass(frozen=True)
class Environment:
    """Scalars of the current step: light, weather class, who may fire."""

    step: int
    hours: float
    night: bool
    weather: int  # index into WEATHER_CLASSES
    detect_range: float
    fire_ok: BoolArray  # (S,) side may fire


@dataclass
class Contacts:
    """Who sees whom, per (B, U).

    ``target`` is the nearest visible enemy (-1 none) at ``dist``; ``soft``/``soft_dist`` the
    nearest visible enemy that is not armour (what a unit without anti-tank weapons shoots at);
    ``observed`` marks enemies some unit sees.
    """

    target: IntArray
    dist: FloatArray
    soft: IntArray
    soft_dist: FloatArray
    observed: BoolArray


@dataclass
class Losses:
    """Expected losses this step (Poisson means), accumulated over all fire."""

    men: FloatArray  # (B, U)
    veh: FloatArray  # (B, U)
    inflicted: FloatArray  # (B, U) expected casualties caused by each unit (for the log)

    @classmethod
    def zeros(cls, shape: tuple[int, int]) -> Losses:
        """No losses."""
        return cls(np.zeros(shape), np.zeros(shape), np.zeros(shape))


def _ray_clear(
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    elevation: NDArray[np.float32],
    x0: float,
    y0: float,
    cell_m: float,
    t: FloatArray,
) -> bool:
    """Whether the ground between observer and target (both at eye height) is below the ray.

    The ray is sampled at ``t`` (:data:`_LOS_T`: :data:`_LOS_SAMPLES` evenly spaced points
    between the two ends); the ground there must lie at most half a metre above it. Heights
    are float32 like the raster (eye height added in float32), the ray itself float64.
    """
    ny, nx = elevation.shape
    eye = np.float32(_EYE_M)
    c1 = cell_index(x1, x0, cell_m, nx)
    r1 = cell_index(y1, y0, cell_m, ny)
    c2 = cell_index(x2, x0, cell_m, nx)
    r2 = cell_index(y2, y0, cell_m, ny)
    z1 = elevation[r1, c1] + eye
    dz = np.float64(elevation[r2, c2] + eye - z1)
    dx, dy = x2 - x1, y2 - y1
    for s in range(t.size):
        col = cell_index(x1 + dx * t[s], x0, cell_m, nx)
        row = cell_index(y1 + dy * t[s], y0, cell_m, ny)
        if not elevation[row, col] <= np.float64(z1) + dz * t[s] + 0.5:
            return False
    return True


_clear = njit(_ray_clear)


def _see_rows(
    look: BoolArray,
    j: IntArray,
    d: FloatArray,
    own: IntArray,
    en: IntArray,
    detect: float,
    contact: float,
    x: FloatArray,
    y: FloatArray,
    elevation: NDArray[np.float32],
    x0: float,
    y0: float,
    cell_m: float,
    t: FloatArray,
    target: IntArray,
    dist: FloatArray,
) -> None:
    """Make enemy ``en[j]`` at ``d`` the target of unit ``own[f]`` where it sees it.

    For each ``(b, f)`` with ``look`` and ``d`` within the detection range: within contact
    distance, or with a clear line of sight (from the unit to the enemy).
    """
    reps, n_f = j.shape
    for b in range(reps):
        for f in range(n_f):
            if look[b, f] and d[b, f] <= detect:
                u, e = own[f], en[j[b, f]]
                if d[b, f] <= contact or _clear(
                    x[b, u], y[b, u], x[b, e], y[b, e], elevation, x0, y0, cell_m, t
                ):
                    target[b, u] = e
                    dist[b, u] = d[b, f]


_see_loop = njit(_see_rows)


def acquire(arr: BattleArrays, st: State, alive: BoolArray, env: Environment) -> Contacts:
    """Each live unit's nearest visible enemy within detection range."""
    reps, n = alive.shape
    target = np.full((reps, n), -1, dtype=np.int64)
    dist = np.full((reps, n), np.inf)
    soft = np.full((reps, n), -1, dtype=np.int64)
    soft_dist = np.full((reps, n), np.inf)
    live = (arr.utype != AIR) & alive.any(axis=0)  # columns worth looking at this step
    ter = arr.terrain
    ground = (
        float(env.detect_range), float(arr.params.contact), st.x, st.y, ter.elevation,
        float(ter.x0), float(ter.y0), float(ter.cell_m), _LOS_T,
    )  # fmt: skip
    for s in range(arr.n_sides):
        own = np.flatnonzero((arr.side == s) & live)
        en = np.flatnonzero((arr.side != s) & live)
        if own.size == 0 or en.size == 0:
            continue
        # the nearest live enemy, then whether it is within range (the same as the nearest
        # within range, since nearer ones would be within range too)
        x, y, ex, ey = st.x[:, own], st.y[:, own], st.x[:, en], st.y[:, en]
        ok = alive[:, en]
        j, dmin = nearest(x, y, ex, ey, ok)
        look = alive[:, own]
        _see_loop(look, j, dmin, own, en, *ground, target, dist)
        # the nearest soft enemy is the nearest enemy unless that one is armour
        soft[:, own], soft_dist[:, own] = target[:, own], dist[:, own]
        armour = arr.utype[en] == TANK
        b, i = np.nonzero(armour[j] & np.isfinite(dmin))
        if b.size:
            soft[b, own[i]], soft_dist[b, own[i]] = -1, np.inf
            js, ds = nearest(x[b, i, None], y[b, i, None], ex[b], ey[b], ok[b] & ~armour[None, :])
            j, dmin = np.zeros_like(j), np.full(dmin.shape, np.inf)
            j[b, i], dmin[b, i] = js[:, 0], ds[:, 0]
            again = np.zeros_like(look)
            again[b, i] = look[b, i]
            _see_loop(again, j, dmin, own, en, *ground, soft, soft_dist)
    observed = np.zeros((reps, n), dtype=bool)
    b, i = np.nonzero(target >= 0)
    observed[b, target[b, i]] = True
    b, i = np.nonzero(soft >= 0)
    observed[b, soft[b, i]] = True
    return Contacts(target, dist, soft, soft_dist, observed)


def _intensity(arr: BattleArrays, action: IntArray) -> FloatArray:
    p = arr.params
    attacking = IS_MOVING_ACTION.take(action)
    main = (action == A_ASSAULT) | (action == A_COUNTER)
    return np.where(main, p.main_effort, np.where(attacking, 1.0, p.holding))


def _terrain(arr: BattleArrays, st: State, b: IntArray, j: IntArray, kind: int) -> FloatArray:
    """The terrain factor of a fire type where the target stands.

    ``kind`` is the column of the QJM terrain table: 2 infantry weapons, 3 artillery, 4 air.
    """
    ter = arr.terrain
    r, c = ter.cell(st.x[b, j], st.y[b, j])
    out: FloatArray = ter.factors[ter.cover[r, c], kind]
    return out


def strength_fraction(
    arr: BattleArrays, st: State, b: IntArray | slice = _ALL, u: IntArray | slice = _ALL
) -> FloatArray:
    """Share of its full firepower a unit has left: men and vehicles by their share of its OLI.

    For the pairs ``(b, u)``; by default for every replication and unit, ``(B, U)``.
    """
    share = arr.vehicle_fp_share[u]
    men = st.men[b, u] / np.maximum(arr.men0[u], 1e-9)
    veh = np.where(arr.vehicles0[u] > 0, st.veh_op[b, u] / np.maximum(arr.vehicles0[u], 1e-9), 0)
    frac: FloatArray = (1.0 - share) * men + share * veh
    return frac


def firer_factor(
    arr: BattleArrays, st: State, b: IntArray, u: IntArray, env: Environment
) -> FloatArray:
    """Strength, suppression, morale and light factors common to every kind of fire."""
    p = arr.params
    f = strength_fraction(arr, st, b, u) * (1.0 - np.minimum(st.supp[b, u], 1.0))
    f = f * np.where(st.broken[b, u], p.morale_floor, 1.0)
    if env.night:
        f = f * p.night_fire
    out: FloatArray = f * env.fire_ok[arr.side[u]]
    return out


@dataclass
class Fire:
    """The fire directed at each unit this step, before it is turned into losses.

    ``z`` (B, U) is the effective firepower (OLI, with every firer-side factor) aimed at each
    unit; ``i`` the highest intensity of the pairs that aim fire at it; ``c`` the firepower
    weighted by the firer's side's CEV (for the opponent's CEV in :func:`resolve`); ``pairs``
    keeps every (b, firer, target, y) relation to credit the losses back to the firers.
    """

    z: FloatArray
    i: FloatArray
    c: FloatArray
    pairs: list[tuple[IntArray, IntArray, IntArray, FloatArray]]

    @classmethod
    def empty(cls, shape: tuple[int, int]) -> Fire:
        """No fire."""
        return cls(np.zeros(shape), np.zeros(shape), np.zeros(shape), [])

    def add(
        self,
        arr: BattleArrays,
        b: IntArray,
        u: IntArray,
        j: IntArray,
        y: FloatArray,
        intensity: FloatArray,
    ) -> None:
        """Aim firepower ``y`` of firers ``(b, u)`` at targets ``(b, j)``."""
        n = arr.n_units
        flat = b * n + j
        self.z += np.bincount(flat, y, self.z.size).reshape(self.z.shape)
        np.maximum.at(self.i.reshape(-1), flat, np.where(y > 0, intensity, 0.0))
        cev = arr.cev[arr.side[u]]
        self.c += np.bincount(flat, y * cev, self.c.size).reshape(self.c.shape)
        self.pairs.append((b, u, j, y))


def resolve(arr: BattleArrays, st: State, fire: Fire, con: Contacts, env: Environment) -> Losses:
    """Expected losses of every engaged unit: the Helmbold law at the engagement level.

    The engaged units of a side in a unit's battle area (``st.near``; engaged: every unit of a
    battle area in which some unit fires or is fired at, since CDB90 counts the whole committed
    force, not only the sub-units that see the enemy at the moment) are the force X; the fire
    aimed at that side's units there is Y. The force loses ``k * (Y / Y0)**p * (X / X0)**q`` men
    per day (``helmbold_rates``, attacker or defender exponents by the unit's posture; X0 =
    10,000 men, Y0 their reference firepower) at the highest intensity of the pairs aiming that
    fire; each engaged unit takes its share of X, times its vulnerability: the QJM posture,
    terrain casualty and weather casualty factors *relative to those of the law's reference
    battle* (attack on a hasty defence in rolling mixed terrain, dry sunny weather), since the
    fitted rate already contains them (a dug-in defender on rugged ground loses 0.6/0.7 x
    0.5/0.7 of the fitted defender rate, not 0.6 x 0.5). As in the TNDM, the opponent's CEV
    relative to the unit's own side's (the CEV of the sides whose fire is aimed at the force,
    weighted by that fire) multiplies the losses, within 1/1.5 and 1.5 (:func:`cev_factor`).
    Surprise multiplies them by the QJM vulnerabilities (:func:`surprise_loss_factor`).
    """
    p, ter = arr.params, arr.terrain
    out = Losses.zeros(st.men.shape)
    if not (fire.z > 0).any():
        return out
    tank = (arr.utype == TANK)[None, :]
    x = st.personnel(arr)
    fighting = (fire.z > 0) | (con.target >= 0) | (con.soft >= 0)
    # the whole force of a battle area where some unit fights is engaged (CDB90 counts the
    # committed force, not only the sub-units that see the enemy at the moment)
    engaged = fighting | (_area_sums(arr, st.near, fighting[..., None].astype(float))[..., 0] > 0)
    engaged &= (arr.utype != AIR)[None, :]
    xe = np.where(engaged, x, 0.0)
    sums = _area_sums(arr, st.near, np.stack([xe, fire.z], axis=-1))  # (B, U, 2)
    xs = np.maximum(sums[..., 0], xe)
    zs = np.maximum(sums[..., 1], fire.z)
    under = engaged & (zs > 0)
    # the engagement's intensity is that of its fiercest pair: a main effort anywhere in the
    # battle area sets the rate for the whole force (a fire-weighted mean would let extra fire
    # at the holding rate, such as the guns behind a counter-attack, lower the losses)
    intensity = np.where(under, _area_max(arr, st.near, fire.i), 0.0)
    attacking = IS_ATTACKING_POSTURE.take(st.posture)
    rate = np.zeros_like(x)
    for role, exps, k in (
        (True, p.attacker_law, p.attacker_k),
        (False, p.defender_law, p.defender_k),
    ):
        sel = under & (attacking == role)
        if sel.any():
            loss, _ = helmbold_rates(
                (xs[sel] / p.reference_men)[:, None],
                (zs[sel] / p.reference_fire)[:, None],
                np.array([[k / 24.0]]),
                np.zeros((1, 1)),
                exps,
            )
            rate[sel] = loss[:, 0]
    r, c = ter.cell(st.x, st.y)
    reference = np.where(attacking, p.reference_vulnerability[0], p.reference_vulnerability[1])
    vulnerability = (
        p.posture_vulnerability[st.posture]
        / reference
        * ter.factors[ter.cover[r, c], 0]
        / p.reference_casualty_terrain
        * p.weather_casualty[env.weather]
    )
    mean = rate * x / np.maximum(xs, 1e-9) * intensity * vulnerability * env.hours
    mean = mean * cev_factor(arr, st, fire, under, zs)
    mean = mean * surprise_loss_factor(arr, st, fire, under, zs, env.step)
    ratio = np.where(attacking, p.tank_loss_attacker, p.tank_loss_defender)
    crew = np.maximum(arr.crew, 1.0)[None, :]
    out.men = np.where(tank, 0.0, mean)
    out.veh = np.where(tank, mean * ratio / crew, 0.0)
    share = mean / np.maximum(fire.z, 1e-12)
    n = arr.n_units
    for b, u, j, y in fire.pairs:
        out.inflicted += np.bincount(b * n + u, y * share[b, j], out.men.size).reshape(
            out.men.shape
        )
    return out


def _side_blocks(arr: BattleArrays) -> list[tuple[int, int]] | None:
    """Each side's unit columns as one slice ``(start, stop)``; None if they are interleaved.

    A battle area holds units of one side only, so area sums and maxima can be taken side
    block by side block.
    """
    blocks = []
    for s in range(arr.n_sides):
        cols = np.flatnonzero(arr.side == s)
        if cols.size and cols[-1] - cols[0] + 1 != cols.size:
            return None
        if cols.size:
            blocks.append((int(cols[0]), int(cols[-1]) + 1))
    return blocks


def _area_sums(arr: BattleArrays, near: FloatArray, v: FloatArray) -> FloatArray:
    """``near @ v`` (``(B, U, U) @ (B, U, k)``): sums over each unit's battle area.

    Taken side block by side block (:func:`_side_blocks`; the terms left out are zeros), or as
    the whole product when the sides' columns are interleaved.
    """
    blocks = _side_blocks(arr)
    if blocks is None:
        full: FloatArray = np.matmul(near, v)
        return full
    out = np.zeros(v.shape)
    for a, b in blocks:
        out[:, a:b] = np.matmul(near[:, a:b, a:b], v[:, a:b])
    return out


def _area_max(arr: BattleArrays, near: FloatArray, v: FloatArray) -> FloatArray:
    """The largest of ``v`` (B, U; >= 0) over each unit's battle area, its own included.

    ``near`` marks battle areas with 0 and 1; taken side block by side block as
    :func:`_area_sums`, over the units with some ``v`` only.
    """
    blocks = _side_blocks(arr)
    if blocks is None:
        whole: FloatArray = np.maximum((near * v[:, None, :]).max(axis=-1), v)
        return whole
    out = v.copy()
    for a, b in blocks:
        hit = a + np.flatnonzero((v[:, a:b] > 0).any(axis=0))  # only these can raise the max
        if hit.size:
            area = (near[:, a:b, hit] * v[:, None, hit]).max(axis=-1)
            out[:, a:b] = np.maximum(area, v[:, a:b])
    return out


def cev_factor(
    arr: BattleArrays, st: State, fire: Fire, under: BoolArray, zs: FloatArray
) -> FloatArray | float:
    """The TNDM loss multiplier of each unit: the opponent's CEV relative to its own side's.

    The opponent's CEV is that of the firers aiming at the unit's battle area, weighted by
    their fire; relative to the unit's side's CEV it is held within ``1 / cap`` and ``cap``
    (TNDM: "up to 1.5"). When every side has the same CEV the factor is exactly 1.
    """
    if np.ptp(arr.cev) == 0:
        return 1.0
    cs = np.maximum(np.matmul(st.near, fire.c[..., None])[..., 0], fire.c)
    own = arr.cev[arr.side][None, :]
    opponent = np.where(under, cs / np.maximum(zs, 1e-12), own)
    cap = arr.params.cev_loss_cap
    out: FloatArray = np.clip(opponent / own, 1.0 / cap, cap)
    return out


def surprise_loss_factor(
    arr: BattleArrays, st: State, fire: Fire, under: BoolArray, zs: FloatArray, k: int
) -> FloatArray | float:
    """Each unit's loss multiplier from surprise at step ``k`` (exactly 1 when none is on).

    A surpriser's own losses take its QJM vulnerability (below 1); a unit under fire from
    surprisers takes the surprised side's vulnerability (above 1), weighted by their share of
    the fire aimed at its battle area, as the opponent's CEV is in :func:`cev_factor`.
    """
    f = surprise.factors(arr, st, k)
    if f is None:
        return 1.0
    n = arr.n_units
    aimed = np.zeros(st.men.shape)
    for b, u, j, y in fire.pairs:
        aimed += np.bincount(b * n + j, y * f[b, u, 2], aimed.size).reshape(aimed.shape)
    weighted = np.maximum(_area_sums(arr, st.near, aimed[..., None])[..., 0], aimed)
    surprised = np.where(under, weighted / np.maximum(zs, 1e-12), 1.0)
    out: FloatArray = f[..., 1] * surprised
    return out


def direct_fire(arr: BattleArrays, st: State, con: Contacts, env: Environment, out: Fire) -> None:
    """Aim every unit's direct fire at its targets (losses follow in :func:`resolve`).

    When a unit's nearest enemy is armour, its weapons that can penetrate it fire at it and the
    rest fire at the nearest other enemy; otherwise everything fires at the nearest enemy.
    """
    p, ter = arr.params, arr.terrain
    k = arr.band_edges.size

    def band_of(d: FloatArray) -> tuple[IntArray, BoolArray]:
        band = np.searchsorted(arr.band_edges, d, side="left")
        return np.minimum(band, k - 1), band < k

    b, u = np.nonzero(con.target >= 0)
    if b.size == 0:
        return
    j = con.target[b, u]
    band, ok = band_of(con.dist[b, u])
    armour = arr.utype[j] == TANK
    fp_main = np.where(armour, arr.fp_at[u, band], arr.fp[u, band]) * ok
    # the weapons that cannot hurt the armour in front turn on the nearest soft target
    sb, su = b[armour], u[armour]
    sj = con.soft[sb, su]
    has = sj >= 0
    sb, su, sj = sb[has], su[has], sj[has]
    band_s, ok_s = band_of(con.soft_dist[sb, su])
    fp_soft = np.maximum(arr.fp[su, band_s] - arr.fp_at[su, band_s], 0.0) * ok_s
    b, u, j = np.concatenate([b, sb]), np.concatenate([u, su]), np.concatenate([j, sj])
    fp = np.concatenate([fp_main, fp_soft])
    keep = fp > 0
    b, u, j, fp = b[keep], u[keep], j[keep], fp[keep]
    if b.size == 0:
        return
    r, c = ter.cell(st.x[b, u], st.y[b, u])
    cls = ter.cover[r, c]
    firer_is_tank = arr.utype[u] == TANK
    terrain_fire = np.where(firer_is_tank, ter.factors[cls, 5], ter.factors[cls, 2])
    posture = st.posture[b, u]
    defensive = IS_DEFENDING_POSTURE.take(posture)
    stance = np.where(
        defensive, p.posture_strength[posture] * ter.factors[cls, 1], p.weather_attack[env.weather]
    )
    tanks_wx = np.where(firer_is_tank, p.weather_tanks[env.weather], 1.0)
    intensity = np.maximum(_intensity(arr, st.action[b, u]), _intensity(arr, st.action[b, j]))
    y = (
        fp
        * firer_factor(arr, st, b, u, env)
        * terrain_fire
        * stance
        * tanks_wx
        * _terrain(arr, st, b, j, 2)
    )
    out.add(arr, b, u, j, y, intensity)


def _nearest_enemy(
    arr: BattleArrays,
    st: State,
    alive: BoolArray,
    firers: IntArray,
    px: FloatArray,
    py: FloatArray,
    among: BoolArray | None,
) -> tuple[IntArray, FloatArray]:
    """For each replication and firer column, the live enemy nearest to its aim point.

    Args:
        arr: the battle.
        st: the state.
        alive: ``(B, U)`` live units.
        firers: ``(F,)`` firing unit columns.
        px: ``(B, F)`` aim points (x).
        py: ``(B, F)`` aim points (y).
        among: ``(B, U)`` enemies that may be chosen (``None``: any live one).

    Returns:
        ``(j, d)``: enemy columns and distances, shape ``(B, F)`` (``d`` inf: none).
    """
    reps = st.men.shape[0]
    j = np.zeros((reps, firers.size), dtype=np.int64)
    d = np.full((reps, firers.size), np.inf)
    live = (arr.utype != AIR) & alive.any(axis=0)
    for s in np.unique(arr.side[firers]):
        f = np.flatnonzero(arr.side[firers] == s)
        en = np.flatnonzero(live & (arr.side != s))
        if en.size == 0:
            continue
        ok = alive[:, en] if among is None else alive[:, en] & among[:, en]
        k, d[:, f] = nearest(px[:, f], py[:, f], st.x[:, en], st.y[:, en], ok)
        j[:, f] = en[k]
    return j, d


def indirect_fire(
    arr: BattleArrays,
    st: State,
    alive: BoolArray,
    con: Contacts,
    env: Environment,
    programme: FloatArray,
    prog_xy: FloatArray,
    out: Fire,
) -> FloatArray:
    """Aim the guns' indirect fire (losses follow in :func:`resolve`); return rounds per (B, U).

    A gun in a fire programme shells the enemy nearest the programme's aim point (if within
    the area radius); otherwise it fires at the enemy nearest to it that some unit of its side
    observes, at the holding rate unless that enemy is attacking.

    Args:
        arr: the battle.
        st: the state.
        alive: ``(B, U)`` live units on the map.
        con: this step's contacts (observers).
        env: the step's light, weather and ceasefire.
        programme: ``(U,)`` intensity of the fire programme each unit is in this step (0: none).
        prog_xy: ``(U, 2)`` the programme's aim point.
        out: losses to add to.
    """
    p = arr.params
    rounds = np.zeros_like(st.men)
    guns = np.flatnonzero((arr.ind_fp > 0) & (arr.utype != AIR) & env.fire_ok[arr.side])
    guns = guns[alive[:, guns].any(axis=0)] if guns.size else guns
    if guns.size == 0:
        return rounds
    in_prog = programme[guns] > 0
    reps = st.men.shape[0]
    j = np.zeros((reps, guns.size), dtype=np.int64)
    d = np.full((reps, guns.size), np.inf)
    # guns in a programme aim at its point, the others at the nearest observed enemy
    g = np.flatnonzero(in_prog)
    if g.size:
        px = np.broadcast_to(prog_xy[guns[g], 0], (reps, g.size))
        py = np.broadcast_to(prog_xy[guns[g], 1], (reps, g.size))
        j[:, g], d[:, g] = _nearest_enemy(arr, st, alive, guns[g], px, py, None)
    g = np.flatnonzero(~in_prog)
    if g.size:
        x, y = st.x[:, guns[g]], st.y[:, guns[g]]
        j[:, g], d[:, g] = _nearest_enemy(arr, st, alive, guns[g], x, y, con.observed)
    b = np.arange(reps)[:, None]
    reach = within(st.x[b, j] - st.x[:, guns], st.y[b, j] - st.y[:, guns], arr.ind_range[guns])
    can = alive[:, guns] & (st.ammo[:, guns] > 0)
    hit = can & np.where(in_prog[None, :], d <= p.area_radius, np.isfinite(d)) & reach
    auto = np.maximum(p.holding, _intensity(arr, st.action[b, j]))
    intensity = np.where(in_prog[None, :], programme[guns][None, :], auto)
    fires = hit | (can & in_prog[None, :])
    rounds[:, guns] = np.where(fires, arr.rounds_per_hour[guns] * intensity * env.hours, 0.0)
    bb, ff = np.nonzero(hit)
    if bb.size == 0:
        return rounds
    u, j, intensity = guns[ff], j[bb, ff], intensity[bb, ff]
    observed = con.observed[bb, j]
    y = (
        arr.ind_fp[u]
        * firer_factor(arr, st, bb, u, env)
        * p.weather_artillery[env.weather]
        * np.where(observed, 1.0, p.unobserved)
        * _terrain(arr, st, bb, j, 3)
    )
    out.add(arr, bb, u, j, y, intensity)
    return rounds


def air_strikes(
    arr: BattleArrays,
    st: State,
    alive: BoolArray,
    env: Environment,
    sorties: FloatArray,
    air_xy: FloatArray,
    air_oli: FloatArray,
    out: Fire,
) -> None:
    """Aim the bombs of air units flying ``sorties[u]`` this step at ``air_xy[u]``.

    ``air_oli[u]`` is the OLI of one sortie's bomb load. The strike hits the enemy nearest its
    aim point if within the area radius. Fog grounds every sortie (the weather air factor is
    0); losses of aircraft are drawn by the caller.
    """
    p = arr.params
    flying = np.flatnonzero((sorties > 0) & env.fire_ok[arr.side])
    if flying.size == 0 or p.weather_air[env.weather] <= 0:
        return
    reps = st.men.shape[0]
    px = np.broadcast_to(air_xy[flying, 0], (reps, flying.size))
    py = np.broadcast_to(air_xy[flying, 1], (reps, flying.size))
    j, d = _nearest_enemy(arr, st, alive, flying, px, py, None)
    bb, ff = np.nonzero(d <= p.area_radius)
    if bb.size == 0:
        return
    u, j = flying[ff], j[bb, ff]
    y = (
        sorties[u]
        * air_oli[u]
        * p.weather_air[env.weather]
        * _terrain(arr, st, bb, j, 4)
        / env.hours
    )
    out.add(arr, bb, u, j, y, np.ones_like(y))
