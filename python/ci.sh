#!/usr/bin/env bash
# CI step for the Python package (called by .ci/run): build the wheel with maturin into a venv
# under $HOME/.cache/landclust/py-venv (created on first use), then run python/tests with pytest.
# The Rust build shares CARGO_TARGET_DIR with the main build, so a warm run recompiles only the
# extension crate.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/landclust/target}"
VENV="$HOME/.cache/landclust/py-venv"
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
fi
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
fi
"$VENV/bin/pip" install -q maturin numpy scipy scikit-learn xarray netCDF4 pytest fastcluster
echo "== python: pip install ./python (maturin, CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
start=$(date +%s)
"$VENV/bin/pip" install -q --force-reinstall --no-deps ./python
echo "python: wheel built and installed in $(( $(date +%s) - start )) s"
echo "== python: pytest python/tests"
export LANDCLUST_BIN="$CARGO_TARGET_DIR/release/landclust"
# From the repo root (not python/), so `import landclust` is the installed package.
"$VENV/bin/pytest" -q -p no:cacheprovider python/tests
