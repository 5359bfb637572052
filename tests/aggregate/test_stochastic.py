import numpy as np
import pytest

from kriegsspiel.aggregate import (
    BatchResult,
    Engagement,
    Side,
    markov_outcome,
    simulate,
    simulate_block,
    solve,
)
from kriegsspiel.aggregate.stochastic import (
    NO_WINNER,
    X_WINS,
    Y_WINS,
    default_tau_step,
    resolve_method,
)
from kriegsspiel.errors import InputError
from kriegsspiel.laws import helmbold_rates

FIELDS = ("winner", "end_time", "x_final", "y_final", "steps", "x_totals", "y_totals")


def mixed_engagement():
    """Heterogeneous sides, a reinforcement, a breakpoint and a time limit."""
    return Engagement.build(
        "square",
        Side.build("x", [30, 20], reinforcements=[(0.5, [10, 0])], breakpoint=0.3),
        Side.build("y", [25, 15]),
        [[0.5, 1.0], [0.2, 0.3]],
        [[1.0, 0.1], [0.4, 0.4]],
        t_max=3.0,
    )


def assert_identical(r1: BatchResult, r2: BatchResult):
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(r1, name), getattr(r2, name), err_msg=name)


def test_exact_win_probability_of_10_v_8_matches_the_markov_chain():
    eng = Engagement.homogeneous("square", 10, 8, 1.0, 1.0)
    s = simulate(eng, 100_000, seed=20240729, method="exact").summary()
    exact = markov_outcome(eng).p_x_wins
    assert abs(s.p_x_wins - exact) <= 3 * s.se_x_wins
    assert s.p_x_wins + s.p_y_wins + s.p_draw == pytest.approx(1.0)


def test_exact_final_strengths_match_the_markov_chain_with_breakpoints():
    eng = Engagement.homogeneous("linear", 40, 30, 0.01, 0.015, x_breakpoint=0.3, y_breakpoint=0.5)
    res = simulate(eng, 20_000, seed=3, method="exact")
    chain = markov_outcome(eng)
    mx, my = chain.mean_final()
    x, y = res.x_final[:, 0], res.y_final[:, 0]
    assert abs(x.mean() - mx) <= 4 * x.std() / np.sqrt(x.size)
    assert abs(y.mean() - my) <= 4 * y.std() / np.sqrt(y.size)
    s = res.summary()
    assert abs(s.p_x_wins - chain.p_x_wins) <= 4 * s.se_x_wins


def test_first_casualty_falls_on_each_system_in_proportion_to_the_law_rates():
    # every side breaks at its first loss, so the final state tells which system lost the unit
    x0, y0 = np.array([30.0, 10.0]), np.array([20.0, 5.0])
    a = np.array([[0.2, 1.0], [0.5, 0.1]])
    b = np.array([[0.3, 0.3], [1.0, 0.2]])
    eng = Engagement.build(
        "square",
        Side.build("x", x0, breakpoint=0.99),
        Side.build("y", y0, breakpoint=0.99),
        a,
        b,
    )
    res = simulate(eng, 40_000, seed=11, method="exact")
    lost = np.concatenate([x0 - res.x_final, y0 - res.y_final], axis=1)
    assert np.all(lost.sum(axis=1) == 1)
    lx, ly = helmbold_rates(x0, y0, a, b, eng.exponents)
    rates = np.concatenate([lx, ly])
    share = rates / rates.sum()
    freq = lost.mean(axis=0)
    np.testing.assert_array_less(np.abs(freq - share), 4 * np.sqrt(share * (1 - share) / 40_000))
    # the waiting time is exponential with the total rate
    assert res.end_time.mean() == pytest.approx(1 / rates.sum(), rel=0.03)


def test_tau_mean_of_10000_v_8000_stays_within_one_percent_of_the_ode():
    x0, y0 = 10_000, 8_000
    eng = Engagement.homogeneous("square", x0, y0, 1e-4, 1e-4)
    assert resolve_method(eng) == "tau"
    ode = solve(eng)
    end = ode.outcome.end_time  # Y is annihilated at arctanh(0.8) / sqrt(ab)
    grid = np.linspace(0, 0.95 * end, 39)
    res = simulate(eng, 300, seed=5, times=grid)
    xo, yo = ode.totals(grid)
    mx, my = res.x_totals.mean(axis=0), res.y_totals.mean(axis=0)
    # measured against the initial strength everywhere up to 95 % of the ODE's end time ...
    assert np.max(np.abs(mx - xo)) <= 0.01 * x0
    assert np.max(np.abs(my - yo)) <= 0.01 * y0
    # ... and against the current value while the loser keeps at least 15 % of its strength
    keep = yo >= 0.15 * y0
    assert np.max(np.abs(my - yo)[keep] / yo[keep]) <= 0.01
    assert np.max(np.abs(mx - xo)[keep] / xo[keep]) <= 0.01


def test_exact_mean_of_a_medium_battle_follows_the_ode():
    eng = Engagement.homogeneous("square", 200, 150, 0.01, 0.012)
    ode = solve(eng)
    grid = np.linspace(0, 0.8 * ode.outcome.end_time, 17)
    res = simulate(eng, 4000, seed=8, method="exact", times=grid)
    xo, yo = ode.totals(grid)
    se_x = res.x_totals.std(axis=0) / np.sqrt(res.reps)
    se_y = res.y_totals.std(axis=0) / np.sqrt(res.reps)
    assert np.all(np.abs(res.x_totals.mean(axis=0) - xo) <= 4 * se_x + 0.005 * 200)
    assert np.all(np.abs(res.y_totals.mean(axis=0) - yo) <= 4 * se_y + 0.005 * 150)


@pytest.mark.parametrize("method", ["exact", "tau"])
def test_results_do_not_depend_on_how_blocks_are_split(method):
    eng, grid = mixed_engagement(), np.linspace(0, 3, 13)
    reps, size = 1000, 64
    whole = simulate(eng, reps, seed=7, method=method, block_size=size, times=grid)
    blocks = -(-reps // size)
    parts = {}
    for k in reversed(range(blocks)):  # another order, one call per block
        rows = min(size, reps - k * size)
        parts[k] = simulate_block(eng, 7, k, rows=rows, method=method, block_size=size, times=grid)
    assert_identical(whole, BatchResult.concat([parts[k] for k in range(blocks)]))


@pytest.mark.parametrize("method", ["exact", "tau"])
def test_a_partial_block_is_the_prefix_of_the_full_block(method):
    eng, grid = mixed_engagement(), np.linspace(0, 3, 7)
    full = simulate_block(eng, 9, 3, method=method, block_size=50, times=grid)
    part = simulate_block(eng, 9, 3, rows=17, method=method, block_size=50, times=grid)
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(full, name)[:17], getattr(part, name))


@pytest.mark.parametrize("method", ["exact", "tau"])
def test_same_seed_same_result_and_another_seed_another(method):
    eng = mixed_engagement()
    r1 = simulate(eng, 300, seed=1, method=method, block_size=128)
    assert_identical(r1, simulate(eng, 300, seed=1, method=method, block_size=128))
    r2 = simulate(eng, 300, seed=2, method=method, block_size=128)
    assert not np.array_equal(r1.end_time, r2.end_time)


@pytest.mark.parametrize("method", ["exact", "tau"])
def test_breakpoints_are_respected(method):
    eng = Engagement.homogeneous("square", 100, 90, 0.01, 0.01, x_breakpoint=0.4, y_breakpoint=0.6)
    res = simulate(eng, 2000, seed=4, method=method)
    x, y = res.x_final[:, 0], res.y_final[:, 0]
    x_won, y_won, draw = (res.winner == c for c in (X_WINS, Y_WINS, NO_WINNER))
    assert np.all(y[x_won] <= 54) and np.all(x[x_won] > 40)
    assert np.all(x[y_won] <= 40) and np.all(y[y_won] > 54)
    assert np.all(x[draw] <= 40) and np.all(y[draw] <= 54)  # both broke in one tau step
    if method == "exact":  # one casualty at a time: the loser stops exactly at its count
        assert not draw.any()
        assert np.all(y[x_won] == 54) and np.all(x[y_won] == 40)


@pytest.mark.parametrize("method", ["exact", "tau"])
def test_reinforcements_add_exactly_their_amount(method):
    # Y cannot hurt X, so X's strength changes only by the arrival and the withdrawal
    eng = Engagement.build(
        "square",
        Side.build("x", 50, reinforcements=[(1.0, 25), (2.0, -10)]),
        Side.build("y", 1000),
        0.0,
        0.1,
        t_max=3.0,
    )
    grid = np.array([0.0, 0.99, 1.0, 1.5, 2.0, 2.9])
    res = simulate(eng, 500, seed=6, method=method, times=grid)
    np.testing.assert_array_equal(res.x_totals, np.tile([50, 50, 75, 75, 65, 65], (500, 1)))
    assert np.all(res.end_time == 3.0) and np.all(res.winner == NO_WINNER)
    # Y's losses are Poisson with mean b * integral of x dt (square law: Y's rate is b x)
    expected = 0.1 * (50 * 1 + 75 * 1 + 65 * 1)
    assert abs(1000 - res.y_final.mean() - expected) <= 4 * np.sqrt(expected / 500)


def test_breakpoint_counts_committed_strength_including_reinforcements():
    # X breaks at half of its committed strength: 5 units before the arrival at t=1, 10 after
    eng = Engagement.build(
        "square",
        Side.build("x", 10, breakpoint=0.5, reinforcements=[(1.0, 10)]),
        Side.build("y", 30),
        0.15,
        0.01,
    )
    res = simulate(eng, 3000, seed=12, method="exact")
    early, late = res.end_time < 1.0, res.end_time >= 1.0
    assert early.any() and late.any()
    assert np.all(res.x_final[early, 0] == 5) and np.all(res.x_final[late, 0] == 10)


def test_quit_time_ends_every_unfinished_replication_without_winner():
    eng = Engagement.build(
        "square", Side.build("x", 300, quit_time=0.5), Side.build("y", 280), 0.01, 0.01
    )
    res = simulate(eng, 500, seed=2, method="exact")
    assert np.all(res.end_time == 0.5) and np.all(res.winner == NO_WINNER)


@pytest.mark.parametrize("method", ["exact", "tau"])
@pytest.mark.parametrize(("t_max", "end"), [(np.inf, 0.0), (4.0, 4.0)])
def test_a_battle_nobody_can_fight_is_a_stalemate(method, t_max, end):
    eng = Engagement.homogeneous("square", 10, 10, 0.0, 0.0, t_max=t_max)
    res = simulate(eng, 20, seed=0, method=method)
    assert np.all(res.winner == NO_WINNER) and np.all(res.end_time == end)
    assert np.all(res.x_final == 10) and np.all(res.y_final == 10)


def test_auto_method_and_tau_step():
    small = Engagement.homogeneous("square", 1000, 800, 1e-3, 1e-3)
    assert resolve_method(small) == "exact"
    assert resolve_method(Engagement.homogeneous("square", 1500, 800, 1e-3, 1e-3)) == "tau"
    # expected loss per step is 1 % of strength for the most exposed side: Y, 800 / (b 1000)
    assert default_tau_step(small) == pytest.approx(0.01 * 800 / (1e-3 * 1000))


def test_summary_is_consistent_with_the_replications():
    res = simulate(mixed_engagement(), 777, seed=10, method="exact")
    s = res.summary()
    assert s.replications == 777
    assert s.p_x_wins == np.mean(res.winner == X_WINS)
    assert s.se_x_wins == pytest.approx(np.sqrt(s.p_x_wins * (1 - s.p_x_wins) / 777))
    for q in (s.x_final, s.y_final, s.duration):
        assert q.q05 <= q.q50 <= q.q95
    assert s.duration.q95 <= 3.0
    d = s.as_dict()
    assert set(d["x_final"]) == {"mean", "q05", "q50", "q95"}


@pytest.mark.parametrize(
    "call",
    [
        lambda e: simulate(e, 0, 1),
        lambda e: simulate(e, 10, -1),
        lambda e: simulate(e, 10, 1, block_size=0),
        lambda e: simulate(e, 10, 1, method="fast"),
        lambda e: simulate(e, 10, 1, times=[2.0, 1.0]),
        lambda e: simulate(e, 10, 1, method="tau", dt=-0.1),
        lambda e: simulate_block(e, 1, 0, rows=2000),
        lambda e: simulate(Engagement.homogeneous("square", 10.5, 8, 1, 1), 10, 1),
    ],
)
def test_bad_input_is_a_named_user_error(call):
    with pytest.raises(InputError):
        call(Engagement.homogeneous("square", 10, 8, 1, 1))
