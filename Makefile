# The two commands of the README's quickstart.
PY ?= python3

.PHONY: khasan test lint

RUN ?= runs/khasan-1938

khasan:  ## install, run the Khasan campaign (1,000 replications), write its report and a replay
	$(PY) -m pip install --quiet -e .
	kriegsspiel run khasan-1938 --reps 1000 --seed 1 --out $(RUN) --resume --move-aside
	kriegsspiel report $(RUN)
	kriegsspiel replay $(RUN) --rep 0

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
