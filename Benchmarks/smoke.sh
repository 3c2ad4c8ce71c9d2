#!/usr/bin/env bash
# Runs the whole benchmark harness once over 1 000 stays, so that it cannot rot (CI-sized: well under a
# minute once built): Benchmarks/run.sh with every measure of ours (readers, writer, monthly statement, daily
# import), the C program over libxlsxwriter on the cells we wrote, compare.py and summary.py; then checks the
# figures are all there and that the C program wrote the very cells Passerelle wrote. Needs openpyxl (the
# generator) and a C compiler with libxlsxwriter's headers; no Python reference tool, no figures kept.
#
#   Benchmarks/smoke.sh            # BENCH_SCRATCH=/tmp/x to build elsewhere than .build
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
BENCH_DATA_ROOT="$root" BENCH_SKIP_INSTALL=1 BENCH_DROP_CACHES=0 BENCH_REFERENCES="xlsx_write_c statement_c" \
    Benchmarks/run.sh 1000 > "$root/run.txt"
sed -n '/ours vs references/,$p' "$root/run.txt"
python3 - "$root/bench-1k" <<'PY'
import json, os, sys
import openpyxl

data = sys.argv[1]
results = {r["name"]: r for r in json.load(open(f"{data}/results/passerelle.json"))["results"]}
expected = {"xlsx_read", "xlsx_ingest", "csv_read", "csv_ingest", "xlsx_write", "monthly_statement", "daily_import"}
assert set(results) == expected, f"measures: {sorted(results)}"
readers = ["xlsx_read", "xlsx_ingest", "csv_read", "csv_ingest", "xlsx_write", "daily_import"]
assert all(results[n]["rows"] == 1000 for n in readers), {n: results[n]["rows"] for n in readers}
counts = results["daily_import"]["counts"]
assert counts["stays_read"] == 1000 and counts["stays_stored"] + counts["rows_rejected"] == 1000, counts
statement = results["monthly_statement"]
assert statement["rows"] > 0 and statement["counts"]["detail_rows"] > 0 and statement["pipeline_seconds"] > 0, statement
assert results["xlsx_write"]["write_memory_megabytes"] is not None

references = {r["tool"] + "/" + r["name"]: r for r in map(json.loads, open(f"{data}/results/references.jsonl"))}
for name in ("xlsx_write", "monthly_statement"):
    theirs = references[f"libxlsxwriter C/{name}"]
    assert theirs["rows"] == results[name]["rows"], (name, theirs["rows"], results[name]["rows"])
ratios = {(r["ours"], r["tool"]) for r in json.load(open(f"{data}/results/ratios.json"))}
assert {("xlsx_write", "libxlsxwriter C"), ("monthly_statement", "libxlsxwriter C")} <= ratios, ratios

def cells(path):
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    # Values, and the number format of numbers and dates (text formats differ: ours marks formula-like text "@").
    return [[(c.value, None if c.value is None or isinstance(c.value, str) else c.number_format) for c in row]
            for row in sheet.iter_rows()]

ours, theirs = cells(f"{data}/cells/stays.xlsx"), cells(f"{data}/python-scratch/xlsx_write_c/stays.xlsx")
assert ours == theirs, "the C program did not write the cells Passerelle wrote"
print(f"smoke: ok ({len(ours) - 1} rows written alike by Passerelle and the C program)")
PY

# Issue 20's whole jobs at 1 000 stays: the reference job and the monthly close beside their Python versions,
# which must agree on the counts and totals (engine.py fails otherwise). Needs polars, fastexcel and xlsxwriter
# (scripts/packages.env installs them) and the release build .ci/run made.
binary=${BENCH_SCRATCH:-.build}/release/passerelle
if python3 -c "import polars, fastexcel, xlsxwriter" 2> /dev/null && [ -x "$binary" ]; then
    BENCH_DATA_ROOT="$root" BENCH_DROP_CACHES=0 python3 Benchmarks/engine.py "$binary" 1000 > "$root/engine.txt"
    cat "$root/engine.txt"
    grep -q "counts and totals agree" "$root/engine.txt"
    echo "smoke: ok (the reference job and the monthly close agree with their Python versions)"
else
    echo "smoke: issue 20's jobs skipped (no polars, fastexcel or xlsxwriter for python3, or no release build)"
fi
