"""The check, schema and scenarios commands."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kriegsspiel.cli import app
from kriegsspiel.errors import KriegsspielError
from kriegsspiel.scenario.registry import shipped

runner = CliRunner()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from kriegsspiel.cli import main; main()"
    return subprocess.run(  # the real entry point, for exit status and stderr
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )


def test_check_ok_and_json() -> None:
    res = runner.invoke(app, ["check", "khasan-1938"])
    assert res.exit_code == 0 and res.stdout.startswith("OK  khasan-1938")
    res = runner.invoke(app, ["check", "khasan-1938", "--json"])
    info = json.loads(res.stdout)
    assert info["ok"] and info["units"]["soviet"] > 0 and len(info["content_hash"]) == 64


def test_check_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    text = shipped()["example-meeting"].read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('units = ["red-1"]', 'units = ["ghost"]'), encoding="utf-8")
    proc = _run("check", str(bad))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "events[1].units[0]: no unit with id 'ghost' (line" in proc.stderr
    assert "Traceback" not in proc.stderr
    res = runner.invoke(app, ["check", str(bad), "--json"])
    assert res.exit_code == 2
    problems = json.loads(res.stdout)["problems"]
    assert problems[0]["path"] == "events[1].units[0]" and problems[0]["line"] > 0


def test_check_with_overrides() -> None:
    res = runner.invoke(app, ["check", "example-meeting", "--set", "units[blue-1].men=0", "--json"])
    assert res.exit_code == 2 and "must be > 0" in res.stdout


def test_missing_file_is_exit_2() -> None:
    res = runner.invoke(app, ["check", "/nonexistent/x.toml"])
    assert res.exit_code == 2 and "no such file" in res.stderr


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    if isinstance(obj, datetime | date | time):
        return obj.isoformat()
    return obj


def test_schema_is_valid_and_accepts_the_shipped_files() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0
    schema = json.loads(res.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in shipped().values():
        data = _plain(tomllib.loads(path.read_text(encoding="utf-8")))
        assert list(validator.iter_errors(data)) == [], path.name
    assert list(validator.iter_errors({"meta": {}})) != []


def test_scenarios_list_and_path() -> None:
    res = runner.invoke(app, ["scenarios"])
    assert res.exit_code == 0
    names = [line.split()[0] for line in res.stdout.splitlines()]
    assert names == sorted(shipped())
    res = runner.invoke(app, ["scenarios", "--path", "khasan-1938"])
    assert Path(res.stdout.strip()) == shipped()["khasan-1938"]
    res = runner.invoke(app, ["scenarios", "--path", "nope"])
    assert isinstance(res.exception, KriegsspielError)  # main() turns it into exit status 2
