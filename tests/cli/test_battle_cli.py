import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from kriegsspiel.aggregate import Engagement, markov_outcome
from kriegsspiel.cli import app
from kriegsspiel.errors import InputError

runner = CliRunner()
QUANTILES = {"mean", "q05", "q50", "q95"}


def run_json(*args):
    result = runner.invoke(app, ["battle", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_stochastic_json_has_probabilities_and_quantiles():
    out = run_json("--stochastic", "--reps", "3000", "--seed", "4", "--block", "512")
    assert (out["replications"], out["seed"], out["method"]) == (3000, 4, "exact")
    exact = markov_outcome(Engagement.homogeneous("square", 10, 8, 1, 1)).p_x_wins
    assert abs(out["p_x_wins"] - exact) <= 4 * out["p_x_wins_se"]
    assert out["p_x_wins"] + out["p_y_wins"] + out["p_draw"] == pytest.approx(1.0)
    for key in ("x_final", "y_final", "duration"):
        q = out[key]
        assert set(q) == QUANTILES and q["q05"] <= q["q50"] <= q["q95"]


def test_same_seed_same_json_and_block_size_is_part_of_the_run():
    args = ("--stochastic", "--reps", "700", "--seed", "9", "--block", "256")
    assert run_json(*args) == run_json(*args)


def test_auto_picks_tau_for_large_forces_and_reports_its_step():
    out = run_json(
        "--stochastic", "--x0", "10000", "--y0", "8000", "--a", "1e-4", "--b", "1e-4",
        "--reps", "50",
    )  # fmt: skip
    assert out["method"] == "tau" and out["dt"] > 0
    # square law: X keeps about sqrt(x0^2 - y0^2) = 6000
    assert out["x_final"]["mean"] == pytest.approx(6000, rel=0.01)


def test_ode_output_has_the_same_shape():
    out = run_json("--x0", "10", "--y0", "8")
    assert out["method"] == "ode" and out["winner"] == "x"
    assert set(out["x_final"]) == QUANTILES
    assert out["x_final"]["q50"] == pytest.approx(6.0, rel=1e-6)


@pytest.mark.parametrize(
    "args",
    [
        ["--stochastic", "--reps", "0"],
        ["--stochastic", "--seed", "-1"],
        ["--stochastic", "--block", "0"],
        ["--stochastic", "--method", "fast"],
        ["--stochastic", "--method", "tau", "--dt", "-1"],
        ["--stochastic", "--x0", "10.5"],
        ["--reps", "10"],
    ],
)
def test_bad_stochastic_options_are_user_errors(args):
    result = runner.invoke(app, ["battle", *args, "--json"])
    assert isinstance(result.exception, InputError)


def test_user_error_is_one_line_on_stderr_with_status_2():
    code = "from kriegsspiel.cli import main; main()"
    proc = subprocess.run(
        [sys.executable, "-c", code, "battle", "--stochastic", "--reps", "0"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().count("\n") == 0 and "--reps" in proc.stderr
