import json

import pandas as pd
import pytest

from kriegsspiel.datasets.cdb90 import _read_csv
from kriegsspiel.evidence.army_effects_doc import army_effects_csv, army_effects_markdown
from kriegsspiel.evidence.inputs import INPUT_COLUMNS
from kriegsspiel.evidence.model import default_model


@pytest.fixture
def summary_csv(tmp_path):
    """The first six rows of the shipped summary, outcome columns dropped, as raw text."""

    def write(edit=None, drop=("wina_fixed", "att_cas", "def_cas", "kmda_fixed")):
        table = _read_csv("cdb90_battle_summary.csv", dtype=str, keep_default_na=False).head(6)
        table = table.drop(columns=list(drop))
        if edit:
            edit(table)
        path = tmp_path / "battles.csv"
        table.to_csv(path, index=False)
        return path

    return write


def test_predict_answers_every_valid_row(run_cli, summary_csv):
    code, out, err = run_cli("predict", str(summary_csv()), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["rejected"] == []
    assert [b["isqno"] for b in result["battles"]] == ["1", "2", "4", "5", "6", "7"]
    for b in result["battles"]:
        assert 0 < b["p_attacker_wins"] < 1
        for side in ("att_cas", "def_cas"):
            assert b[side]["q05"] <= b[side]["median"] <= b[side]["q95"]


def test_predict_rejects_bad_rows_and_answers_the_rest(run_cli, summary_csv):
    def edit(t: pd.DataFrame):
        t.loc[1, "att_str"] = "0"
        t.loc[2, "post1"] = "ZZ"
        t.loc[3, "def_arty"] = "lots"
        t.loc[4, "terra1"] = "Q"

    code, out, err = run_cli("predict", str(summary_csv(edit)), "--json")
    assert code == 1
    result = json.loads(out)
    assert [b["row"] for b in result["battles"]] == [1, 6]
    got = {(r["row"], r["column"]) for r in result["rejected"]}
    assert got == {(2, "att_str"), (3, "post1"), (4, "def_arty"), (5, "terra1")}
    assert "row 4, column def_arty" in err and "'lots'" in err


def test_predict_missing_column_is_a_file_error(run_cli, summary_csv):
    code, out, err = run_cli("predict", str(summary_csv(drop=("wx3",))), "--json")
    assert code == 2
    assert out == ""
    assert err.startswith("error:") and "wx3" in err and len(err.strip().splitlines()) == 1


def test_predict_reads_only_input_columns(run_cli, summary_csv, tmp_path):
    _, full, _ = run_cli("predict", str(summary_csv(drop=())), "--json")

    def keep_inputs(t: pd.DataFrame):
        for c in [c for c in t.columns if c not in INPUT_COLUMNS]:
            del t[c]

    _, minimal, _ = run_cli("predict", str(summary_csv(keep_inputs)), "--json")
    strip = [{k: v for k, v in b.items() if k != "isqno"} for b in json.loads(full)["battles"]]
    assert strip == json.loads(minimal)["battles"]


def test_predict_unreadable_file(run_cli, tmp_path):
    code, _, err = run_cli("predict", str(tmp_path / "none.csv"))
    assert code == 2 and "no such file" in err


def test_validate_cdb90_json_reports_goals(run_cli):
    code, out, _ = run_cli("validate", "cdb90", "--folds", "3", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["folds"] == 3
    assert set(result["winner"]) == {
        "model",
        "attacker_wins",
        "larger_side_wins",
        "logistic_regression",
    }
    assert set(result["goals"]) == {
        "winner_accuracy",
        "att_cas_median_abs_log10",
        "def_cas_median_abs_log10",
    }


def test_validate_all_writes_the_scoreboard(run_cli, monkeypatch, tmp_path, scores):
    # Iwo Jima belongs to another module: stand in for it; CDB90 scores come from the session
    monkeypatch.setattr(
        "kriegsspiel.cli.validate_cdb90.validate_iwojima", lambda: {"law": "square", "mape": 0.5}
    )
    monkeypatch.setattr("kriegsspiel.cli.validate_cdb90.cross_validate", lambda: scores)
    code, out, _ = run_cli("validate", "all", "--out", str(tmp_path), "--json")
    assert code == 0
    board = json.loads(out)
    assert board == json.loads((tmp_path / "scoreboard.json").read_text())
    assert board["iwojima"]["mape"] == 0.5
    md = (tmp_path / "scoreboard.md").read_text()
    assert "| iwojima" not in md and "| mape | 0.5 |" in md
    assert f"{scores['winner']['model']['accuracy']:.1%}" in md
    assert (tmp_path / "evidence-model.md").read_text().startswith("# The evidence model")
    w = default_model().winner
    assert (tmp_path / "army-effects.md").read_text() == army_effects_markdown(w)
    assert (tmp_path / "army-effects.csv").read_text() == army_effects_csv(w)
