from functools import cache

import numpy as np
import pytest

from kriegsspiel.aggregate import Engagement, Side, markov_outcome
from kriegsspiel.errors import InputError
from kriegsspiel.laws import get_law


@pytest.mark.parametrize(("a", "b"), [(1.0, 1.0), (0.7, 0.3), (2.0, 0.5)])
def test_one_against_one_is_a_race_of_two_exponential_clocks(a, b):
    # X (one unit) loses at rate a*1, Y at rate b*1: X wins iff Y's loss comes first
    out = markov_outcome(Engagement.homogeneous("square", 1, 1, a, b))
    assert out.p_x_wins == pytest.approx(b / (a + b), rel=1e-12)
    assert out.p_y_wins == pytest.approx(a / (a + b), rel=1e-12)
    assert out.p_draw == 0.0


def test_two_against_one_by_hand():
    # from (2,1): Y loses first w.p. 2b/(a+2b); otherwise (1,1), where X wins w.p. b/(a+b)
    a, b = 0.7, 0.3
    out = markov_outcome(Engagement.homogeneous("square", 2, 1, a, b))
    expected = 2 * b / (a + 2 * b) + a / (a + 2 * b) * b / (a + b)
    assert out.p_x_wins == pytest.approx(expected, rel=1e-12)
    assert out.final[2, 0] == pytest.approx(2 * b / (a + 2 * b), rel=1e-12)


def backward_win_probability(law, x0, y0, a, b, kx=0, ky=0):
    """The textbook backward recursion V(i,j) = px V(i-1,j) + py V(i,j-1), V = 1 when Y broke."""
    e = get_law(law).exponents()

    @cache
    def v(i, j):
        if j <= ky:
            return 1.0 if i > kx else 0.0
        if i <= kx:
            return 0.0
        rx = a * (j**e.px) * (i**e.qx)
        ry = b * (i**e.py) * (j**e.qy)
        return (rx * v(i - 1, j) + ry * v(i, j - 1)) / (rx + ry)

    return v(x0, y0)


@pytest.mark.parametrize(
    ("law", "x0", "y0", "a", "b", "xb", "yb"),
    [
        ("square", 12, 9, 1.0, 1.2, 0.0, 0.0),
        ("linear", 15, 11, 0.02, 0.03, 0.2, 0.4),
        ("logarithmic", 9, 14, 0.5, 0.25, 0.0, 0.5),
        ("mixed", 10, 30, 0.5, 0.05, 0.3, 0.3),
    ],
)
def test_forward_mass_flow_agrees_with_the_backward_recursion(law, x0, y0, a, b, xb, yb):
    eng = Engagement.homogeneous(law, x0, y0, a, b, x_breakpoint=xb, y_breakpoint=yb)
    out = markov_outcome(eng)
    kx, ky = int(np.floor(xb * x0 + 1e-9)), int(np.floor(yb * y0 + 1e-9))
    assert out.p_x_wins == pytest.approx(backward_win_probability(law, x0, y0, a, b, kx, ky))
    assert out.p_x_wins + out.p_y_wins + out.p_draw == pytest.approx(1.0, abs=1e-12)


def test_breakpoints_are_absorbing_and_nobody_falls_below_them():
    out = markov_outcome(
        Engagement.homogeneous("square", 20, 16, 1, 1, x_breakpoint=0.25, y_breakpoint=0.5)
    )
    # X breaks at 5 units, Y at 8: the chain stops there, so no mass below either count
    assert out.final[:5].sum() == 0.0
    assert out.final[:, :8].sum() == 0.0
    assert out.final[5, 9:].sum() + out.final[6:, 8].sum() == pytest.approx(1.0)


def test_symmetric_battle_is_a_coin_toss():
    out = markov_outcome(Engagement.homogeneous("linear", 40, 40, 0.01, 0.01))
    assert out.p_x_wins == pytest.approx(0.5, abs=1e-12)


def test_stalemate_is_a_draw():
    # nobody can kill: the initial state is absorbing
    out = markov_outcome(Engagement.homogeneous("square", 5, 5, 0.0, 0.0))
    assert (out.p_x_wins, out.p_y_wins, out.p_draw) == (0.0, 0.0, 1.0)


@pytest.mark.parametrize(
    "eng",
    [
        Engagement.build(
            "square", Side.build("x", [3, 4]), Side.build("y", 5), [[1], [1]], [[1, 1]]
        ),
        Engagement.build(
            "square", Side.build("x", 3, reinforcements=[(1, 2)]), Side.build("y", 5), 1, 1
        ),
        Engagement.homogeneous("square", 3, 5, 1, 1, t_max=2.0),
        Engagement.homogeneous("square", 3.5, 5, 1, 1),
        Engagement.homogeneous("square", 5000, 5000, 1, 1),
    ],
)
def test_unsupported_engagements_are_user_errors(eng):
    with pytest.raises(InputError):
        markov_outcome(eng)
