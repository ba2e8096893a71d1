# Two commands set everything up on a fresh machine (see README):
#   make run   -- virtualenv + pinned dependencies, then the service with the example regions
#   make test  -- the same set-up, then lint, types and the whole test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.geinstalleerd

.PHONY: run test lint setup clean chromium

# The browser tests drive Debian's own Chromium through Playwright's Python client
# (executable_path); nothing downloads a browser of its own. Installed once, as root.
CHROMIUM := /usr/bin/chromium

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 ontbreekt: installeer python3.11 of zet PYTHON=..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e ".[dev]"
	touch $(STAMP)

# The workbench's page (issue 17): CodeMirror 6 bundled by esbuild into web/dist, rebuilt when
# missing or older than its sources; exact versions from web/package-lock.json (npm ci).
WEB     := web
BUNDEL  := $(WEB)/dist/werkbank.js
NPMSTAMP := $(WEB)/node_modules/.package-lock.json

$(NPMSTAMP): $(WEB)/package.json $(WEB)/package-lock.json
	@command -v npm >/dev/null || { echo "npm ontbreekt: installeer Node.js (20 of nieuwer) en npm (apt-get install nodejs npm) om de werkbank te bouwen"; exit 1; }
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	touch $(NPMSTAMP)

$(BUNDEL): $(NPMSTAMP) $(wildcard $(WEB)/src/*.js)
	cd $(WEB) && npm run -s build

setup: $(STAMP) $(BUNDEL)

run: $(STAMP) $(BUNDEL)
	$(BIN)/regelwerk serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy engine dsl berichten weergave opslag batch betalen proefdata

chromium:
	@test -x $(CHROMIUM) || { \
	  command -v apt-get >/dev/null || { echo "Chromium ontbreekt ($(CHROMIUM)) en apt-get is er niet: installeer het pakket chromium van de distributie, of zet CHROMIUM=..."; exit 1; }; \
	  [ "$$(id -u)" = 0 ] || { echo "Chromium ontbreekt ($(CHROMIUM)): installeer het als root met 'apt-get install chromium' (dit commando draait niet als root)"; exit 1; }; \
	  echo "Chromium ontbreekt: apt-get install chromium (eenmalig, voor de browsertests)"; \
	  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null \
	    || { echo "apt-get kon chromium niet installeren; installeer het pakket chromium zelf"; exit 1; }; }

test: lint chromium $(BUNDEL)
	node --test $(WEB)/test/
	REGELWERK_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -n 2 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV)
