"""The monthly close written with the fastest Python tools: sqlite3 + polars + xlsxwriter.

Usage: python3 monthly_close_polars.py STORE_SQLITE MONTH OUT_DIR      (MONTH as YYYY-MM)

Same job as pipelines/monthly-commissions.yml without the sales follow-up: read from Passerelle's own store
(opened read-only) the stays departing in MONTH with their accommodation and provider; compute each stay's
channel commission (rate per channel), card payment fee (3 % of the deposit charged online by card or PayPal)
and net, and each provider's payout on the last day of the month (confirmed stays; cancellations listed apart;
pre-reservations left out); write the statement workbook (Synthèse with net formulas and SUM totals, Détail,
Annulations), the statement page with its 12-month chart, one numbered commission invoice per provider with a
commission (HTML, VAT 20 %) and the FEC file of their entries. Invoice numbers are those the store already gave
for the month, then the next ones of the series in provider-code order, as Passerelle gives them (the store is
not written: a re-run gives the same numbers).
Prints (via _timing.report) stays_paid, cancellations, pre_bookings, providers, gross/commission/fees/net cents,
invoices, invoice totals (HT/TVA/TTC cents) and fec_lines.
"""
import datetime as dt
import itertools
import os
import sqlite3
import sys
import unicodedata

import polars as pl

import _finance_common as fin
from _timing import report

STAYS_SQL = """
    SELECT s.reference, s.stay_code, s.accommodation_code, a.name, p.code, p.name, p.email, p.address,
           s.first_name, s.last_name, s.arrival, s.departure, s.amount_cents, s.channel, s.status,
           s.deposit_basis_points, s.payment_mode
    FROM stays s JOIN accommodations a ON a.code = s.accommodation_code JOIN providers p ON p.code = a.provider_code
    WHERE s.departure >= ? AND s.departure < ?"""
STAYS_SCHEMA = {"reference": pl.String, "stay_code": pl.String, "accommodation_code": pl.String,
                "accommodation_name": pl.String, "provider_code": pl.String, "provider_name": pl.String,
                "provider_email": pl.String, "provider_address": pl.String, "first_name": pl.String,
                "last_name": pl.String, "arrival": pl.String, "departure": pl.String, "amount_cents": pl.Int64,
                "channel": pl.String, "status": pl.String, "deposit_basis_points": pl.Int64, "payment_mode": pl.String}
HISTORY_SQL = """
    SELECT substr(s.departure, 1, 7), COUNT(*), COALESCE(SUM(s.amount_cents), 0)
    FROM stays s JOIN accommodations a ON a.code = s.accommodation_code JOIN providers p ON p.code = a.provider_code
    WHERE s.departure >= ? AND s.departure < ? AND s.status NOT IN ('cancelled', 'pre_booking') GROUP BY 1"""


def read_month(store, month):
    rows = store.execute(STAYS_SQL, fin.month_bounds(month)).fetchall()
    stays = pl.DataFrame(rows, schema=STAYS_SCHEMA, orient="row")
    return stays.with_columns(fin.client_expr()).drop("first_name", "last_name")


def invoice_numbers(store, month, providers):
    """Store.invoiceNumbers: the month's numbers already given, then the next ones for the providers without."""
    given = dict(store.execute("SELECT provider_code, number FROM invoice_numbers WHERE series = ? AND month = ?",
                               (fin.SERIES, month)).fetchall())
    last = store.execute("SELECT MAX(number) FROM invoice_numbers WHERE series = ?", (fin.SERIES,)).fetchone()[0] or 0
    for provider in sorted(set(providers) - set(given)):
        last += 1
        given[provider] = last
    return given


def number_text(number):
    return f"{fin.SERIES}-{number:06d}"


INVOICE_CSS = """.parties { display: flex; gap: 3rem; }
.parties section { flex: 1; }
table.totals { width: auto; margin-left: auto; margin-top: 1rem; }
table.totals th { background: none; text-align: right; }"""


def invoice_page(invoice, month):
    """CommissionInvoicePage.html: seller, buyer, a line per stay, totals, payment terms, legal mentions."""
    e, s = fin.escape, fin.SELLER
    first, last = fin.date_text(dt.date.fromisoformat(month + "-01")), fin.date_text(fin.last_day(month))
    vat_rate = fin.percent_text(fin.VAT_BASIS_POINTS)
    body = [f"<header>\n<h1>Facture n° {e(invoice['number'])}</h1>\n<p>Date de facture : {last}<br>"
            f"Prestations : commissions sur les séjours dont le départ est du {first} au {last}</p>\n</header>\n"
            f"<main>\n<div class=\"parties\">\n<section>\n<h2>Émetteur</h2>\n<p><strong>{e(s['name'])}</strong>"
            f" ({e(s['legal_form'])})<br>{e(s['address'])}<br>SIREN {e(s['siren'])}<br>"
            f"N° TVA intracommunautaire : {e(s['vat_number'])}</p>\n</section>\n"
            f"<section>\n<h2>Client</h2>\n<p><strong>{e(invoice['name'])}</strong>"]
    if invoice["address"] is not None:
        body.append(f"<br>{e(invoice['address'])}")
    body.append(f"<br>Code hébergeur : {e(invoice['provider'])}")
    if invoice["email"] is not None:
        body.append(f"<br>{e(invoice['email'])}")
    body.append('</p>\n</section>\n</div>\n<table>\n<thead><tr><th scope="col">Désignation</th>'
                '<th scope="col">Quantité</th><th scope="col">Prix unitaire HT</th><th scope="col">TVA</th>'
                '<th scope="col">Montant HT</th></tr></thead>\n<tbody>\n')
    for reference, client, arrival, departure, accommodation, channel, gross, rate, commission in invoice["lines"]:
        designation = (f"Commission {fin.percent_text(rate)} sur le séjour {reference} ({client}, "
                       f"{arrival[8:]}/{arrival[5:7]}/{arrival[:4]}–{departure[8:]}/{departure[5:7]}/{departure[:4]}), "
                       f"{accommodation}, canal {channel}, montant {fin.money_text(gross)}")
        amount = e(fin.money_text(commission))
        body.append(f'<tr><td>{e(designation)}</td><td class="num">1</td><td class="num">{amount}</td>'
                    f'<td class="num">{e(vat_rate)}</td><td class="num">{amount}</td></tr>\n')
    body.append('</tbody>\n</table>\n<table class="totals">\n<tbody>\n'
                f'<tr><th scope="row">Total HT</th><td class="num">{e(fin.money_text(invoice["ht"]))}</td></tr>\n'
                f'<tr><th scope="row">TVA {e(vat_rate)}</th><td class="num">{e(fin.money_text(invoice["tva"]))}</td></tr>\n'
                f'<tr><th scope="row">Total TTC</th><td class="num">{e(fin.money_text(invoice["ttc"]))}</td></tr>\n'
                "</tbody>\n</table>\n<section>\n<h2>Conditions de paiement</h2>\n<p>"
                f"Échéance : {last}. Montant déduit du versement à l'hébergeur du {last}.<br>"
                "Pas d'escompte pour paiement anticipé.<br>"
                "En cas de retard de paiement : pénalités au taux d'intérêt appliqué par la Banque centrale européenne "
                "à son opération de refinancement la plus récente majoré de 10 points, et indemnité forfaitaire pour "
                "frais de recouvrement de 40 € (art. L441-10 et D441-5 du Code de commerce).</p>\n</section>\n"
                "</main>\n<footer>\n<p class=\"meta\">" + e(" — ".join(
                    [s["name"], f"{s['legal_form']} au capital de {s['capital']}", f"SIREN {s['siren']}",
                     f"RCS {s['rcs_city']}", f"TVA {s['vat_number']}"])) + "</p>\n</footer>\n")
    head, tail = fin.page_shell(f"Facture {invoice['number']} — {invoice['name']}", fin.BASE_CSS + INVOICE_CSS)
    return head + "".join(body) + tail


def make_invoices(store, closed):
    """CommissionInvoicesOutput: one invoice per provider with a commission line, lines in the detail's order."""
    month = closed["month"]
    invoiced = closed["lines"].filter(pl.col("commission") != 0)
    numbers = invoice_numbers(store, month, invoiced["provider_code"].unique().to_list())
    contacts = {code: (name, email, address) for code, name, email, address in
                closed["payouts"].select("provider_code", "provider_name", "provider_email", "provider_address").rows()}
    invoices = []
    columns = ["provider_code", "provider_name", "reference", "client", "arrival", "departure", "accommodation_name",
               "channel", "gross", "commission_rate", "commission"]
    # The lines are sorted by provider: one pass groups them (partition_by would make a frame per provider).
    for provider, group in itertools.groupby(invoiced.select(columns).iter_rows(), key=lambda line: line[0]):
        group = list(group)
        lines = [line[2:] for line in group]
        ht = sum(line[-1] for line in lines)
        tva = fin.rounded(ht * fin.VAT_BASIS_POINTS, 10_000)
        _, email, address = contacts[provider]
        invoices.append({"number": number_text(numbers[provider]), "sort": numbers[provider], "provider": provider,
                         "name": group[0][1], "email": email, "address": address, "lines": lines,
                         "ht": ht, "tva": tva, "ttc": ht + tva})
    invoices.sort(key=lambda i: i["sort"])  # the store hands them back by number
    return invoices


def latin9(text):
    """FECFile.data: ISO 8859-15, a character outside it without its accent, or '?'."""
    try:
        return text.encode("iso8859_15")
    except UnicodeEncodeError:
        out = bytearray()
        for c in text:
            try:
                out += c.encode("iso8859_15")
            except UnicodeEncodeError:
                folded = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
                out += folded.encode("ascii") if len(folded) == 1 and folded.isascii() else b"?"
        return bytes(out)


FEC_HEADER = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
              "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
              "ValidDate", "Montantdevise", "Idevise"]


def fec_amount(cents):
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100},{abs(cents) % 100:02d}"


def write_fec(folder, invoices, month):
    """FECOutput: per invoice, 411000 debited TTC (auxiliary: the provider), 706000 credited HT, 445710 the VAT."""
    date = fin.last_day(month).strftime("%Y%m%d")
    clean = str.maketrans({"\t": " ", "\r": " ", "\n": " "})
    lines = ["\t".join(FEC_HEADER)]
    debit = credit = 0
    for i in invoices:
        number, label = i["number"], f"Commission {i['number']} {i['name']}"
        entries = [("411000", "Clients", i["provider"], i["name"], i["ttc"], 0),
                   ("706000", "Commissions", "", "", 0, i["ht"])]
        if i["tva"] != 0:
            entries.append(("445710", "TVA collectée", "", "", 0, i["tva"]))
        assert sum(e[4] for e in entries) == sum(e[5] for e in entries), number  # every entry balances
        for account, account_label, aux, aux_label, d, c in entries:
            debit, credit = debit + d, credit + c
            lines.append("\t".join(f.translate(clean) for f in (
                "VT", "Ventes", number, date, account, account_label, aux, aux_label, number, date, label,
                fec_amount(d), fec_amount(c), "", "", date, "", "")))
    name = f"{fin.SELLER['siren']}FEC{month[:4]}1231.txt"
    with open(os.path.join(folder, name), "wb") as f:
        f.write(latin9("\r\n".join(lines)))
    return len(lines) - 1, debit, credit


def work(store_path, month, out):
    os.makedirs(out, exist_ok=True)
    store = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    stays = read_month(store, month)
    stays, dropped = fin.add_figures(stays)
    closed = fin.close_month(stays, month)
    first = fin.month_bounds(fin.add_months(month, 1 - fin.HISTORY_MONTHS))[0]
    history = {m: (n, g) for m, n, g in store.execute(HISTORY_SQL, (first, fin.month_bounds(month)[1]))}

    invoices = make_invoices(store, closed)
    folder = os.path.join(out, "factures")
    os.makedirs(folder, exist_ok=True)
    for i in invoices:
        with open(os.path.join(folder, f"{i['number']}-{i['provider']}.html".replace("/", "-")), "w",
                  encoding="utf-8", newline="") as f:
            f.write(invoice_page(i, month))
    numbers = {i["provider"]: i["number"] for i in invoices}
    created = dt.datetime.combine(fin.last_day(month) + dt.timedelta(days=1), dt.time(6))
    fin.write_statement_xlsx(os.path.join(out, f"releve-commissions-{month}.xlsx"), closed, numbers, created)
    fin.write_statement_html(os.path.join(out, f"releve-commissions-{month}.html"), closed, history, numbers)
    fec_lines, debit, credit = write_fec(out, invoices, month)

    counts = {"month": month, "stays_read": stays.height + dropped.height, "stays_rejected": dropped.height,
              **fin.month_counts(closed), "pre_bookings": closed["pre_bookings"], "invoices": len(invoices),
              "invoices_ht_cents": sum(i["ht"] for i in invoices), "invoices_tva_cents": sum(i["tva"] for i in invoices),
              "invoices_ttc_cents": sum(i["ttc"] for i in invoices), "fec_lines": fec_lines,
              "fec_debit_cents": debit, "fec_credit_cents": credit}
    return stays.height + dropped.height, counts


if __name__ == "__main__":
    report("monthly_close", "sqlite3+polars+xlsxwriter", lambda: work(sys.argv[1], sys.argv[2], sys.argv[3]))
