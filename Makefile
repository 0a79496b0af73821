# The two commands a newcomer needs are `make run` and `make test`; both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
# fonts-noto-core: Noto Sans (Cyrillic) and Noto Sans Arabic for the PDFs; libicu-dev, pkg-config, g++: PyICU builds from source.
DEBIAN_PACKAGES := chromium fonts-noto-cjk fonts-noto-core poppler-utils wrk libicu-dev pkg-config g++
HOST ?= 127.0.0.1
PORT ?= 5000
# Message catalogues: the .po are committed, `make install` compiles them.
CATALOGS := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED_CATALOGS := $(CATALOGS:.po=.mo)

.PHONY: install system-packages run test lint stack bench clean translations

install: system-packages $(VENV)/.installed $(COMPILED_CATALOGS)

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --requirement requirements.lock
	touch $@

# Each translations/<language>/LC_MESSAGES/messages.po compiled when newer than its .mo (the .mo are not committed).
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --domain messages --locale $* --input-file $< --output-file $@

# Extract every marked string (babel.cfg) and bring every catalogue up to date with it; then list what
# is left to translate with `python translations/worklist.py list LANGUAGE` (tests/test_translations.py
# fails until every catalogue is complete).
translations: $(VENV)/.installed
	$(BIN)/pybabel extract --mapping-file babel.cfg --ignore-dirs ".* __pycache__" --add-comments Translators: --add-location file --sort-output \
		--project "Urgent Action tracker" --copyright-holder "Urgent Action tracker" \
		--version $$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml) --output-file translations/messages.pot .
	$(BIN)/pybabel update --input-file translations/messages.pot --output-dir translations --ignore-obsolete --no-fuzzy-matching
	$(BIN)/pybabel compile --directory translations --statistics

# Debian packages the tests and PDFs need, installed only when missing (we never download a browser build).
system-packages:
	@missing=""; for package in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

run: install
	$(FLASK) db upgrade
	$(FLASK) demo load
	$(FLASK) demo accounts
	@echo ""
	@echo "  Urgent Action tracker (embedded default: SQLite, Celery in-process, emails in instance/outbox/)"
	@echo "  Open http://$(HOST):$(PORT)/"
	@echo ""
	HOST=$(HOST) PORT=$(PORT) $(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The production shape on this machine's PostgreSQL and Redis; override any of these three.
STACK_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/urgent_action
STACK_REDIS_URL ?= redis://127.0.0.1:6379/1
STACK_PORT ?= 8000

stack: install
	@mkdir -p instance
	@test -s instance/stack_secret_key || $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > instance/stack_secret_key
	DATABASE_URL=$(STACK_DATABASE_URL) REDIS_URL=$(STACK_REDIS_URL) SECRET_KEY=$$(cat instance/stack_secret_key) \
		$(FLASK) database create
	DATABASE_URL=$(STACK_DATABASE_URL) REDIS_URL=$(STACK_REDIS_URL) SECRET_KEY=$$(cat instance/stack_secret_key) \
		$(FLASK) db upgrade
	DATABASE_URL=$(STACK_DATABASE_URL) REDIS_URL=$(STACK_REDIS_URL) SECRET_KEY=$$(cat instance/stack_secret_key) \
		$(FLASK) demo load
	@echo "  Production shape: http://127.0.0.1:$(STACK_PORT)/ (gunicorn, Celery worker and beat; Ctrl-C stops all)"
	DATABASE_URL=$(STACK_DATABASE_URL) REDIS_URL=$(STACK_REDIS_URL) SECRET_KEY=$$(cat instance/stack_secret_key) \
		PORT=$(STACK_PORT) $(BIN)/honcho start -f Procfile

# Benchmarks (bench/run.py) on their own databases (uat_bench*) and Redis db 8; writes docs/benchmarks.md. QUICK=1: under 3 minutes.
BENCH_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/uat_bench
bench: install
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=redis://127.0.0.1:6379/8 RATELIMIT_ENABLED=0 QUICK=$(QUICK) \
		$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) instance .pytest_cache
