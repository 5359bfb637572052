import subprocess
import sys

import pytest

CLI = [sys.executable, "-c", "from kriegsspiel.cli import main; main()"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["battle", "--x0", "abc"], "--x0"),
        (["battle", "--nope"], "--nope"),
        (["no-such-command"], "no-such-command"),
        (["battle", "--law", "cubic"], "law"),
    ],
)
def test_user_mistakes_are_one_line_with_status_2(args, needle):
    proc = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and needle in lines[0]
    assert "Traceback" not in proc.stderr


def test_help_exits_zero():
    proc = subprocess.run([*CLI, "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "battle" in proc.stdout
