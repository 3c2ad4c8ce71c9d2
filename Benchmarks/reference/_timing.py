"""Shared by the reference scripts: time a function and print one JSON line the harness reads.

Peak memory is measured from outside (`/usr/bin/time -f %M` in Benchmarks/run.sh), so nothing here
imports more than the standard library.
"""
import json
import sys
import time


def report(name, tool, work, extra=None):
    """Runs work() -> rows (or (rows, counts)), prints {"name", "tool", "rows", "seconds", ...} on stdout."""
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    rows, counts = result if isinstance(result, tuple) else (result, {})
    line = {"name": name, "tool": tool, "rows": rows, "seconds": round(seconds, 4),
            "rows_per_second": round(rows / seconds) if seconds > 0 else 0, "counts": counts}
    if extra:
        line.update(extra)
    print(json.dumps(line, sort_keys=True))
    sys.stdout.flush()
