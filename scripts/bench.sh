#!/usr/bin/env bash
# Issue 7's benchmark from a fresh clone: installs the reference tools, builds, runs every measure and every
# reference at each size, and prints each ratio with its verdict, then the growth and the targets' summary.
#
#   scripts/bench.sh                        # 10 000, 100 000 and 1 000 000 stays (about an hour on 2 cores)
#   scripts/bench.sh 10000 100000           # other sizes
#
# Needs the Debian packages of scripts/packages.env (scripts/setup.sh installs them: the C compiler builds the
# libxlsxwriter reference against the same library Passerelle uses) and Swift. Installs from PyPI, with pip,
# the tools Benchmarks/run.sh lists (polars, fastexcel, python-calamine, openpyxl, pandas, pyarrow, duckdb,
# xlsxwriter) unless BENCH_SKIP_INSTALL=1. Data is generated once per size and cached under
# $BENCH_DATA_ROOT (default /tmp: bench-10k, bench-100k, bench-1m); figures land in <data>/results/ (JSON),
# the summary in $BENCH_DATA_ROOT/bench-summary-<sizes>.json and the whole output in bench-<sizes>.log beside
# it. Every other BENCH_* setting of Benchmarks/run.sh applies (BENCH_SKIP_IMPORT=1 leaves out the daily
# import, which at 1 000 000 stays writes a million e-mails).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then sizes=(10000 100000 1000000); fi

missing=()
command -v swift > /dev/null || missing+=("swift (https://swift.org/install)")
command -v cc > /dev/null || command -v clang > /dev/null || missing+=("a C compiler (cc or clang)")
command -v python3 > /dev/null || missing+=("python3")
pkg-config --exists xlsxwriter 2> /dev/null || missing+=("libxlsxwriter-dev and pkg-config (scripts/setup.sh)")
if [ ${#missing[@]} -gt 0 ]; then
    printf 'scripts/bench.sh: missing %s\n' "${missing[@]}" >&2
    exit 69
fi

if [ "${BENCH_SKIP_INSTALL:-0}" != 1 ]; then
    # The generator's only need; run.sh installs the reference tools itself.
    python3 -m pip install --quiet openpyxl
fi

root=${BENCH_DATA_ROOT:-/tmp}
log="$root/bench-$(IFS=-; echo "${sizes[*]}").log"
echo "scripts/bench.sh: sizes ${sizes[*]}; output also in $log" >&2
Benchmarks/run.sh "${sizes[@]}" 2>&1 | tee "$log"
