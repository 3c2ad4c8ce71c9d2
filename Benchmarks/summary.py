#!/usr/bin/env python3
"""After Benchmarks/run.sh over several sizes: growth from the smallest size, and every target's verdict.

Usage: python3 Benchmarks/summary.py SIZE=RESULTS_DIR... [--json OUT]
       e.g. 10000=/tmp/bench-10k/results 100000=/tmp/bench-100k/results 1000000=/tmp/bench-1m/results

Growth: for each of our measures, the time per row at each size divided by the time per row at the smallest
size (1.00 = linear; the daily import's target is within 1.2 from 10 000 to 1 000 000 stays), with the peak
memory at each size. Targets: each of issue 7's targets, read from the ratios.json of the size it is set at
(the largest size for the 1 000 000-row targets, 100 000 for calamine), met or missed and by how much.
"""
import json
import os
import sys

GROWTH_TARGET = 1.2
GROWTH_MEASURES = ["daily_import", "xlsx_read", "xlsx_ingest", "csv_read", "csv_ingest", "xlsx_write",
                   "monthly_statement"]

# (label, size, our measure, their tool, kind) -- the size the issue sets the target at.
TARGETS = [
    ("stays workbook read, 1 000 000 x 15, vs fastexcel (>= 3x, <= 150 MB)", 1_000_000, "xlsx_read",
     "fastexcel+polars"),
    ("stays workbook read, 100 000, vs calamine (>= 3x)", 100_000, "xlsx_read", "python-calamine"),
    ("French CSV read and typed, 1 000 000, vs polars (>= 1.4x)", 1_000_000, "csv_ingest", "polars"),
    ("1 000 000 x 15 workbook written, vs the C program (<= 1.1x, memory flat)", 1_000_000, "xlsx_write",
     "libxlsxwriter C"),
    ("daily import, 1 000 000 stays, vs fastexcel+polars+xlsxwriter (>= 4x, <= 400 MB)", 1_000_000,
     "daily_import", "fastexcel+polars+xlsxwriter"),
    ("daily import, 1 000 000 stays, vs pandas+openpyxl (>= 25x)", 1_000_000, "daily_import", "pandas+openpyxl"),
    ("monthly statement, 1 000 000 stays: workbook + page vs libxlsxwriter alone (<= 1.2x)", 1_000_000,
     "monthly_statement", "libxlsxwriter C"),
]


def load(argument):
    size, _, folder = argument.partition("=")
    ours = {r["name"]: r for r in json.load(open(os.path.join(folder, "passerelle.json")))["results"]}
    ratios_path = os.path.join(folder, "ratios.json")
    ratios = json.load(open(ratios_path)) if os.path.exists(ratios_path) else []
    return int(size), ours, ratios


def growth(runs):
    """Per measure and size: seconds, microseconds per row, ratio to the smallest size, peak MB."""
    print(f"{'measure':<18}{'stays':>10}{'rows':>10}{'s':>10}{'us/row':>9}{'vs first':>10}{'peak MB':>9}")
    table = []
    for name in GROWTH_MEASURES:
        first = None
        for size, ours, _ in runs:
            r = ours.get(name)
            if not r or not r["rows"]:
                continue
            per_row = r["seconds"] / r["rows"] * 1e6
            first = first or per_row
            print(f"{name:<18}{size:>10}{r['rows']:>10}{r['seconds']:>10.2f}{per_row:>9.2f}{per_row / first:>10.2f}"
                  f"{r['peak_memory_megabytes']:>9.0f}")
            table.append({"measure": name, "stays": size, "rows": r["rows"], "seconds": r["seconds"],
                          "microseconds_per_row": per_row, "per_row_vs_smallest": per_row / first,
                          "peak_memory_megabytes": r["peak_memory_megabytes"]})
    return table


def growth_verdict(table):
    daily = [g for g in table if g["measure"] == "daily_import"]
    if len(daily) < 2:
        return None
    last = daily[-1]
    met = last["per_row_vs_smallest"] <= GROWTH_TARGET
    text = (f"growth, daily import {daily[0]['stays']} -> {last['stays']} stays: time per row x"
            f"{last['per_row_vs_smallest']:.2f} (target <= {GROWTH_TARGET}): "
            + ("met" if met else f"missed (+{(last['per_row_vs_smallest'] / GROWTH_TARGET - 1) * 100:.0f} % over)")
            + "; peak memory " + ", ".join(f"{g['peak_memory_megabytes']:.0f} MB at {g['stays']}" for g in daily))
    return {"target": "growth", "met": met, "text": text}


def verdicts(runs):
    out = []
    by_size = {size: ratios for size, _, ratios in runs}
    for label, size, mine, tool in TARGETS:
        if size not in by_size:  # not run at the target's size: the largest one, said so
            size = max(by_size)
            label += f" [measured at {size} stays only]"
        row = next((r for r in by_size.get(size, []) if r["ours"] == mine and r["tool"] == tool), None)
        if not row:
            out.append({"target": label, "met": None, "text": f"{label}: not measured"})
            continue
        if row["kind"] == "time":
            gap = row["ratio"] / row["target"] - 1
            figure = f"{row['ratio']:.2f}x the time (processor time {row.get('cpu_ratio', float('nan')):.2f}x)"
            memory = row.get("our_write_memory_megabytes")
            if memory is not None and "memory flat" in label:
                figure += f", +{memory:.0f} MB while writing"
        else:
            gap = 1 - row["ratio"] / row["target"]
            figure = f"{row['ratio']:.2f}x the rows/s, {row['our_peak_memory_megabytes']:.0f} MB"
        verdict = "met" if row["met"] else f"MISSED by {gap * 100:.0f} %"
        if row.get("memory_ok") is not None:
            verdict += "; memory " + ("within" if row["memory_ok"] else "OVER") + f" {row['memory_cap_megabytes']} MB"
        met = row["met"] and row.get("memory_ok") is not False
        out.append({"target": label, "size": size, "met": met, "ratio": row["ratio"],
                    "text": f"{label}: {figure}: {verdict}"})
    return out


def main():
    arguments = [a for a in sys.argv[1:] if "=" in a]
    runs = sorted((load(a) for a in arguments), key=lambda run: run[0])
    print("== growth (time per row relative to the smallest size; 1.00 = linear)")
    table = growth(runs)
    print("\n== targets (issue 7), each at the size it is set at")
    results = verdicts(runs)
    extra = growth_verdict(table)
    if extra:
        results.append(extra)
    for r in results:
        print("- " + r["text"])
    if "--json" in sys.argv:
        json.dump({"growth": table, "targets": results}, open(sys.argv[sys.argv.index("--json") + 1], "w"),
                  indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
