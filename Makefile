# Bootstraps a virtual environment in .venv, then hands over to invoke (tasks.py).
# Needs only Python 3.11 or newer and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: help serve build test clean

help:
	@echo "make serve   build the site and serve it at http://127.0.0.1:8000 with live reload"
	@echo "make build   build the site into output/"
	@echo "make test    install the test tools and run the whole test suite"
	@echo "make clean   remove output/ and .venv/"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11 or newer.")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

serve: $(STAMP)
	$(BIN)/invoke livereload

build: $(STAMP)
	$(BIN)/invoke build

test: $(DEV_STAMP)
	$(BIN)/invoke test

clean:
	rm -rf output .venv
