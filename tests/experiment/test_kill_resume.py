"""kill -9 in the middle of a run, then --resume: the same results as an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from kriegsspiel.experiment import Results, run_experiment
from kriegsspiel.experiment.aggregate_task import aggregate_task

REPS, BLOCK, SEED = 600, 5, 11
TASK = ("square", 150, 120, 0.02, 0.025)

SCRIPT = f"""
import sys
from kriegsspiel.experiment import run_experiment
from kriegsspiel.experiment.aggregate_task import aggregate_task
task = aggregate_task(*{TASK!r}, method="exact")
run_experiment(task, sys.argv[1], replications={REPS}, seed={SEED}, block_size={BLOCK},
               progress=False)
"""


@pytest.mark.timeout(120)
def test_kill_nine_then_resume(tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(out)])
    markers = out / "blocks"
    try:
        while proc.poll() is None and len(list(markers.glob("*.json"))) < 4:
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "running"  # it was killed in the middle, not after the end
    done_before = len(list(markers.glob("*.json")))
    assert 4 <= done_before < REPS // BLOCK
    # what a kill during a write leaves behind: a temporary file and a part without its marker
    (out / "parts" / ".block-00100.parquet.0123abcd.tmp").write_bytes(b"PAR1 half a part")
    (out / "parts" / "block-00101.parquet").write_bytes(b"PAR1 not listed by any marker")
    assert Results.open(out, partial=True).missing  # the unlisted part is not counted as data

    task = aggregate_task(*TASK, method="exact")
    opts = {"replications": REPS, "seed": SEED, "block_size": BLOCK, "progress": False}
    resumed = run_experiment(task, out, resume=True, **opts)  # type: ignore[arg-type]
    clean = run_experiment(task, tmp_path / "clean", **opts)  # type: ignore[arg-type]

    assert resumed.complete and resumed.manifest["status"] == "complete"
    assert resumed.arrow().equals(clean.arrow())
    replications = resumed.frame().index.to_numpy()
    assert np.array_equal(replications, np.arange(REPS))  # none missing, none twice
    assert not list(out.rglob("*.tmp"))
    assert len(resumed.manifest["resumed"]) == 1


INTERRUPTIBLE = (
    SCRIPT.replace(  # a long run, so that SIGINT lands mid-run even on a busy machine
        f"replications={REPS}", f"replications={REPS * 50}"
    )
    .replace(
        "run_experiment(",
        "from kriegsspiel.errors import KriegsspielError\ntry:\n    run_experiment(",
    )
    .replace(
        "progress=False)",
        "progress=False)\nexcept KriegsspielError as exc:\n"
        "    print(exc, file=sys.stderr)\n    sys.exit(2)",
    )
)


@pytest.mark.timeout(120)
def test_ctrl_c_keeps_finished_blocks_and_says_how_to_resume(tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTIBLE, str(out)], stderr=subprocess.PIPE, text=True
    )
    while proc.poll() is None and len(list((out / "blocks").glob("*.json"))) < 3:
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "interrupted" in stderr and "--resume" in stderr and stderr.count("\n") == 1
    partial = Results.open(out, partial=True)
    assert partial.manifest["status"] == "interrupted" and len(partial.blocks) >= 3
