#!/usr/bin/env python3
"""Prints Passerelle's figures beside the reference tools', with each ratio and the issue's targets.

Usage: python3 Benchmarks/compare.py PASSERELLE_JSON REFERENCES_JSONL [--json OUT]

PASSERELLE_JSON is what `passerelle-bench --json` wrote; REFERENCES_JSONL has one line per reference run
(the JSON a Benchmarks/reference script printed, plus "peak_memory_megabytes" measured by /usr/bin/time).
Readers and imports are compared by throughput: ours rows/s divided by theirs (2.0 = twice as fast), the
target a minimum. Writers are compared by time for the same cells: ours seconds divided by theirs (1.05 = 5 %
slower), the target a maximum, each the shortest of BENCH_REPEATS runs (ours and the C program's; Python's
xlsxwriter runs once); the processor-time ratio is printed beside it, since on a shared machine it moves less
than wall time. Counts of the daily import are compared key by key: a difference is printed, since
the versions must do the same job.
"""
import json
import sys

# (our measure, their measure, their tool, target ratio or None, our peak memory cap in MB or None)
SPEED = [
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

# (our measure, their measure, their tool, target time ratio or None, cap on our memory growth while writing)
TIME = [
    ("xlsx_write", "xlsx_write", "libxlsxwriter C", 1.1, 50),
    ("xlsx_write", "xlsx_write", "xlsxwriter (Python)", None, None),
    ("monthly_statement", "monthly_statement", "libxlsxwriter C", 1.2, None),
    ("monthly_statement", "monthly_statement", "xlsxwriter (Python)", None, None),
]


def main():
    ours = {r["name"]: r for r in json.load(open(sys.argv[1]))["results"]}
    theirs = {}
    for line in open(sys.argv[2]):
        if line.strip():
            r = json.loads(line)
            theirs[(r["name"], r["tool"])] = r
    rows = speed_table(ours, theirs) + time_table(ours, theirs)
    check_counts(ours.get("daily_import"), [r for k, r in theirs.items() if k[0] == "daily_import"])
    if "--json" in sys.argv:
        json.dump(rows, open(sys.argv[sys.argv.index("--json") + 1], "w"), indent=1, sort_keys=True)


def speed_table(ours, theirs):
    head = (f"{'ours':<13}{'rows/s':>11}{'MB':>7}  {'vs':<29}{'rows/s':>10}{'s':>8}{'MB':>7}"
            f"{'ratio':>8}{'target':>8}  verdict")
    print(head)
    print("-" * len(head))
    rows = []
    for mine, their_name, tool, target, cap in SPEED:
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
        rows.append({"ours": mine, "tool": tool, "kind": "throughput", "ratio": ratio, "target": target,
                     "our_rows_per_second": a["rows_per_second"], "their_rows_per_second": b["rows_per_second"],
                     "our_peak_memory_megabytes": a["peak_memory_megabytes"],
                     "their_peak_memory_megabytes": b.get("peak_memory_megabytes"),
                     "met": None if not target else ratio >= target, "memory_cap_megabytes": cap,
                     "memory_ok": None if not cap else a["peak_memory_megabytes"] <= cap})
    return rows


def time_table(ours, theirs):
    """Writers: the same cells written, time against time (lower is better)."""
    head = (f"\n{'ours':<18}{'s':>8}{'cpu s':>8}{'wMB':>6}  {'vs':<21}{'s':>8}{'cpu s':>8}{'wMB':>6}"
            f"{'time':>7}{'cpu':>6}{'target':>8}  verdict")
    print(head)
    print("-" * len(head.strip()))
    rows = []
    for mine, their_name, tool, target, cap in TIME:
        a, b = ours.get(mine), theirs.get((their_name, tool))
        if not a or not b:
            continue
        if a.get("rows") != b.get("rows"):
            print(f"ROWS DIFFER for {mine} vs {tool}: {a.get('rows')} vs {b.get('rows')}")
        ratio = a["seconds"] / b["seconds"] if b.get("seconds") else float("nan")
        cpu = (a["cpu_seconds"] / b["cpu_seconds"]
               if a.get("cpu_seconds") and b.get("cpu_seconds") else float("nan"))
        grown, their_grown = a.get("write_memory_megabytes"), b.get("write_memory_megabytes")
        verdict = []
        if target:
            verdict.append("met" if ratio <= target else f"missed (+{(ratio / target - 1) * 100:.0f} % over)")
        if cap is not None and grown is not None:
            verdict.append(f"memory {'flat' if grown <= cap else 'grows'} (+{grown:.0f} MB while writing)")
        print(f"{mine:<18}{a['seconds']:>8.2f}{a.get('cpu_seconds') or 0:>8.2f}{grown or 0:>6.0f}  {tool:<21}"
              f"{b['seconds']:>8.2f}{b.get('cpu_seconds') or 0:>8.2f}{their_grown or 0:>6.0f}{ratio:>7.2f}"
              f"{cpu:>6.2f}{(f'<={target:.1f}x' if target else '-'):>8}  {', '.join(verdict)}")
        rows.append({"ours": mine, "tool": tool, "kind": "time", "ratio": ratio, "cpu_ratio": cpu,
                     "target": target, "our_seconds": a["seconds"], "their_seconds": b["seconds"],
                     "our_write_memory_megabytes": grown, "their_write_memory_megabytes": their_grown,
                     "our_peak_memory_megabytes": a["peak_memory_megabytes"],
                     "their_peak_memory_megabytes": b.get("peak_memory_megabytes"),
                     "met": None if not target else ratio <= target, "memory_cap_megabytes": cap,
                     "memory_ok": None if cap is None or grown is None else grown <= cap})
    return rows


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
