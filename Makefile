.PHONY: run test setup lint bench

# Sets everything up and starts Headway on SQLite with the demo workspaces.
run:
	bin/setup
	.venv/bin/headway demo

# Sets everything up and runs linters and the whole test suite.
test:
	bin/test

setup:
	bin/setup

lint:
	DEBUG=false .venv/bin/ruff check . && .venv/bin/mypy headway bench

bench:
	bin/setup
	.venv/bin/python bench/run.py
	.venv/bin/python bench/planning.py
	.venv/bin/python bench/review.py
	.venv/bin/python bench/login.py
