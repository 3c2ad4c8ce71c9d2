#!/usr/bin/env bash
# The benchmarks from a fresh clone: installs the reference tools, builds, runs issue 7's measures and references
# at each size (Benchmarks/run.sh: each ratio with its verdict, the growth, the targets' summary), then issue 20's
# whole jobs (Benchmarks/engine.py: the reference job, the shipped daily import, the re-import, the monthly close,
# beside their Python versions) and prints issue 20's table.
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
# import, which at 1 000 000 stays writes a million e-mails). BENCH_ENGINE_ONLY=1 runs issue 20's jobs alone;
# BENCH_SKIP_ENGINE=1 leaves them out.
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
    if [ "${BENCH_ENGINE_ONLY:-0}" = 1 ]; then python3 -m pip install --quiet polars fastexcel xlsxwriter pyarrow; fi
fi

root=${BENCH_DATA_ROOT:-/tmp}
log="$root/bench-$(IFS=-; echo "${sizes[*]}").log"
echo "scripts/bench.sh: sizes ${sizes[*]}; output also in $log" >&2
if [ "${BENCH_ENGINE_ONLY:-0}" != 1 ]; then
    Benchmarks/run.sh "${sizes[@]}" 2>&1 | tee "$log"
else
    : > "$log"
fi
if [ "${BENCH_SKIP_ENGINE:-0}" != 1 ]; then
    swift build -c release --product passerelle --scratch-path "${BENCH_SCRATCH:-.build}" >&2
    echo "== issue 20: whole jobs" | tee -a "$log"
    python3 Benchmarks/engine.py "${BENCH_SCRATCH:-.build}/release/passerelle" "${sizes[@]}" \
        --json "$root/bench-engine-$(IFS=-; echo "${sizes[*]}").json" 2>&1 | tee -a "$log"
fi
