import pytest

from kriegsspiel.datasets import cdb90
from kriegsspiel.evidence.crossval import cross_validate
from kriegsspiel.evidence.model import EvidenceModel, default_model


@pytest.fixture(scope="session")
def battles():
    return cdb90.load()


@pytest.fixture(scope="session")
def model() -> EvidenceModel:
    return default_model()


@pytest.fixture(scope="session")
def scores():
    return cross_validate()


@pytest.fixture
def run_cli(monkeypatch, capsys):
    """Run ``kriegsspiel ARGS`` in-process; return (exit status, stdout, stderr)."""
    from kriegsspiel.cli import main

    def run(*args: str):
        monkeypatch.setattr("sys.argv", ["kriegsspiel", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
