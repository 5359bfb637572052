"""``kriegsspiel whatif``: listing, bad names, the hookup to scenario what-ifs, one real run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kriegsspiel.cli import app
from kriegsspiel.experiment import Results
from kriegsspiel.experiment.engine_adapter import scenario_summary, scenario_task, scenario_whatif
from kriegsspiel.scenario import load
from kriegsspiel.scenario.registry import shipped

runner = CliRunner()


def test_list_shows_every_what_if_with_its_history() -> None:
    listed = runner.invoke(app, ["whatif", "khasan-1938", "--list", "--json"])
    assert listed.exit_code == 0
    rows = json.loads(listed.stdout)["whatifs"]
    names = [r["name"] for r in rows]
    # every what-if of the scenario, in its order (test_whatifs.py pins which ones ship)
    assert names == list(load("khasan-1938").whatifs)
    text = runner.invoke(app, ["whatif", "khasan-1938", "--list"]).stdout
    for row in rows:
        assert f"{row['name']}: {row['title']}" in text and row["history"] in text
    assert next(r for r in rows if r["name"] == "article")["scenario"] == "khasan-1938-article"


def test_scenarios_and_check_list_what_ifs() -> None:
    rows = json.loads(runner.invoke(app, ["scenarios", "--json"]).stdout)
    by_name = {r["name"]: r for r in rows}
    assert (
        "no-fog" in by_name["khasan-1938"]["whatifs"]
        and by_name["example-meeting"]["whatifs"] == []
    )
    info = json.loads(runner.invoke(app, ["check", "khasan-1938", "--json"]).stdout)
    assert "cross-border" in info["whatifs"]
    assert "what-ifs: no-air" in runner.invoke(app, ["check", "khasan-1938"]).stdout


def test_bad_what_if_name_is_one_line_listing_the_names(tmp_path: Path) -> None:
    code = "from kriegsspiel.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "whatif", "khasan-1938", "no-tanks", "--out",
         str(tmp_path / "o")], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert (
        "no-tanks" in done.stderr and "cross-border" in done.stderr and "no-defector" in done.stderr
    )
    assert not (tmp_path / "o").exists()


def test_whatif_hookup_gives_the_variant_scenario_and_its_overrides() -> None:
    assert scenario_whatif("khasan-1938", "article") == ("khasan-1938-article", {})
    scenario, overrides = scenario_whatif("khasan-1938", "no-air")
    assert scenario == "khasan-1938"
    assert overrides == {"events[kind=air_strike].sorties": 0, "units[type=air].sorties": 0}


_WHATIFS = """
[whatifs.recolour]
title = "Blue in black"
history = "Only the map colour of Blue changes [FM]."
sources = ["FM"]
overrides = ['sides.blue.color="#000000"']

[whatifs.clear]
title = "No morning fog"
history = "The ground fog of the example does not form [FM]."
sources = ["FM"]
overrides = ["weather.periods[*].fog=false"]
"""


@pytest.mark.slow
def test_whatif_end_to_end_with_common_random_numbers(tmp_path: Path) -> None:
    """The real engine on the small example (a few seconds): baseline and variant, paired."""
    text = shipped()["example-meeting"].read_text(encoding="utf-8") + _WHATIFS
    scenario = tmp_path / "meeting.toml"
    scenario.write_text(text, encoding="utf-8")
    args = ["--reps", "4", "--block", "2", "--seed", "7", "--quiet", "--json"]
    same = runner.invoke(
        app, ["whatif", str(scenario), "recolour", "--out", str(tmp_path / "r"), *args]
    )
    assert same.exit_code == 0, same.output
    report = json.loads(same.stdout)
    assert report["paired"] and report["whatif"] == "recolour"
    # A display-only change under common random numbers: every replication is the same,
    # although the replications differ from one another.
    numbers = Results.open(tmp_path / "r" / "baseline").frame().select_dtypes("number")
    assert (numbers.std() > 0).any()
    for metric in report["metrics"].values():
        assert metric["diff_mean"] == {"estimate": 0.0, "low": 0.0, "high": 0.0}
    base, variant = (
        Results.open(tmp_path / "r" / "baseline"),
        Results.open(tmp_path / "r" / "recolour"),
    )
    for key in ("seed", "block_size"):
        assert base.manifest[key] == variant.manifest[key]
    assert variant.manifest["overrides"] == {"sides.blue.color": "#000000"}
    assert not base.manifest["overrides"]
    # each run has the summary.json that `run` writes, from its own replications
    for folder, results in (("baseline", base), ("recolour", variant)):
        summary = json.loads((tmp_path / "r" / folder / "summary.json").read_text())
        assert summary["replications"] == 4 and summary["seed"] == 7
        assert summary["overrides"] == results.manifest["overrides"]
        assert summary == scenario_summary(scenario_task(str(scenario), summary["overrides"]),
                                           results.frame(), 7)  # fmt: skip
    clear = runner.invoke(
        app, ["whatif", str(scenario), "clear", "--out", str(tmp_path / "c"), *args]
    )
    assert clear.exit_code == 0, clear.output
    assert json.loads(clear.stdout)["paired"]
    assert Results.open(tmp_path / "c" / "clear").frame().shape[0] == 4
