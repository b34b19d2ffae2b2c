#!/usr/bin/env bash
# Spark interchange check: on the 0.25-degree synth file, `landclust export`, the
# Spark job jobs/spark/landclust_kmeans.py in local mode, `landclust import`; then
# tests/engine/check_spark.py compares with landclust's own K-Means at the same k:
#   Spark inertia within 1 % of landclust's, ARI(Spark, landclust) >= 0.95, and landclust's
#   Davies-Bouldin / Calinski-Harabasz of Spark's labels equal to the job's to 1e-9 relative, and
#   the two sampled silhouettes of those labels within three standard errors of each other.
# Installs what it needs on a fresh Debian machine: a Java runtime (apt) when `java` is missing,
# and a virtual environment with pyspark + numpy (PyPI) under $HOME/.cache/landclust/.
# Usage: tests/engine/check_spark.sh [path/to/landclust]   (default: $CARGO_TARGET_DIR/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${1:-${CARGO_TARGET_DIR:-target}/release/landclust}"
K="${K:-6}"
VENV="${LANDCLUST_SPARK_VENV:-$HOME/.cache/landclust/spark-venv}"

apt_install() {
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "$@"
}
if ! command -v java >/dev/null 2>&1; then
    echo "== installing a Java runtime (Debian default-jre-headless)"
    apt_install default-jre-headless
fi
if ! "$VENV/bin/python" -c "import pyspark, numpy" >/dev/null 2>&1; then
    echo "== creating $VENV with pyspark and numpy"
    python3 -m venv "$VENV" >/dev/null 2>&1 || { apt_install python3-venv && python3 -m venv "$VENV"; }
    "$VENV/bin/pip" install -q "pyspark>=3.5,<4.1" numpy
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
t0=$SECONDS
"$BIN" --quiet synth --resolution 0.25 --out "$work/synth.nc" >/dev/null
"$BIN" --quiet export "$work/synth.nc" --out "$work/export"
"$VENV/bin/python" jobs/spark/landclust_kmeans.py "$work/export" --out "$work/spark" --k "$K" \
    --master 'local[2]' --silhouette-sample 4000 2> "$work/spark.log" || { tail -40 "$work/spark.log"; exit 1; }
"$BIN" --quiet import "$work/spark/labels" "$work/export" --out "$work/imported" --no-figures
"$BIN" --quiet run "$work/synth.nc" --k "$K" --out "$work/own" --no-figures >/dev/null
"$VENV/bin/python" tests/engine/check_spark.py "$work"
echo "== spark check passed in $((SECONDS - t0)) s"
