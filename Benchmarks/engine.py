#!/usr/bin/env python3
"""Issue 20's benchmark (Engine 2): whole jobs, Passerelle's release build beside the Python versions.

Usage: python3 Benchmarks/engine.py PASSERELLE SIZE... [--json OUT]
       (scripts/bench.sh builds the release binary and calls it with 10000 100000 1000000)

For each size, on the generated data of Benchmarks/run.sh (cached in $BENCH_DATA_ROOT/bench-<label>, default /tmp),
each program run once under /usr/bin/time (wall time and peak memory), one after the other:
  1. the reference job: Benchmarks/reference-job/reference-job.yml, then Benchmarks/reference/reference_job_polars.py
     (fastexcel, polars, xlsxwriter, sqlite3): read, reject (XLSX and CSV), overlaps, store, every month's
     statement (XLSX and HTML); their counts and each month's totals are compared, a difference fails the run;
  2. the shipped daily import (pipelines/daily-import.yml, e-mails kept in the outbox alone: email_files=false),
     first import into an empty store;
  3. reading the stays workbook alone (the same pipeline, --only stays);
  4. the re-import of the same file with 0.5 % of its rows changed (Benchmarks/reference/change_stays.py) into the
     store of step 2;
  5. the monthly close of April 2027 (pipelines/monthly-commissions.yml) on a copy of that store, then
     Benchmarks/reference/monthly_close_polars.py on another copy: statement, invoices and FEC; totals compared.
Then prints issue 20's table with each target's verdict, and the growth from the smallest size.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.path.join(ROOT, "Benchmarks", "reference")
MONTH, AS_OF = "2027-04", "2027-05-01T06:00:00Z"


def label(size):
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k" if size % 1000 == 0 else str(size)


def drop_caches():
    """As Benchmarks/run.sh: each program starts from the same memory state when this user may drop the caches."""
    if os.environ.get("BENCH_DROP_CACHES", "1") == "1" and os.access("/proc/sys/vm/drop_caches", os.W_OK):
        subprocess.run(["sync"], check=False)
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")


def timed(name, command, cwd=ROOT):
    """Runs command under /usr/bin/time; returns (seconds, peak MB, stdout). A failure stops the benchmark."""
    drop_caches()
    with tempfile.NamedTemporaryFile("r", suffix=".time") as times:
        done = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", times.name, *command], cwd=cwd,
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"engine.py: {name} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        seconds, kilobytes = times.read().split()[-2:]
    print(f"   {name}: {float(seconds):.1f} s, {int(kilobytes) / 1024:.0f} MB", file=sys.stderr)
    return float(seconds), int(kilobytes) / 1024, done.stdout


def fresh(folder):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    return folder


def passerelle_run(binary, pipeline, store, output, variables=(), extra=()):
    command = [binary, "run", pipeline, "--store", store, "--output", output]
    for variable in variables:
        command += ["--var", variable]
    return command + list(extra)


def file_counts(log):
    """Passerelle's end-of-run check, per file: read = stored + rejected."""
    return {m[0]: (int(m[1]), int(m[2]), int(m[3]))
            for m in re.findall(r"file (\S+): (\d+) row\(s\) read = (\d+) stored \+ (\d+) rejected", log)}


def run_folder(output, pipeline):
    """The one run folder a fresh output folder holds (its number follows the store's run history)."""
    folder = os.path.join(output, pipeline)
    runs = sorted(name for name in os.listdir(folder) if name.startswith("run-"))
    if len(runs) != 1:
        sys.exit(f"engine.py: expected one run folder in {folder}, found {runs}")
    return os.path.join(folder, runs[0])


def statement_totals(path):
    """The totals row of a statement workbook's summary (cached values), read by openpyxl."""
    import openpyxl
    sheet = openpyxl.load_workbook(path, read_only=True, data_only=True)["Synthèse"]
    header, last = None, None
    for row in sheet.iter_rows(values_only=True):
        if header is None and row and "Brut" in [str(v) for v in row if v is not None]:
            header = [str(v) if v is not None else "" for v in row]
        elif header is not None and any(v is not None for v in row):
            last = row
    values = dict(zip(header, last))
    cents = lambda key: round(float(values[key]) * 100)
    return {"gross_cents": cents("Brut"), "commission_cents": cents("Commission"), "fees_cents": cents("Frais de paiement"),
            "net_cents": cents("Net versé")}


def measure(binary, size, scratch):
    data = os.path.join(os.environ.get("BENCH_DATA_ROOT", "/tmp"), f"bench-{label(size)}")
    if not os.path.exists(os.path.join(data, "README.md")):
        print(f"== generating {size} stays into {data}", file=sys.stderr)
        subprocess.run([sys.executable, "scripts/generate_sample_data.py", "--stays", str(size), "--out", data],
                       cwd=ROOT, check=True, stdout=sys.stderr)
    changed = os.path.join(data, "sejours-changed.xlsx")
    if not os.path.exists(changed):
        subprocess.run([sys.executable, os.path.join(REFERENCE, "change_stays.py"),
                        os.path.join(data, "sejours.xlsx"), changed], check=True, stdout=sys.stderr)
    work = fresh(os.path.join(scratch, label(size)))
    figures = {"size": size}
    print(f"== {size} stays ({data})", file=sys.stderr)

    # 1. The reference job, ours then Python's, compared.
    out = fresh(os.path.join(work, "reference-job"))
    seconds, peak, log = timed("reference job, Passerelle", passerelle_run(
        binary, "Benchmarks/reference-job/reference-job.yml", os.path.join(out, "store.sqlite"),
        os.path.join(out, "out"), [f"input_directory={data}"]))
    figures["reference_job"] = {"seconds": seconds, "peak_mb": peak}
    ours = file_counts(log)
    job_folder = run_folder(os.path.join(out, "out"), "reference-job")
    our_months = {name[len("releve-commissions-"):-len(".xlsx")]: statement_totals(os.path.join(job_folder, name))
                  for name in sorted(os.listdir(job_folder))
                  if name.startswith("releve-commissions-") and name.endswith(".xlsx")}
    python_out = fresh(os.path.join(work, "reference-job-python"))
    seconds, peak, printed = timed("reference job, Python", [
        sys.executable, os.path.join(REFERENCE, "reference_job_polars.py"), data, python_out])
    figures["reference_job_python"] = {"seconds": seconds, "peak_mb": peak}
    theirs = json.loads(printed.strip().splitlines()[-1])["counts"]
    figures["reference_job_agrees"] = compare_reference_job(ours, our_months, theirs)

    # 2. The shipped daily import, first import, e-mails into the outbox alone.
    daily = fresh(os.path.join(work, "daily-import"))
    store = os.path.join(daily, "store.sqlite")
    seconds, peak, log = timed("daily import, first import", passerelle_run(
        binary, "pipelines/daily-import.yml", store, os.path.join(daily, "out"),
        [f"input_directory={data}", "email_files=false"]))
    figures["daily_import"] = {"seconds": seconds, "peak_mb": peak, "files": file_counts(log)}

    # 3. The stays workbook read alone, by the same pipeline's ingest stage.
    alone = fresh(os.path.join(work, "read-alone"))
    seconds, peak, _ = timed("stays workbook read alone", passerelle_run(
        binary, "pipelines/daily-import.yml", os.path.join(alone, "store.sqlite"), os.path.join(alone, "out"),
        [f"input_directory={data}"], ["--only", "stays"]))
    figures["read_alone"] = {"seconds": seconds, "peak_mb": peak}

    # 4. The re-import with 0.5 % of the rows changed, into the store of the first import.
    seconds, peak, log = timed("re-import, 0.5 % changed", passerelle_run(
        binary, "pipelines/daily-import.yml", store, os.path.join(daily, "out"),
        [f"input_directory={data}", f"stays_file={changed}", "email_files=false"]))
    figures["reimport"] = {"seconds": seconds, "peak_mb": peak, "files": file_counts(log)}

    # 5. The monthly close, ours then Python's, each on its own copy of the store.
    close = fresh(os.path.join(work, "monthly-close"))
    shutil.copy(store, os.path.join(close, "store.sqlite"))
    seconds, peak, log = timed("monthly close, Passerelle", passerelle_run(
        binary, "pipelines/monthly-commissions.yml", os.path.join(close, "store.sqlite"), os.path.join(close, "out"),
        [f"month={MONTH}"], ["--as-of", AS_OF]))
    figures["monthly_close"] = {"seconds": seconds, "peak_mb": peak}
    close_folder = run_folder(os.path.join(close, "out"), "monthly-commissions")
    close_totals = statement_totals(os.path.join(close_folder, f"releve-commissions-{MONTH}.xlsx"))
    close_totals["invoices"] = len([n for n in os.listdir(os.path.join(close_folder, "factures")) if n.endswith(".html")])
    fec = [n for n in os.listdir(close_folder) if "FEC" in n]
    with open(os.path.join(close_folder, fec[0]), encoding="utf-8", errors="replace") as f:
        close_totals["fec_lines"] = sum(1 for _ in f) - 1  # less the header
    python_close = fresh(os.path.join(work, "monthly-close-python"))
    shutil.copy(store, os.path.join(python_close, "store.sqlite"))
    seconds, peak, printed = timed("monthly close, Python", [
        sys.executable, os.path.join(REFERENCE, "monthly_close_polars.py"), os.path.join(python_close, "store.sqlite"),
        MONTH, os.path.join(python_close, "out")])
    figures["monthly_close_python"] = {"seconds": seconds, "peak_mb": peak}
    their_close = json.loads(printed.strip().splitlines()[-1])["counts"]
    figures["monthly_close_agrees"] = all(close_totals[k] == their_close.get(k) for k in close_totals)
    if not figures["monthly_close_agrees"]:
        print(f"   monthly close totals differ: Passerelle {close_totals}, Python {their_close}", file=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)
    return figures


def compare_reference_job(ours, our_months, theirs):
    """Counts per file and totals per month must be the same; prints what differs."""
    problems = []
    stays = ours.get("sejours.xlsx")
    if stays is None:
        problems.append("no count for sejours.xlsx in Passerelle's output")
    else:
        for key, value in zip(("stays_read", "stays_stored", "rows_rejected"), stays):
            if theirs.get(key) != value:
                problems.append(f"{key}: Passerelle {value}, Python {theirs.get(key)}")
    their_months = {key: value for key, value in theirs.items() if re.fullmatch(r"\d{4}-\d{2}", key)}
    if sorted(our_months) != sorted(their_months):
        problems.append(f"months: Passerelle {sorted(our_months)}, Python {sorted(their_months)}")
    for month, totals in our_months.items():
        for key, value in totals.items():
            if their_months.get(month, {}).get(key) != value:
                problems.append(f"{month} {key}: Passerelle {value}, Python {their_months.get(month, {}).get(key)}")
    for problem in problems:
        print(f"   reference job differs: {problem}", file=sys.stderr)
    return not problems


def verdict(ok):
    return "met" if ok else "**not met**"


def table(runs):
    largest = runs[-1]
    size = f"{largest['size']:,}".replace(",", " ")
    job, python = largest["reference_job"], largest["reference_job_python"]
    close, python_close = largest["monthly_close"], largest["monthly_close_python"]
    daily, reimport, alone = largest["daily_import"], largest["reimport"], largest["read_alone"]
    speed = python["seconds"] / job["seconds"]
    close_speed = python_close["seconds"] / close["seconds"]
    lines = [f"| {size} stays | Passerelle | reference | ratio | target |", "| --- | ---: | ---: | ---: | --- |"]
    lines.append(f"| reference job (counts and totals {'agree' if largest['reference_job_agrees'] else 'DIFFER'}) "
                 f"| {job['seconds']:.1f} s, {job['peak_mb']:.0f} MB | Python {python['seconds']:.1f} s, "
                 f"{python['peak_mb']:.0f} MB | {speed:.2f}x | >= 4x: {verdict(speed >= 4)}; <= 300 MB: "
                 f"{verdict(job['peak_mb'] <= 300)} |")
    lines.append(f"| shipped daily import, first import (outbox) | {daily['seconds']:.1f} s, {daily['peak_mb']:.0f} MB "
                 f"| reference job {job['seconds']:.1f} s | {daily['seconds'] / job['seconds']:.2f}x the job "
                 f"| <= 400 MB: {verdict(daily['peak_mb'] <= 400)}; <= 2x the job: "
                 f"{verdict(daily['seconds'] <= 2 * job['seconds'])} |")
    lines.append(f"| re-import, 0.5 % of rows changed | {reimport['seconds']:.1f} s, {reimport['peak_mb']:.0f} MB "
                 f"| workbook read alone {alone['seconds']:.1f} s | {reimport['seconds'] / alone['seconds']:.2f}x "
                 f"the read | <= 1.5x: {verdict(reimport['seconds'] <= 1.5 * alone['seconds'])} |")
    lines.append(f"| monthly close of {MONTH} (totals {'agree' if largest['monthly_close_agrees'] else 'DIFFER'}) "
                 f"| {close['seconds']:.1f} s, {close['peak_mb']:.0f} MB | Python {python_close['seconds']:.1f} s, "
                 f"{python_close['peak_mb']:.0f} MB | {close_speed:.2f}x | >= 4x: {verdict(close_speed >= 4)}; "
                 f"<= 300 MB: {verdict(close['peak_mb'] <= 300)} |")
    if len(runs) > 1:
        first = runs[0]
        middle = next((r for r in runs if r["size"] == 100_000), runs[len(runs) // 2])
        for key, name in (("reference_job", "reference job"), ("daily_import", "daily import")):
            per_stay = (largest[key]["seconds"] / largest["size"]) / (first[key]["seconds"] / first["size"])
            memory = largest[key]["peak_mb"] / middle[key]["peak_mb"]
            lines.append(f"| growth {first['size']} → {largest['size']}, {name} | {per_stay:.2f}x linear time; "
                         f"{' → '.join(str(round(r[key]['peak_mb'])) for r in runs)} MB | — | — | time <= 1.2x: "
                         f"{verdict(per_stay <= 1.2)}; memory <= 1.3x the 100 000 figure ({memory:.2f}x): "
                         f"{verdict(memory <= 1.3)} |")
    return "\n".join(lines)


def main(arguments):
    json_out = None
    if "--json" in arguments:
        i = arguments.index("--json")
        json_out = arguments[i + 1]
        arguments = arguments[:i] + arguments[i + 2:]
    if len(arguments) < 2:
        sys.exit(__doc__)
    binary, sizes = os.path.abspath(arguments[0]), sorted(int(s) for s in arguments[1:])
    scratch = os.environ.get("BENCH_ENGINE_SCRATCH", os.path.join(os.environ.get("BENCH_DATA_ROOT", "/tmp"),
                                                                   "bench-engine"))
    runs = [measure(binary, size, scratch) for size in sizes]
    print(table(runs))
    if json_out:
        with open(json_out, "w") as f:
            json.dump(runs, f, indent=2, sort_keys=True)
    if not all(r["reference_job_agrees"] and r["monthly_close_agrees"] for r in runs):
        sys.exit("engine.py: Passerelle and the Python versions disagree (see above)")


if __name__ == "__main__":
    main(sys.argv[1:])
