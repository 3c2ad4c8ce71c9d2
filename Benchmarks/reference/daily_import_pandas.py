"""The daily import as an analyst would write it: pandas + openpyxl (+ sqlite3).

Usage: python3 daily_import_pandas.py DATA_DIR OUT_DIR

Same job and same counts as daily_import_polars.py and Passerelle's daily import (see there).
"""
import datetime as dt
import os
import sys

import pandas as pd

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


def is_blank(value):
    return value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == ""


def to_date(value):
    """A date cell, a date written as text, None when blank; False when unreadable."""
    if is_blank(value):
        return None
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return common.text_date(str(value)) or False


def to_cents(value):
    if is_blank(value):
        return None
    if isinstance(value, (int, float)):
        return round(value * 100)
    return round(float(str(value).replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")) * 100)


def work(data, out):
    providers = pd.read_excel(os.path.join(data, "hebergeurs.xlsx"), sheet_name="Hébergements", header=3,
                              engine="openpyxl")
    stays = pd.read_excel(os.path.join(data, "sejours.xlsx"), sheet_name="Séjours", header=1, engine="openpyxl",
                          dtype=object).rename(columns={v: k for k, v in STAYS.items()})
    stays["row"] = stays.index + 3
    counts = {"providers_read": len(providers), "stays_read": len(stays)}

    problems = pd.DataFrame(index=stays.index)
    for column in STAY_DATES:
        stays[column + "_date"] = stays[column].apply(to_date)
        problems["ingest.value.date." + column] = stays[column + "_date"].apply(lambda v: v is False)
    for column in REQUIRED:
        problems["ingest.value.required." + column] = stays[column].apply(is_blank)
    for column in problems.columns:
        rule = "rejected." + column.rsplit(".", 1)[0]
        counts[rule] = counts.get(rule, 0) + int(problems[column].sum())
    bad = problems.any(axis=1)
    rejected = [stays.loc[bad, ["row", "reference"]].assign(rule="ingest.value")]
    typed = stays.loc[~bad].copy()

    typed["email"] = typed["email"].apply(lambda v: "" if is_blank(v) else str(v).strip())
    store = common.open_store(os.path.join(out, "store.sqlite"))
    known = set(providers["Code hébergement"]) | {r[0] for r in store.execute("SELECT code FROM accommodations")}
    checks = [("validate.client_email.missing", lambda f: f["email"] == ""),
              ("validate.client_email.malformed", lambda f: ~f["email"].apply(common.is_email)),
              ("validate.stay_dates.departure_not_after_arrival", lambda f: f["departure_date"] <= f["arrival_date"]),
              ("validate.references.unknown_accommodation", lambda f: ~f["accommodation_code"].isin(known))]
    for rule, failing in checks:
        mask = failing(typed)
        counts["rejected." + rule] = int(mask.sum())
        rejected.append(typed.loc[mask, ["row", "reference"]].assign(rule=rule))
        typed = typed.loc[~mask]
    counts["rows_rejected"] = sum(len(r) for r in rejected)

    with store:
        providers.rename(columns={"Code hébergement": "code", "Code hébergeur": "provider_code",
                                  "Nom hébergement": "name", "Type": "type"})[["code", "provider_code", "name", "type"]] \
            .to_sql("accommodations_import", store, if_exists="replace", index=False)
        store.execute("INSERT OR REPLACE INTO accommodations (code, provider_code, name, type) "
                      "SELECT code, provider_code, name, type FROM accommodations_import")
    records = []
    for _, s in typed.iterrows():
        deposit = s["deposit"]
        records.append((s["reference"], s["accommodation_code"], s["last_name"],
                        None if is_blank(s["first_name"]) else s["first_name"], s["email"], s["language"],
                        s["arrival_date"].isoformat(), s["departure_date"].isoformat(),
                        None if is_blank(s["party_size"]) else int(s["party_size"]), to_cents(s["amount"]),
                        s["channel"], STATUS.get(s["status"]),
                        s["booking_date_date"].isoformat() if s["booking_date_date"] else None,
                        None if is_blank(deposit) else round(deposit * (10_000 if deposit <= 1 else 100)),
                        PAYMENT.get(s["payment_mode"])))
    new = common.upsert_stays(store, records)
    counts["stays_stored"] = len(records)

    stored = pd.read_sql("SELECT reference, accommodation_code, arrival, departure, status FROM stays", store)
    active = stored[stored["status"] != "cancelled"].sort_values(["accommodation_code", "arrival", "departure"])
    previous = active.groupby("accommodation_code")[["reference", "departure"]].shift()
    overlaps = active[previous["departure"] > active["arrival"]].assign(first_reference=previous["reference"])
    counts["overlaps"] = len(overlaps)

    run = os.path.join(out, "run")
    os.makedirs(run, exist_ok=True)
    summary = pd.DataFrame({"compte": list(counts), "valeur": list(counts.values())})
    rejects = pd.concat(rejected)
    with pd.ExcelWriter(os.path.join(run, "rapport-import.xlsx"), engine="openpyxl") as writer:
        summary.to_excel(writer, sheet_name="Résumé", index=False)
        rejects.to_excel(writer, sheet_name="Rejets", index=False)
    overlaps.to_excel(os.path.join(run, "chevauchements.xlsx"), sheet_name="Chevauchements", index=False,
                      engine="openpyxl")
    with open(os.path.join(run, "rapport-import.html"), "w", encoding="utf-8") as f:
        f.write(summary.to_html() + rejects.to_html())
    with open(os.path.join(run, "chevauchements.html"), "w", encoding="utf-8") as f:
        f.write(overlaps.to_html())
    common.write_stay_code_mails(os.path.join(run, "codes-sejour"), new,
                                 dt.datetime(2026, 11, 24, 6, tzinfo=dt.timezone.utc))
    return len(stays), counts


if __name__ == "__main__":
    report("daily_import", "pandas+openpyxl", lambda: work(sys.argv[1], sys.argv[2]))
