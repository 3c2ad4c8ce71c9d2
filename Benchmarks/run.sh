#!/usr/bin/env bash
# Benchmarks Passerelle against the tools users would pick instead, on the same files, in one run (issue 7).
#
#   Benchmarks/run.sh 100000 1000000        # sizes in stays (scripts/bench.sh runs 10k, 100k and 1m)
#
# For each size: generates the data once (cached in $BENCH_DATA_ROOT/bench-<1k|100k|1m|N>, default /tmp),
# runs passerelle-bench (release build), then each reference under /usr/bin/time (peak memory): the Python
# readers and imports on the same files, and the writers (a minimal C program over libxlsxwriter, compiled
# here, and Python's xlsxwriter) on the very cells our writing measures wrote (<data>/cells). Prints every
# ratio against the issue's targets. Figures land in <data>/results/.
#
# Environment: BENCH_DATA_ROOT (default /tmp); BENCH_SCRATCH (build folder, default .build);
# BENCH_SKIP_INSTALL=1 to skip pip; BENCH_MEASURES="xlsx_read csv_ingest" to run only some of ours;
# BENCH_REFERENCES="fastexcel polars_csv" to run only some references (names below); BENCH_SKIP_IMPORT=1 to
# leave out the daily import (ours and Python's), which at 1 000 000 stays writes a million e-mails;
# BENCH_SKIP_PYTHON_WRITE=1 to leave out Python's xlsxwriter (the slowest writer, for reference only);
# BENCH_REPEATS (default 3): runs of our writing measures and of the C program, the shortest counting for both
# (on a shared machine it is the one least slowed by others; Python's xlsxwriter runs once); BENCH_DROP_CACHES=0
# to keep the kernel's caches between programs (dropped by default when this user may: see drop_caches below).
# Each measure's outputs stay in place until the next run, which moves them aside and deletes them after its last
# measure: on ext4, files deleted in the last minutes slow the creation of new ones (a million e-mails, here).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ $# -eq 0 ]; then
    echo "usage: Benchmarks/run.sh SIZE... (stays, e.g. 100000 1000000)" >&2
    exit 64
fi

tools=(polars fastexcel python-calamine openpyxl pandas pyarrow duckdb xlsxwriter)
if [ "${BENCH_SKIP_INSTALL:-0}" != 1 ]; then
    # Check that PyPI serves them before installing anything (pyarrow: pandas' string columns).
    pip download --quiet --no-deps -d "$(mktemp -d)" "${tools[@]}"
    pip install --quiet "${tools[@]}"
fi

scratch=${BENCH_SCRATCH:-.build}
swift build -c release --product passerelle-bench --scratch-path "$scratch"
bench="$scratch/release/passerelle-bench"
# The floor for writing with libxlsxwriter: the C program, built the way its header says.
mkdir -p "$scratch/bench-reference"
writer="$scratch/bench-reference/xlsx_write"
repeats=${BENCH_REPEATS:-3}

# Before each program (ours, then each reference): write dirty pages back and drop the page, dentry and inode
# caches, when this user may (root outside a container), so each starts from the same memory state. With the
# million files of earlier runs held in the caches, the kernel reclaims memory as the import creates its own,
# and the 1 000 000-stay import took 83 to 92 s instead of 74 s. BENCH_DROP_CACHES=0 leaves the caches alone.
drop_caches() {
    if [ "${BENCH_DROP_CACHES:-1}" = 1 ] && [ -w /proc/sys/vm/drop_caches ]; then
        sync
        echo 3 > /proc/sys/vm/drop_caches || true
    fi
}
compiler=${CC:-$(command -v cc || command -v clang)}  # Swift's toolchain ships clang when there is no cc
# shellcheck disable=SC2046
"$compiler" -O2 -o "$writer" Benchmarks/reference/xlsx_write.c $(pkg-config --cflags --libs xlsxwriter)

label() {
    case $1 in
        *000000) echo "${1%000000}m" ;;
        *000) echo "${1%000}k" ;;
        *) echo "$1" ;;
    esac
}

# name|command (DATA and OUT are replaced)
references=(
    "fastexcel|python3 Benchmarks/reference/xlsx_read_fastexcel.py DATA"
    "calamine|python3 Benchmarks/reference/xlsx_read_calamine.py DATA"
    "openpyxl|python3 Benchmarks/reference/xlsx_read_openpyxl.py DATA"
    "csv_module|python3 Benchmarks/reference/csv_parse.py csv DATA"
    "pandas_csv|python3 Benchmarks/reference/csv_parse.py pandas DATA"
    "polars_csv|python3 Benchmarks/reference/csv_parse.py polars DATA"
    "duckdb_csv|python3 Benchmarks/reference/csv_parse.py duckdb DATA"
    "import_polars|python3 Benchmarks/reference/daily_import_polars.py DATA OUT"
    "import_pandas|python3 Benchmarks/reference/daily_import_pandas.py DATA OUT"
    "xlsx_write_c|WRITER --repeats REPEATS xlsx_write OUT/stays.xlsx Séjours=CELLS/stays.tsv"
    "xlsx_write_py|python3 Benchmarks/reference/xlsx_write_xlsxwriter.py xlsx_write OUT/stays.xlsx Séjours=CELLS/stays.tsv"
    "statement_c|WRITER --repeats REPEATS monthly_statement OUT/statement.xlsx STATEMENT"
    "statement_py|python3 Benchmarks/reference/xlsx_write_xlsxwriter.py monthly_statement OUT/statement.xlsx STATEMENT"
)
statement_sheets="Synthèse=CELLS/statement-summary.tsv Détail=CELLS/statement-detail.tsv"
statement_sheets+=" Annulations=CELLS/statement-cancellations.tsv"


summaries=()
for size in "$@"; do
    data="${BENCH_DATA_ROOT:-/tmp}/bench-$(label "$size")"
    if [ ! -f "$data/README.md" ]; then   # README.md is written last: its presence means a complete set
        echo "== generating $size stays into $data" >&2
        python3 scripts/generate_sample_data.py --stays "$size" --out "$data" >&2
    fi
    results="$data/results"
    mkdir -p "$results"
    cells="$data/cells"
    measures=${BENCH_MEASURES:-xlsx_read xlsx_ingest csv_read csv_ingest xlsx_write monthly_statement daily_import}
    if [ "${BENCH_SKIP_IMPORT:-0}" = 1 ]; then measures=${measures/daily_import/}; fi
    echo "== passerelle-bench, $size stays" >&2
    drop_caches
    # shellcheck disable=SC2086
    "$bench" "$data" --pipeline pipelines/daily-import.yml --scratch "$data/passerelle-scratch" --cells "$cells" \
        --repeats "$repeats" --measures $measures --json "$results/passerelle.json" --keep-trash > "$results/passerelle.txt"
    sed -n '1,/^$/p' "$results/passerelle.txt"

    : > "$results/references.jsonl"
    for entry in "${references[@]}"; do
        name=${entry%%|*}
        command=${entry#*|}
        if [ -n "${BENCH_REFERENCES:-}" ] && [[ " $BENCH_REFERENCES " != *" $name "* ]]; then continue; fi
        if [ "${BENCH_SKIP_IMPORT:-0}" = 1 ] && [[ $name == import_* ]]; then continue; fi
        if [ "${BENCH_SKIP_PYTHON_WRITE:-0}" = 1 ] && [[ $name == *_py ]]; then continue; fi
        # The writers write what our writing measure wrote in this run: none without it.
        if [[ $name == xlsx_write_* && " $measures " != *" xlsx_write "* ]]; then continue; fi
        if [[ $name == statement_* && " $measures " != *" monthly_statement "* ]]; then continue; fi
        out="$data/python-scratch/$name"
        if [ -e "$out" ]; then mkdir -p "$data/bench-trash" && mv "$out" "$data/bench-trash/$name-$$"; fi
        mkdir -p "$out"
        command=${command//STATEMENT/$statement_sheets}
        command=${command//WRITER/$writer}
        command=${command//REPEATS/$repeats}
        command=${command//CELLS/$cells}
        command=${command//DATA/$data}
        command=${command//OUT/$out}
        echo "== $name, $size stays" >&2
        drop_caches
        # shellcheck disable=SC2086
        /usr/bin/time -f %M -o "$out/maxrss" $command > "$out/result.json"
        python3 - "$out/result.json" "$out/maxrss" >> "$results/references.jsonl" <<'PY'
import json, sys
result = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
result["peak_memory_megabytes"] = int(open(sys.argv[2]).read().split()[-1]) / 1024
print(json.dumps(result, sort_keys=True))
PY
        tail -1 "$results/references.jsonl" >&2
    done
    echo "== $size stays: ours vs references (ratio = our rows/s / theirs)"
    python3 Benchmarks/compare.py "$results/passerelle.json" "$results/references.jsonl" --json "$results/ratios.json"
    echo "(figures: $results; machine: $(nproc) cores; $root)"
    summaries+=("$size=$results")
done

# Growth from the smallest size and every target's verdict, at the size the issue sets it.
labels=$(for size in "$@"; do label "$size"; done | paste -sd- -)
echo
python3 Benchmarks/summary.py "${summaries[@]}" --json "${BENCH_DATA_ROOT:-/tmp}/bench-summary-$labels.json"

# The earlier runs' outputs, moved aside as each measure started, go only now that nothing is timed: deleting a
# million e-mails slows the creation of files for the next five to ten minutes (Measures.resetScratch()).
for size in "$@"; do
    trash="${BENCH_DATA_ROOT:-/tmp}/bench-$(label "$size")/bench-trash"
    if [ -e "$trash" ]; then echo "deleting the earlier outputs in $trash" >&2 && rm -rf "$trash"; fi
done
