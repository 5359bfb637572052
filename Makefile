# The two commands of the README's quickstart.
PY ?= python3

.PHONY: khasan test lint

khasan:  ## install and run the main job
	$(PY) -m pip install --quiet -e .
	kriegsspiel validate iwojima

test:  ## install the test dependencies and run the whole suite
	$(PY) -m pip install --quiet -e '.[test]'
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	ruff check src tests benchmarks
	mypy
	$(PY) -m pytest

lint:
	ruff check src tests benchmarks
	ruff format --check src tests benchmarks
	mypy
