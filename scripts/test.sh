#!/usr/bin/env bash
# Runs every test: Rust formatting, lints and tests, then the Python package built as a user
# would build it (pip install .) and its tests. Installs what it needs into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
VPY=.venv/bin/python
"$VPY" -m pip install -q --disable-pip-version-check -r requirements-test.txt

echo "== cargo fmt"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo test"
cargo test -p ironrasp-core
echo "== pip install ."
"$VPY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps .
echo "== ruff"
.venv/bin/ruff check python tests bench examples training
echo "== pytest"
.venv/bin/pytest -q -p no:cacheprovider tests
