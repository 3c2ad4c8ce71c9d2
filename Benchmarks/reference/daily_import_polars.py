"""The daily import written with the fastest Python tools: fastexcel + polars + xlsxwriter (+ sqlite3).

Usage: python3 daily_import_polars.py DATA_DIR OUT_DIR

Same job as pipelines/daily-import.yml: read both workbooks, type the columns, reject rows with an
unreadable date or a missing required value, a missing or malformed client e-mail, a departure not after
the arrival, an unknown accommodation; store providers, accommodations and stays (with a stay code);
find overlapping stays; write the import and overlap reports (XLSX and HTML) and one e-mail per new stay.
Prints the same counts as passerelle-bench's daily_import.
"""
import datetime as dt
import os
import sys

import fastexcel
import polars as pl

import _daily_common as common
from _timing import report

STAY_DATES = {"arrival": "Date d'arrivée", "departure": "Date de départ", "booking_date": "Date de réservation"}
STAYS = {"reference": "Référence", "accommodation_code": "Code hébergement", "last_name": "Nom",
         "first_name": "Prénom", "email": "E-mail client", "language": "Langue", "party_size": "Nb personnes",
         "amount": "Montant (€)", "channel": "Canal", "status": "Statut", "deposit": "Acompte (%)",
         "payment_mode": "Mode de paiement", **STAY_DATES}
STATUS = {"Confirmé": "confirmed", "Annulé": "cancelled", "Pré-réservation": "pre_booking"}
PAYMENT = {"CB": "card", "Carte bancaire": "card", "Paypal": "paypal", "Chèque": "cheque"}
REQUIRED = ["reference", "accommodation_code", "last_name", "arrival", "departure", "status"]


def typed_date(column):
    text = pl.col(column).str.strip_chars()
    return pl.coalesce(text.str.to_date("%Y-%m-%d %H:%M:%S", strict=False),
                       text.str.to_date("%d/%m/%Y", strict=False), text.str.to_date("%Y-%m-%d", strict=False))


def read_stays(path):
    strings = {header: "string" for header in [*STAY_DATES.values(), "Montant (€)"]}
    raw = fastexcel.read_excel(path).load_sheet_by_name("Séjours", header_row=1, dtypes=strings).to_polars()
    frame = raw.rename({v: k for k, v in STAYS.items()}).with_row_index("row", offset=3)
    amount = pl.col("amount").str.replace_all(r"[\s\u00a0€]", "").str.replace(",", ".")
    frame = frame.with_columns(
        *[typed_date(c).alias(c + "_date") for c in STAY_DATES],
        (amount.cast(pl.Float64, strict=False) * 100).round().cast(pl.Int64).alias("amount_cents"),
        pl.col("status").replace_strict(STATUS, default=None).alias("status_key"),
        pl.col("payment_mode").replace_strict(PAYMENT, default=None).alias("payment_key"),
        pl.col("email").str.strip_chars().alias("email"))
    # One problem per cell, as ingest reports them: an unreadable date, a missing required value.
    problems = [((pl.col(c).is_not_null() & (pl.col(c).str.strip_chars() != "") & pl.col(c + "_date").is_null())
                 .alias("p.ingest.value.date." + c)) for c in STAY_DATES]
    problems += [(pl.col(c).is_null() | (pl.col(c).cast(pl.String).str.strip_chars() == ""))
                 .alias("p.ingest.value.required." + c) for c in REQUIRED]
    return frame.with_columns(problems)


def read_providers(path):
    raw = fastexcel.read_excel(path).load_sheet_by_name("Hébergements", header_row=3).to_polars()
    return raw.rename({"Code hébergeur": "provider_code", "Code hébergement": "accommodation_code",
                       "Pass Séjour": "pass_sejour", "Pass Saison": "pass_saison"})


def validation_checks(known):
    """The validations, in the pipeline's order: (rule, failing condition) over typed stays with `email_ok`."""
    return [("validate.client_email.missing", pl.col("email").is_null() | (pl.col("email") == "")),
            ("validate.client_email.malformed", ~pl.col("email_ok")),
            ("validate.stay_dates.departure_not_after_arrival", pl.col("departure_date") <= pl.col("arrival_date")),
            ("validate.references.unknown_accommodation", ~pl.col("accommodation_code").is_in(list(known)))]


def store_providers(store, providers):
    """The accommodations and their providers (the first row of each provider), as INSERT OR REPLACE."""
    with store:
        store.executemany("INSERT OR REPLACE INTO accommodations (code, provider_code, name, type) VALUES (?, ?, ?, ?)",
                          providers.select("accommodation_code", "provider_code", "Nom hébergement", "Type").rows())
        store.executemany("INSERT OR REPLACE INTO providers (code, name, email) VALUES (?, ?, ?)",
                          providers.unique("provider_code", keep="first", maintain_order=True)
                          .select("provider_code", "Nom hébergeur", "E-mail hébergeur").rows())


def stay_records(typed):
    """The accepted stays in _daily_common.STAY_COLUMNS order, without the stay code."""
    return typed.select(
        "reference", "accommodation_code", "last_name", "first_name", "email", "language",
        pl.col("arrival_date").cast(pl.String), pl.col("departure_date").cast(pl.String),
        pl.col("party_size").cast(pl.Int64), "amount_cents", "channel", "status_key",
        pl.col("booking_date_date").cast(pl.String),
        (pl.when(pl.col("deposit") <= 1).then(pl.col("deposit") * 10_000).otherwise(pl.col("deposit") * 100))
        .cast(pl.Int64), "payment_key")


def work(data, out):
    providers = read_providers(os.path.join(data, "hebergeurs.xlsx"))
    stays = read_stays(os.path.join(data, "sejours.xlsx"))
    store = common.open_store(os.path.join(out, "store.sqlite"))
    store_providers(store, providers)

    counts = {"providers_read": providers.height, "stays_read": stays.height}
    problem_columns = [c for c in stays.columns if c.startswith("p.")]
    for column in problem_columns:
        rule = "rejected." + column[2:].rsplit(".", 1)[0]
        counts[rule] = counts.get(rule, 0) + int(stays[column].sum())
    rejected_rows = [stays.filter(pl.any_horizontal(problem_columns)).select("row", "reference")
                     .with_columns(pl.lit("ingest.value").alias("rule"))]
    typed = stays.filter(~pl.any_horizontal(problem_columns))

    email_ok = typed["email"].map_elements(common.is_email, return_dtype=pl.Boolean)
    typed = typed.with_columns(email_ok.alias("email_ok"))
    known = set(providers["accommodation_code"].to_list()) | {r[0] for r in store.execute("SELECT code FROM accommodations")}
    for rule, failing in validation_checks(known):
        bad = typed.filter(failing)
        counts["rejected." + rule] = bad.height
        rejected_rows.append(bad.select("row", "reference").with_columns(pl.lit(rule).alias("rule")))
        typed = typed.filter(~failing)
    counts["rows_rejected"] = sum(r.height for r in rejected_rows)

    records = stay_records(typed).rows()
    new = common.upsert_stays(store, records)
    counts["stays_stored"] = len(records)

    stored = pl.read_database("SELECT reference, accommodation_code, arrival, departure, status FROM stays", store)
    active = stored.filter(pl.col("status") != "cancelled").sort("accommodation_code", "arrival", "departure")
    overlaps = active.with_columns(
        pl.col("reference").shift().over("accommodation_code").alias("first_reference"),
        pl.col("departure").shift().over("accommodation_code").alias("first_departure"),
    ).filter(pl.col("first_departure") > pl.col("arrival"))
    counts["overlaps"] = overlaps.height

    run = os.path.join(out, "run")
    os.makedirs(run, exist_ok=True)
    summary = pl.DataFrame({"compte": list(counts), "valeur": list(counts.values())})
    rejects = pl.concat(rejected_rows)
    summary.write_excel(os.path.join(run, "rapport-import.xlsx"), worksheet="Résumé")
    rejects.write_excel(os.path.join(run, "rapport-import-rejets.xlsx"), worksheet="Rejets")
    overlaps.write_excel(os.path.join(run, "chevauchements.xlsx"), worksheet="Chevauchements")
    with open(os.path.join(run, "rapport-import.html"), "w", encoding="utf-8") as f:
        f.write(summary.to_pandas().to_html() + rejects.to_pandas().to_html())
    with open(os.path.join(run, "chevauchements.html"), "w", encoding="utf-8") as f:
        f.write(overlaps.to_pandas().to_html())
    common.write_stay_code_mails(os.path.join(run, "codes-sejour"), new,
                                 dt.datetime(2026, 11, 24, 6, tzinfo=dt.timezone.utc))
    return stays.height, counts


if __name__ == "__main__":
    report("daily_import", "fastexcel+polars+xlsxwriter", lambda: work(sys.argv[1], sys.argv[2]))
