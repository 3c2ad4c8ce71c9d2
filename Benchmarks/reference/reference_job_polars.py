"""The reference job written with the fastest Python tools: fastexcel + polars + xlsxwriter + sqlite3.

Usage: python3 reference_job_polars.py DATA_DIR OUT_DIR

The daily import and the month-end statements in one go, as a finance-minded customer would script them:
read DATA_DIR/hebergeurs.xlsx (Hébergements) and DATA_DIR/sejours.xlsx (Séjours) and type and reject rows with
the rules of daily_import_polars.py (pipelines/daily-import.yml: unreadable date, missing required value, missing
or malformed client e-mail, departure not after arrival, unknown accommodation); write the rejects report as
XLSX and as a CSV the way a French Excel saves it (';', UTF-8 with BOM, CRLF, decimal comma); store providers,
accommodations and accepted stays in a fresh OUT_DIR/store.sqlite (executemany; no stay codes, no e-mails); find
overlapping stays; then, for every month in which a stored stay departs, the commission statement of
pipelines/monthly-commissions.yml (rates per channel, 3 % card/PayPal fee on the deposit, payout on the last day
of the month): OUT_DIR/releves/releve-commissions-YYYY-MM.xlsx (Synthèse, Détail, Annulations) and .html.
Prints (via _timing.report) providers_read, stays_read, rows_rejected (and per rule), stays_stored, overlaps,
per month stays paid, cancellations, providers and gross/commission/fees/net cents, and the totals over all months.
"""
import os
import sys

import polars as pl
import xlsxwriter

import _daily_common as common
import _finance_common as fin
import daily_import_polars as daily
from _timing import report

REJECT_COLUMNS = [("Ligne", "row"), ("Référence", "reference"), ("Code hébergement", "accommodation_code"),
                  ("Nom", "last_name"), ("Prénom", "first_name"), ("E-mail client", "email"),
                  ("Montant (€)", "amount_cents"), ("Règle", "rule")]
STORED_SQL = """
    SELECT s.reference, s.stay_code, s.accommodation_code, a.name, p.code, p.name, p.email, NULL,
           s.first_name, s.last_name, s.arrival, s.departure, s.amount_cents, s.channel, s.status,
           s.deposit_basis_points, s.payment_mode
    FROM stays s JOIN accommodations a ON a.code = s.accommodation_code JOIN providers p ON p.code = a.provider_code"""
STORED_SCHEMA = {"reference": pl.String, "stay_code": pl.String, "accommodation_code": pl.String,
                 "accommodation_name": pl.String, "provider_code": pl.String, "provider_name": pl.String,
                 "provider_email": pl.String, "provider_address": pl.String, "first_name": pl.String,
                 "last_name": pl.String, "arrival": pl.String, "departure": pl.String, "amount_cents": pl.Int64,
                 "channel": pl.String, "status": pl.String, "deposit_basis_points": pl.Int64, "payment_mode": pl.String}
STAY_COLUMNS = [c for c in common.STAY_COLUMNS if c != "stay_code"]


def validate(stays, providers, counts):
    """daily_import_polars.work's rules: ingest problems first, then the validations in pipeline order."""
    problem_columns = [c for c in stays.columns if c.startswith("p.")]
    for column in problem_columns:
        rule = "rejected." + column[2:].rsplit(".", 1)[0]
        counts[rule] = counts.get(rule, 0) + int(stays[column].sum())
    ingest_rule = pl.concat_str([pl.when(pl.col(c)).then(pl.lit(c[2:])) for c in problem_columns],
                                separator=", ", ignore_nulls=True)
    rejected = [stays.filter(pl.any_horizontal(problem_columns)).with_columns(ingest_rule.alias("rule"))]
    typed = stays.filter(~pl.any_horizontal(problem_columns))
    typed = typed.with_columns(typed["email"].map_elements(common.is_email, return_dtype=pl.Boolean).alias("email_ok"))
    known = providers["accommodation_code"].to_list()
    for rule, failing in daily.validation_checks(known):
        bad = typed.filter(failing)
        counts["rejected." + rule] = bad.height
        rejected.append(bad.with_columns(pl.lit(rule).alias("rule")))
        typed = typed.filter(~failing)
    rejects = pl.concat([r.select([c for _, c in REJECT_COLUMNS]) for r in rejected]).sort("row")
    counts["rows_rejected"] = rejects.height
    return typed, rejects


def write_rejects(folder, rejects):
    """The rejects as XLSX and as a French Excel's "CSV UTF-8": ';', BOM, CRLF, decimal comma, no formulas."""
    book = xlsxwriter.Workbook(os.path.join(folder, "rejets.xlsx"), {"constant_memory": True})
    header = book.add_format({"bold": True, "pattern": 1, "bg_color": "#D9D9D9"})
    money = book.add_format({"num_format": '#,##0.00 "€"'})
    sheet = book.add_worksheet("Rejets")
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(rejects.height, 1), len(REJECT_COLUMNS) - 1)
    for c, (title, _) in enumerate(REJECT_COLUMNS):
        sheet.write_string(0, c, title, header)
    amount = [c for _, c in REJECT_COLUMNS].index("amount_cents")
    for r, values in enumerate(rejects.iter_rows(), 1):
        for c, value in enumerate(values):
            if value is None:
                continue
            if c == 0:
                sheet.write_number(r, c, value)
            elif c == amount:
                sheet.write_number(r, c, value / 100, money)
            else:
                sheet.write_string(r, c, value)
    book.close()

    cents = pl.col("amount_cents")
    decimal = pl.concat_str([pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit("")), (cents.abs() // 100)
                             .cast(pl.String), pl.lit(","), (cents.abs() % 100).cast(pl.String).str.zfill(2)])
    # formats.md: a cell starting with = + - @ tab or CR would be a formula in Excel: an apostrophe neutralises it.
    text = [pl.when(pl.col(c).str.contains(r"^[=+\-@\t\r]")).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c))
            .alias(c) for _, c in REJECT_COLUMNS if c not in ("row", "amount_cents")]
    frame = rejects.with_columns(*text, decimal.alias("amount_cents"))
    frame.rename({c: title for title, c in REJECT_COLUMNS}).write_csv(
        os.path.join(folder, "rejets.csv"), separator=";", line_terminator="\r\n", include_bom=True)


def store_rows(path, providers, typed):
    for suffix in ("", "-wal", "-shm"):  # a fresh store: the job is timed from empty, as the benchmark runs it
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    store = common.open_store(path)
    daily.store_providers(store, providers)
    records = daily.stay_records(typed)
    updates = ", ".join(f"{c} = excluded.{c}" for c in STAY_COLUMNS[1:])
    with store:
        store.executemany(
            f"INSERT INTO stays ({', '.join(STAY_COLUMNS)}) VALUES ({', '.join('?' for _ in STAY_COLUMNS)}) "
            f"ON CONFLICT(reference) DO UPDATE SET {updates}", records.iter_rows())  # streamed, not a list
    return store, records.height


def work(data, out):
    providers = daily.read_providers(os.path.join(data, "hebergeurs.xlsx"))
    stays = daily.read_stays(os.path.join(data, "sejours.xlsx"))
    counts = {"providers_read": providers.height, "stays_read": stays.height}
    typed, rejects = validate(stays, providers, counts)
    os.makedirs(out, exist_ok=True)
    write_rejects(out, rejects)
    store, counts["stays_stored"] = store_rows(os.path.join(out, "store.sqlite"), providers, typed)
    del stays, typed

    cursor, chunks = store.execute(STORED_SQL), []
    while rows := cursor.fetchmany(100_000):  # in chunks: a million tuples at once would double the peak memory
        chunks.append(pl.DataFrame(rows, schema=STORED_SCHEMA, orient="row"))
    stored = pl.concat(chunks) if chunks else pl.DataFrame(schema=STORED_SCHEMA)
    active = stored.filter(pl.col("status") != "cancelled").sort("accommodation_code", "arrival", "departure")
    counts["overlaps"] = active.select(
        (pl.col("departure").shift().over("accommodation_code") > pl.col("arrival")).sum()).item()
    del active

    stays, dropped = fin.add_figures(stored.with_columns(fin.client_expr()).drop("first_name", "last_name"))
    del stored
    counts["stays_without_commission"] = dropped.height
    folder = os.path.join(out, "releves")
    os.makedirs(folder, exist_ok=True)
    months = sorted(stays["departure"].str.slice(0, 7).unique().to_list())
    totals = dict.fromkeys(["stays_paid", "cancellations", "gross_cents", "commission_cents", "fees_cents",
                            "net_cents"], 0)
    for month in months:
        closed = fin.close_month(stays, month)
        fin.write_statement_xlsx(os.path.join(folder, f"releve-commissions-{month}.xlsx"), closed)
        fin.write_statement_html(os.path.join(folder, f"releve-commissions-{month}.html"), closed,
                                 fin.history_from(stays, month))
        counts[month] = fin.month_counts(closed)
        for key in totals:
            totals[key] += counts[month][key]
    counts["months"] = len(months)
    counts["total"] = totals
    return counts["stays_read"], counts


if __name__ == "__main__":
    report("reference_job", "fastexcel+polars+xlsxwriter+sqlite3", lambda: work(sys.argv[1], sys.argv[2]))
