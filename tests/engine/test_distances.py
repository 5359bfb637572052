"""The fast distance queries answer exactly as the plain ``np.hypot`` formulation."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kriegsspiel.engine.distances import nearest, within


def _plain_nearest(
    px: np.ndarray, py: np.ndarray, qx: np.ndarray, qy: np.ndarray, ok: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    d = np.hypot(px[:, :, None] - qx[:, None, :], py[:, :, None] - qy[:, None, :])
    d = np.where(ok[:, None, :], d, np.inf)
    k = np.argmin(d, axis=2)
    return k, np.take_along_axis(d, k[:, :, None], axis=2)[:, :, 0]


def _points(seed: int, reps: int, n: int, spread: float) -> tuple[np.ndarray, np.ndarray]:
    """Points on a coarse lattice (many exact and near ties) plus jitter of a few ulps."""
    rng = np.random.default_rng(seed)
    x = rng.integers(-3, 4, (reps, n)) * spread
    y = rng.integers(-3, 4, (reps, n)) * spread
    jitter = rng.random((reps, n)) < 0.3
    x = np.where(jitter, np.nextafter(x, np.inf), x) + rng.integers(0, 2, (reps, n)) * 1e-13
    return x.astype(np.float64), y.astype(np.float64)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    reps=st.integers(1, 6),
    f=st.integers(1, 7),
    e=st.integers(1, 7),
    spread=st.sampled_from([1.0, 7.3, 250.0, 1e4]),
)
def test_nearest_is_bit_identical_to_hypot_argmin(
    seed: int, reps: int, f: int, e: int, spread: float
) -> None:
    px, py = _points(seed, reps, f, spread)
    qx, qy = _points(seed + 1, reps, e, spread)
    ok = np.random.default_rng(seed + 2).random((reps, e)) < 0.7
    k, d = nearest(px, py, qx, qy, ok)
    k0, d0 = _plain_nearest(px, py, qx, qy, ok)
    np.testing.assert_array_equal(k, k0)
    np.testing.assert_array_equal(d, d0)


def test_nearest_random_positions_on_a_map() -> None:
    rng = np.random.default_rng(7)
    px, py, qx, qy = (rng.random((50, 30)) * 8000.0 for _ in range(4))
    ok = rng.random((50, 30)) < 0.8
    for got, want in zip(
        nearest(px, py, qx, qy, ok), _plain_nearest(px, py, qx, qy, ok), strict=True
    ):
        np.testing.assert_array_equal(got, want)


def test_nearest_where_squares_and_hypot_disagree_by_an_ulp() -> None:
    # offsets whose squared lengths order one way and whose hypot values the other way
    a = (1781.7726048395048, 2941.6583727798916)
    b = (757.3709334680211, -3354.766290912136)
    assert a[0] ** 2 + a[1] ** 2 <= b[0] ** 2 + b[1] ** 2
    assert np.hypot(*a) > np.hypot(*b)
    for first, second in ((a, b), (b, a)):
        px = py = np.zeros((1, 1))
        qx = -np.array([[first[0], second[0]]])
        qy = -np.array([[first[1], second[1]]])
        ok = np.ones((1, 2), dtype=bool)
        k, d = nearest(px, py, qx, qy, ok)
        k0, d0 = _plain_nearest(px, py, qx, qy, ok)
        np.testing.assert_array_equal(k, k0)
        np.testing.assert_array_equal(d, d0)


def test_nearest_non_finite_positions_fall_back_to_the_plain_formulation() -> None:
    px = np.array([[0.0, np.nan]])
    py = np.array([[0.0, 1.0]])
    qx = np.array([[3.0, np.inf, 1.0]])
    qy = np.array([[4.0, 0.0, 1.0]])
    ok = np.array([[True, True, False]])
    k, d = nearest(px, py, qx, qy, ok)
    k0, d0 = _plain_nearest(px, py, qx, qy, ok)
    np.testing.assert_array_equal(k, k0)
    np.testing.assert_array_equal(d, d0)
    assert d[0, 0] == 5.0


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), r=st.sampled_from([0.0, 1e-120, 5.0, 1000.0, 2500.0]))
def test_within_is_bit_identical_to_hypot_compare(seed: int, r: float) -> None:
    rng = np.random.default_rng(seed)
    # offsets on and around the circle of radius r, including 3-4-5 triangles scaled
    angle = rng.random(400) * 2 * np.pi
    scale = r * (1.0 + rng.integers(-3, 4, 400) * 1e-16)
    dx = np.concatenate([scale * np.cos(angle), [0.6 * r, 0.0, r, 1e-170]])
    dy = np.concatenate([scale * np.sin(angle), [0.8 * r, r, 0.0, 0.0]])
    np.testing.assert_array_equal(within(dx, dy, r), np.hypot(dx, dy) <= r)


def test_nearest_of_no_points_or_among_none() -> None:
    px, py = np.zeros((2, 3)), np.ones((2, 3))
    k, d = nearest(px, py, np.zeros((2, 0)), np.zeros((2, 0)), np.zeros((2, 0), dtype=bool))
    assert k.shape == (2, 3) and (k == 0).all() and np.isinf(d).all()
    qx, qy = np.full((2, 4), 5.0), np.full((2, 4), 7.0)
    k, d = nearest(px, py, qx, qy, np.zeros((2, 4), dtype=bool))
    assert (k == 0).all() and np.isinf(d).all()


def test_nearest_takes_broadcast_and_strided_views() -> None:
    rng = np.random.default_rng(3)
    qx, qy = (rng.random((5, 9)) * 1000.0 for _ in range(2))
    px = np.broadcast_to(np.array([100.0, 900.0]), (5, 2))
    py = np.broadcast_to(np.array([400.0, 20.0]), (5, 2))
    ok = rng.random((5, 9)) < 0.6
    for got, want in zip(
        nearest(px, py, qx[:, ::2], qy[:, ::2], ok[:, ::2]),
        _plain_nearest(px, py, qx[:, ::2], qy[:, ::2], ok[:, ::2]),
        strict=True,
    ):
        np.testing.assert_array_equal(got, want)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_within_takes_an_array_of_radii(seed: int) -> None:
    rng = np.random.default_rng(seed)
    r = rng.choice([0.0, 25.0, 150.0, 2500.0], size=(1, 300))
    angle = rng.random((4, 300)) * 2 * np.pi
    scale = r * (1.0 + rng.integers(-3, 4, (4, 300)) * 1e-16)
    dx, dy = scale * np.cos(angle), scale * np.sin(angle)
    np.testing.assert_array_equal(within(dx, dy, r), np.hypot(dx, dy) <= r)


def test_within_answers_hypot_for_non_finite_and_huge_offsets() -> None:
    dx = np.array([np.inf, np.nan, 1e200, 3.0, -np.inf, 0.0])
    dy = np.array([0.0, 1.0, 1e200, 4.0, np.nan, np.nan])
    for r in (5.0, np.inf, np.nan, 1e100):
        np.testing.assert_array_equal(within(dx, dy, r), np.hypot(dx, dy) <= r)
