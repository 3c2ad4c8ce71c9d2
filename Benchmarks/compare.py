#!/usr/bin/env python3
"""Prints Passerelle's figures beside the reference tools', with each ratio and the issue's targets.

Usage: python3 Benchmarks/compare.py PASSERELLE_JSON REFERENCES_JSONL [--json OUT]

PASSERELLE_JSON is what `passerelle-bench --json` wrote; REFERENCES_JSONL has one line per reference run
(the JSON a Benchmarks/reference script printed, plus "peak_memory_megabytes" measured by /usr/bin/time).
Ratios are throughputs: ours rows/s divided by theirs (2.0 = twice as fast). Counts of the daily import
are compared key by key: a difference is printed, since the versions must do the same job.
"""
import json
import sys

# (our measure, their measure, their tool, target ratio or None, our peak memory cap in MB or None)
PAIRS = [
    ("xlsx_read", "xlsx_read", "fastexcel+polars", 3.0, 150),
    ("xlsx_read", "xlsx_read", "python-calamine", 3.0, 150),
    ("xlsx_read", "xlsx_read", "openpyxl read-only", None, 150),
    ("xlsx_ingest", "xlsx_read", "fastexcel+polars", None, None),
    ("csv_read", "csv_parse", "csv module", None, None),
    ("csv_ingest", "csv_parse", "csv module", None, None),
    ("csv_ingest", "csv_parse", "pandas", None, None),
    ("csv_ingest", "csv_parse", "polars", 1.4, None),
    ("csv_ingest", "csv_parse", "duckdb", None, None),
    ("daily_import", "daily_import", "fastexcel+polars+xlsxwriter", 4.0, 400),
    ("daily_import", "daily_import", "pandas+openpyxl", 25.0, 400),
]


def main():
    ours = {r["name"]: r for r in json.load(open(sys.argv[1]))["results"]}
    theirs = {}
    for line in open(sys.argv[2]):
        if line.strip():
            r = json.loads(line)
            theirs[(r["name"], r["tool"])] = r
    head = (f"{'ours':<13}{'rows/s':>11}{'MB':>7}  {'vs':<29}{'rows/s':>10}{'s':>8}{'MB':>7}"
            f"{'ratio':>8}{'target':>8}  verdict")
    print(head)
    print("-" * len(head))
    rows = []
    for mine, their_name, tool, target, cap in PAIRS:
        a, b = ours.get(mine), theirs.get((their_name, tool))
        if not a or not b:
            continue
        ratio = a["rows_per_second"] / b["rows_per_second"] if b.get("rows_per_second") else float("nan")
        verdict = []
        if target:
            verdict.append("met" if ratio >= target else f"missed ({ratio / target:.2f} of target)")
        if cap:
            verdict.append(f"mem {'ok' if a['peak_memory_megabytes'] <= cap else 'over'} (cap {cap} MB)")
        print(f"{mine:<13}{a['rows_per_second']:>11.0f}{a['peak_memory_megabytes']:>7.0f}  {tool:<29}"
              f"{b['rows_per_second']:>10.0f}{b['seconds']:>8.2f}{b.get('peak_memory_megabytes', 0):>7.0f}"
              f"{ratio:>8.2f}{(f'{target:.1f}x' if target else '-'):>8}  {', '.join(verdict)}")
        rows.append({"ours": mine, "tool": tool, "ratio": ratio, "target": target, "our_rows_per_second":
                     a["rows_per_second"], "their_rows_per_second": b["rows_per_second"],
                     "our_peak_memory_megabytes": a["peak_memory_megabytes"],
                     "their_peak_memory_megabytes": b.get("peak_memory_megabytes")})
    check_counts(ours.get("daily_import"), [r for k, r in theirs.items() if k[0] == "daily_import"])
    if "--json" in sys.argv:
        json.dump(rows, open(sys.argv[sys.argv.index("--json") + 1], "w"), indent=1, sort_keys=True)


def check_counts(ours, references):
    if not ours:
        return
    for reference in references:
        diffs = {k: (v, reference["counts"].get(k)) for k, v in ours["counts"].items()
                 if reference["counts"].get(k) != v}
        if diffs:
            print(f"COUNTS DIFFER, {reference['tool']} (ours, theirs): {diffs}")
        else:
            print(f"counts agree with {reference['tool']}: {len(ours['counts'])} counts "
                  f"(rows read, rejected by rule, stored, overlaps)")


if __name__ == "__main__":
    main()
