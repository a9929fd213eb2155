# Every target bootstraps .venv when it is missing and installs the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo demo-headless test bench fuzz check schema clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,dev]'
	touch $(STAMP)

# On a terminal: the wizard against the offline sandbox. Without one (CI, a pipe): the headless tour.
demo: $(STAMP)
	@if [ -t 0 ] && [ -t 1 ]; then \
		$(BIN)/aifactory --demo; \
	else \
		$(MAKE) --no-print-directory demo-headless; \
	fi

demo-headless: $(STAMP)
	$(BIN)/aifactory validate --preset poc-standalone --demo
	-$(BIN)/aifactory validate --preset enterprise-hub-spoke --demo
	$(BIN)/aifactory network --preset enterprise-hub-spoke --demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2

bench: $(STAMP)
	$(BIN)/python -m bench --write

fuzz: $(STAMP)
	$(BIN)/python -m bench.fuzz --inputs 100000 --write

check: $(STAMP)
	$(BIN)/ruff check wizard presets sandbox deploy screens tests bench
	$(BIN)/mypy wizard deploy
	$(BIN)/python -m pytest -n 2

schema: $(STAMP)
	$(BIN)/aifactory export --format schema -o presets/factory-config.schema.json

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
