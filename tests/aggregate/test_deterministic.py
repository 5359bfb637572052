import numpy as np
import pytest

from kriegsspiel.aggregate import Engagement, Side, solve
from kriegsspiel.errors import InputError


def square_closed_form(t, x0, y0, a, b):
    """dx/dt = -a y, dy/dt = -b x: the cosh/sinh solution."""
    g = np.sqrt(a * b)
    x = x0 * np.cosh(g * t) - y0 * np.sqrt(a / b) * np.sinh(g * t)
    y = y0 * np.cosh(g * t) - x0 * np.sqrt(b / a) * np.sinh(g * t)
    return x, y


@pytest.mark.parametrize(("x0", "y0", "a", "b"), [(100, 80, 0.01, 0.02), (10, 8, 1, 1)])
def test_square_law_matches_closed_form(x0, y0, a, b):
    tr = solve(Engagement.homogeneous("square", x0, y0, a, b))
    t = np.linspace(0, 0.98 * tr.outcome.end_time, 50)
    x, y = tr.totals(t)
    xc, yc = square_closed_form(t, x0, y0, a, b)
    np.testing.assert_allclose(x, xc, rtol=1e-6)
    np.testing.assert_allclose(y, yc, rtol=1e-6)


def test_square_law_end_time_and_survivors_are_exact():
    # y is annihilated when tanh(g t) = y0 sqrt(b) / (x0 sqrt(a)); x keeps sqrt(x0^2 - a/b y0^2)
    x0, y0, a, b = 10.0, 8.0, 1.0, 1.0
    out = solve(Engagement.homogeneous("square", x0, y0, a, b)).outcome
    assert out.winner == "x"
    assert out.end_time == pytest.approx(np.arctanh(0.8), rel=1e-6)
    assert out.x_final[0] == pytest.approx(6.0, rel=1e-6)


def test_square_law_invariant_is_conserved():
    # with dx/dt = -a y and dy/dt = -b x, b x^2 - a y^2 is constant
    a, b = 0.03, 0.05
    tr = solve(Engagement.homogeneous("square", 500, 420, a, b, t_max=30))
    x, y = tr.totals(np.linspace(0, 30, 200))
    inv = b * x**2 - a * y**2
    np.testing.assert_allclose(inv, inv[0], rtol=1e-7)


def test_linear_law_invariant_is_conserved():
    # with dx/dt = -a x y and dy/dt = -b x y, b x - a y is constant
    a, b = 0.002, 0.003
    tr = solve(Engagement.homogeneous("linear", 500, 420, a, b, t_max=5))
    x, y = tr.totals(np.linspace(0, 5, 100))
    inv = b * x - a * y
    np.testing.assert_allclose(inv, inv[0], rtol=1e-8, atol=1e-9)


def test_logarithmic_law_is_exponential_decay():
    tr = solve(Engagement.homogeneous("logarithmic", 100, 50, 0.1, 0.2, t_max=4))
    t = np.linspace(0, 4, 9)
    x, y = tr.totals(t)
    np.testing.assert_allclose(x, 100 * np.exp(-0.1 * t), rtol=1e-8)
    np.testing.assert_allclose(y, 50 * np.exp(-0.2 * t), rtol=1e-8)
    assert tr.outcome.reason == "time limit"


def test_mixed_law_parabolic_invariant():
    # dx/dt = -a y (aimed), dy/dt = -b x y (area): b x^2 - 2 a y is constant (Deitchman)
    a, b = 0.5, 0.001
    tr = solve(Engagement.homogeneous("mixed", 100, 300, a, b, t_max=10))
    x, y = tr.totals(np.linspace(0, tr.outcome.end_time * 0.99, 60))
    inv = b * x**2 - 2 * a * y
    np.testing.assert_allclose(inv, inv[0], rtol=1e-7, atol=1e-7)


def test_breakpoint_stops_the_battle_at_the_fraction():
    eng = Engagement.homogeneous("square", 100, 100, 0.01, 0.02, y_breakpoint=0.4)
    out = solve(eng).outcome
    assert out.winner == "x"
    assert out.y_final.sum() == pytest.approx(40.0, rel=1e-6)


def test_quit_time_ends_the_battle_as_a_draw():
    eng = Engagement.build(
        "square", Side.build("x", 100, quit_time=2.0), Side.build("y", 90), 0.01, 0.01
    )
    out = solve(eng).outcome
    assert (out.winner, out.end_time) == (None, 2.0)


def test_reinforcement_jumps_and_square_law_holds_between_arrivals():
    eng = Engagement.build(
        "square",
        Side.build("x", 100, reinforcements=[(1.0, 50)]),
        Side.build("y", 120),
        0.1,
        0.1,
        t_max=2.0,
    )
    tr = solve(eng)
    x1m, _ = tr.totals([1.0 - 1e-9, 1.0])
    assert x1m[1] - x1m[0] == pytest.approx(50.0, rel=1e-6)
    xa, ya = square_closed_form(1.0, 100, 120, 0.1, 0.1)
    xb, yb = square_closed_form(1.0, xa + 50, ya, 0.1, 0.1)
    x2, y2 = tr.totals([2.0])
    assert (x2[0], y2[0]) == pytest.approx((xb, yb), rel=1e-6)


def test_heterogeneous_system_dies_and_stops_firing():
    # Y's system 0 is wiped out first; afterwards only system 1 kills X
    eng = Engagement.build(
        "square",
        Side.build("x", [100.0]),
        Side.build("y", [5.0, 50.0]),
        [[1.0, 0.1]],
        [[2.0], [0.01]],
        t_max=3.0,
    )
    tr = solve(eng)
    x, y = tr.sample(np.linspace(0, 3, 31))
    dead_from = np.flatnonzero(y[:, 0] == 0)[0]
    assert np.all(y[dead_from:, 0] == 0)
    dx = np.diff(x[dead_from:, 0]) / 0.1
    np.testing.assert_allclose(
        -dx, 0.1 * (y[dead_from:-1, 1] + y[dead_from + 1 :, 1]) / 2, rtol=2e-2
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda: Engagement.homogeneous("square", -1, 5, 1, 1),
        lambda: Engagement.homogeneous("square", 1, 5, np.inf, 1),
        lambda: Engagement.homogeneous("square", 1, 5, 1, -2),
        lambda: Engagement.homogeneous("cubic", 1, 5, 1, 1),
        lambda: Engagement.homogeneous("square", 1, 5, 1, 1, x_breakpoint=1.2),
    ],
)
def test_bad_input_is_a_named_user_error(build):
    with pytest.raises(InputError):
        build()
