# Two commands on a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: run test prod lint bench bench-cached bench-search bench-reports bench-faults bench-legacy bench-documents vendor-pdfjs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: export DJANGO_DEBUG ?= 1
run: $(STAMP)
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_demo_admin --port $(PORT)
	@# The queue's worker (alert mail, attachments' text versions) runs beside
	@# the server and stops with it.
	$(BIN)/python manage.py alerts_worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production stack on this machine: nginx -> gunicorn, DEBUG off (deploy/prod.py).
prod: $(STAMP)
	$(BIN)/python deploy/prod.py

# axe-core (npm) is for the browser tests only; without npm they skip and say so.
$(AXE): tests/browser/package.json
	command -v npm >/dev/null && npm ci --prefix tests/browser --silent --no-audit --no-fund || true

test: $(STAMP) $(AXE)
	$(BIN)/pytest

WRK := command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

bench: $(STAMP)
	$(WRK)
	$(BIN)/python bench/run.py

# Release pages through make prod's nginx cache, counted from its log.
bench-cached: $(STAMP)
	$(WRK)
	$(BIN)/python bench/cached.py

bench-search: $(STAMP)
	$(WRK)
	$(BIN)/python bench/search.py

bench-reports: $(STAMP)
	$(BIN)/python bench/reports.py

# Importing an old board of 100,000 articles (issue 14).
bench-legacy: $(STAMP)
	$(BIN)/python bench/legacy.py

bench-documents: $(STAMP)
	$(BIN)/python bench/documents.py

# Restarts the machine's PostgreSQL mid-run: not beside other work.
bench-faults: $(STAMP)
	$(WRK)
	$(BIN)/python bench/faults.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# PDF.js for the attachments' PDF viewer, vendored from npm's pdfjs-dist: the
# library, its worker, the Korean and Identity CMaps and the standard fonts.
PDFJS_VERSION := 6.5.438
PDFJS := static/vendor/pdfjs
vendor-pdfjs:
	work=$$(mktemp -d) && cd $$work && npm pack pdfjs-dist@$(PDFJS_VERSION) --silent >/dev/null \
	  && tar xzf pdfjs-dist-$(PDFJS_VERSION).tgz && cd $(CURDIR) \
	  && rm -rf $(PDFJS) && mkdir -p $(PDFJS)/cmaps $(PDFJS)/standard_fonts \
	  && cp $$work/package/build/pdf.min.mjs $$work/package/build/pdf.worker.min.mjs $$work/package/LICENSE $(PDFJS)/ \
	  && cp $$(ls $$work/package/cmaps/* | grep -E 'KSC|UniKS|Korea1|Identity') $(PDFJS)/cmaps/ \
	  && cp $$work/package/standard_fonts/* $(PDFJS)/standard_fonts/ \
	  && echo "pdfjs-dist $(PDFJS_VERSION)" > $(PDFJS)/VERSION && rm -rf $$work

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .prod .pytest_cache tests/browser/node_modules
