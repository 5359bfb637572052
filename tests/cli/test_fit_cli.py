import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from kriegsspiel.cli import app
from kriegsspiel.fit import fit
from kriegsspiel.series import load_shipped

runner = CliRunner()

SERIES = """day,side,strength,losses,reinforcements
0,Blue,1000,,
0,Red,800,,
{rows}"""


def write_series(tmp_path, a=0.02, b=0.03, days=12):
    # square law by hand with a fine Euler step: enough for the CLI to have something to fit
    x, y, rows = 1000.0, 800.0, []
    for d in range(1, days + 1):
        for _ in range(1000):
            x, y = x - a * y / 1000, y - b * x / 1000
        rows.append(f"{d},Blue,{x:.3f},,\n{d},Red,{y:.3f},,")
    path = tmp_path / "battle.csv"
    path.write_text(SERIES.format(rows="\n".join(rows)) + "\n")
    return path


def test_fit_json_reports_law_params_errors_and_forecast(tmp_path):
    path = write_series(tmp_path)
    result = runner.invoke(
        app, ["fit", str(path), "--law", "square", "--train-until", "8", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["law"] == "square"
    assert out["params"]["a"] == pytest.approx(0.02, rel=1e-3)
    assert set(out["stderr"]) == {"a", "b"}
    assert out["r2"] > 0.999 and out["n"] == 16
    assert set(out["forecast"]) >= {"r2", "rmse", "mape"} and out["forecast"]["n"] == 8
    assert "mape" in out["persistence"]


def test_fit_auto_reports_the_selection(tmp_path):
    path = write_series(tmp_path)
    result = runner.invoke(app, ["fit", str(path), "--law", "auto", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["law"] == out["auto"]["winner"]
    assert set(out["auto"]["scores"]) >= {"square", "linear", "generalized"}
    assert "mape" in out["auto"]["persistence"]


def test_fit_shipped_iwojima_shortcut_matches_the_validation():
    result = runner.invoke(app, ["fit", "iwojima", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    expected = fit(load_shipped("iwojima"), "square")
    assert out["r2"] == pytest.approx(expected.fit.r2, abs=1e-9)
    assert out["n"] == 35


def test_validate_iwojima_json():
    result = runner.invoke(app, ["validate", "iwojima", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) >= {"engel", "square", "generalized", "published_r2"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--law", "cubic"], "law: one of"),
        (["--on", "deaths"], "--on: strength or losses"),
        (["--train-until", "99"], "train_until: a day in 1..12"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(tmp_path, args, message):
    path = write_series(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", "from kriegsspiel.cli import main; main()", "fit", str(path), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("error: ") and message in line


def test_bad_series_file_exits_2_naming_row_and_column(tmp_path):
    path = write_series(tmp_path)
    path.write_text(path.read_text().replace("1,Blue,", "1,Blue,x", 1))
    proc = subprocess.run(
        [sys.executable, "-c", "from kriegsspiel.cli import main; main()", "fit", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"error: {path} row 4, column strength: a number (got 'x")
