"""A run's identity names the scenario by content, not by where its file lies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kriegsspiel.errors import KriegsspielError
from kriegsspiel.experiment import BlockTask, run_experiment, runner
from kriegsspiel.experiment.engine_adapter import scenario_task
from kriegsspiel.experiment.fingerprint import code_sha256, sources_sha256
from kriegsspiel.scenario.registry import shipped_path

OPTS = {"replications": 4, "seed": 3, "block_size": 2, "progress": False}
MEN, MORE_MEN = "men = { value = 120, source", "men = { value = 130, source"


def _copy_to(folder: Path) -> Path:
    source = shipped_path("example-meeting")
    assert source is not None
    folder.mkdir()
    return Path(shutil.copy(source, folder / "meeting.toml"))


def test_the_same_file_in_two_folders_is_the_same_run(tmp_path: Path) -> None:
    a = scenario_task(str(_copy_to(tmp_path / "a")))
    b = scenario_task(str(_copy_to(tmp_path / "b")))
    assert a.params["file"] != b.params["file"]  # the workers still read the file's own folder
    assert (a.params_sha256, a.scenario_hash) == (b.params_sha256, b.scenario_hash)
    edited = tmp_path / "c"
    text = _copy_to(edited).read_text(encoding="utf-8")
    assert MEN in text
    (edited / "meeting.toml").write_text(text.replace(MEN, MORE_MEN, 1), encoding="utf-8")
    assert scenario_task(str(edited / "meeting.toml")).scenario_hash != a.scenario_hash


def test_a_run_resumes_after_its_scenario_folder_moved(tmp_path: Path) -> None:
    first = _copy_to(tmp_path / "project")
    half = run_experiment(scenario_task(str(first)), tmp_path / "out", **OPTS)
    # drop the second block, as if the run had been interrupted, then move the project
    (tmp_path / "out" / "blocks" / "block-00001.json").unlink()
    moved = Path(shutil.move(tmp_path / "project", tmp_path / "moved")) / "meeting.toml"
    res = run_experiment(scenario_task(str(moved)), tmp_path / "out", resume=True, **OPTS)
    assert res.manifest["status"] == "complete"
    assert res.arrow().equals(half.arrow())
    assert str(tmp_path) not in (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8")


def test_a_locator_is_left_out_of_the_identity_and_nothing_else() -> None:
    ref = "kriegsspiel.experiment.aggregate_task:aggregate_block"
    plain = BlockTask.create(ref, {"x": 1, "where": "/a"}, scenario="s")
    here = BlockTask.create(ref, {"x": 1, "where": "/a"}, scenario="s", locators=("where",))
    there = BlockTask.create(ref, {"x": 1, "where": "/b"}, scenario="s", locators=("where",))
    other = BlockTask.create(ref, {"x": 2, "where": "/a"}, scenario="s", locators=("where",))
    assert here.params_sha256 == there.params_sha256 != other.params_sha256
    assert (
        plain.params_sha256
        != BlockTask.create(ref, {"x": 1, "where": "/b"}, scenario="s").params_sha256
    )
    assert there.with_params(x=2).params_sha256 == other.params_sha256


def test_a_different_scenario_still_refuses_to_resume(tmp_path: Path) -> None:
    first = _copy_to(tmp_path / "p")
    run_experiment(scenario_task(str(first)), tmp_path / "out", **OPTS)
    first.write_text(first.read_text(encoding="utf-8").replace(MEN, MORE_MEN, 1), encoding="utf-8")
    with pytest.raises(KriegsspielError, match="different run"):
        run_experiment(scenario_task(str(first)), tmp_path / "out", resume=True, **OPTS)


def test_a_change_to_the_code_makes_a_different_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _copy_to(tmp_path / "p")
    run_experiment(scenario_task(str(first)), tmp_path / "out", **OPTS)
    monkeypatch.setattr(runner, "code_sha256", lambda: "0" * 64)  # as if the engine had changed
    with pytest.raises(KriegsspielError, match=r"different run.*code_sha256="):
        run_experiment(scenario_task(str(first)), tmp_path / "out", resume=True, **OPTS)


def test_the_code_hash_follows_every_source_file_and_nothing_else(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n")
    (package / "sub" / "b.py").write_text("y = 2\n")
    before = sources_sha256(package)
    (package / "notes.txt").write_text("not code")
    assert sources_sha256(package) == before
    (package / "sub" / "b.py").write_text("y = 3\n")
    assert sources_sha256(package) != before
    (package / "sub" / "b.py").write_text("y = 2\n")
    assert sources_sha256(package) == before
    (package / "sub" / "b.py").rename(package / "b2.py")  # same bytes, another module
    assert sources_sha256(package) != before
    assert code_sha256() == sources_sha256(Path(runner.__file__).resolve().parents[1])
