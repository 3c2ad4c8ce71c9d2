#!/usr/bin/env bash
# Runs passerelle-bench once over 1 000 stays, so the harness cannot rot (CI-sized: well under a minute
# once built). Needs openpyxl for the generator; no reference tool, no figures kept.
#
#   Benchmarks/smoke.sh            # BENCH_SCRATCH=/tmp/x to build elsewhere than .build
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${BENCH_SCRATCH:-.build}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
python3 scripts/generate_sample_data.py --stays 1000 --out "$data" > /dev/null
swift build -c release --product passerelle-bench --scratch-path "$scratch"
"$scratch/release/passerelle-bench" "$data" --pipeline pipelines/daily-import.yml --json "$data/bench.json" \
    > "$data/bench.txt"
cat "$data/bench.txt" | sed -n '1,/^$/p'
python3 - "$data/bench.json" <<'PY'
import json, sys
results = {r["name"]: r for r in json.load(open(sys.argv[1]))["results"]}
expected = {"xlsx_read", "xlsx_ingest", "csv_read", "csv_ingest", "daily_import"}
assert set(results) == expected, f"measures: {sorted(results)}"
assert all(r["rows"] == 1000 for r in results.values()), {k: r["rows"] for k, r in results.items()}
counts = results["daily_import"]["counts"]
assert counts["stays_read"] == 1000 and counts["stays_stored"] + counts["rows_rejected"] == 1000, counts
print("smoke: ok")
PY
