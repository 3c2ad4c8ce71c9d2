"""Parses the French stays CSV (cp1252, ';', decimal comma, dd/mm/yyyy) with one tool, decoding included.

Usage: python3 csv_parse.py TOOL DATA_DIR    (TOOL: csv, pandas, polars, duckdb)

"Read and typed" as Passerelle's csv_ingest: the three dates become dates, the amount a number, the
party size an integer; a value that does not parse becomes null (Passerelle rejects the row instead).
"""
import os
import sys

from _timing import report

DATES = ["Date d'arrivée", "Date de départ", "Date de réservation"]
AMOUNT = "Montant (€)"


def with_csv(path):
    import csv
    import datetime as dt
    rows = 0
    with open(path, encoding="cp1252", newline="") as f:
        reader = csv.reader(f, delimiter=";")
        next(reader)
        header = next(reader)
        dates = [header.index(h) for h in DATES]
        amount = header.index(AMOUNT)
        for record in reader:
            rows += 1
            for i in dates:
                try:
                    dt.datetime.strptime(record[i], "%d/%m/%Y")
                except ValueError:
                    pass
            try:
                float(record[amount].replace(",", "."))
            except ValueError:
                pass
    return rows


def with_pandas(path):
    import pandas as pd
    frame = pd.read_csv(path, sep=";", encoding="cp1252", skiprows=1, decimal=",", dtype={"Nb personnes": "Int64"})
    for column in DATES:
        frame[column] = pd.to_datetime(frame[column], format="%d/%m/%Y", errors="coerce")
    frame[AMOUNT] = pd.to_numeric(frame[AMOUNT], errors="coerce")
    return len(frame)


def with_polars(path):
    import io
    import polars as pl
    # polars reads UTF-8 only: decoding the Windows-1252 bytes is part of the job.
    with open(path, "rb") as f:
        data = f.read().decode("cp1252").encode("utf-8")
    frame = pl.read_csv(io.BytesIO(data), separator=";", skip_rows=1, decimal_comma=True,
                        schema_overrides={AMOUNT: pl.Float64, "Nb personnes": pl.Int64}, ignore_errors=True)
    frame = frame.with_columns([pl.col(c).str.to_date("%d/%m/%Y", strict=False) for c in DATES])
    return frame.height


def with_duckdb(path):
    import tempfile
    import duckdb
    # DuckDB has no Windows-1252 decoder (its latin-1 refuses 0x80-0x9F, e.g. the 0x9C of "Lecœur"):
    # the bytes are decoded to a UTF-8 copy first, inside the timed work.
    with open(path, "rb") as f, tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as out:
        out.write(f.read().decode("cp1252").encode("utf-8"))
    try:
        # Materialised into a table: a bare count(*) would let DuckDB skip parsing the columns.
        connection = duckdb.connect()
        connection.execute(
            f"CREATE TABLE stays AS SELECT * FROM read_csv('{out.name}', sep=';', skip=1, header=true, "
            "decimal_separator=',', dateformat='%d/%m/%Y', ignore_errors=true, parallel=true)")
        return connection.execute("SELECT count(*) FROM stays").fetchall()[0][0]
    finally:
        os.unlink(out.name)


TOOLS = {"csv": ("csv module", with_csv), "pandas": ("pandas", with_pandas), "polars": ("polars", with_polars),
         "duckdb": ("duckdb", with_duckdb)}

if __name__ == "__main__":
    label, function = TOOLS[sys.argv[1]]
    path = os.path.join(sys.argv[2], "sejours.csv")
    report("csv_parse", label, lambda: function(path))
