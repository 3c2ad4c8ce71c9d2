"""What both Python finance references share: Passerelle's money rules and the commission statement writers.

Used by reference_job_polars.py (statements of every month of a fresh import) and monthly_close_polars.py (the
month-end close of pipelines/monthly-commissions.yml on Passerelle's own store). The rules are those of
Sources/Stages/Transform/{ChannelCommissions,PaymentFees,Payouts} and Sources/PasserelleCore/Money.swift; the
outputs follow Sources/Stages/Output/Finance (StatementXLSXOutput, StatementHTMLOutput, StatementChart,
FinanceHTML), so the figures must equal Passerelle's to the cent.

The stays frame both scripts build has the columns of FINANCE_COLUMNS (dates as ISO text, money as integer
cents, rates as basis points, as the store keeps them).
"""
import datetime as dt
import math
import unicodedata

import polars as pl
import xlsxwriter

# pipelines/monthly-commissions.yml
RATES = {"Booking.com": 1700, "Airbnb": 1500, "Abritel": 1500, "Alma Heritage": 1300, "Centrale": 1000, "Direct": 0}
FEE_BASIS_POINTS = 300
ONLINE_PAYMENT_MODES = ["card", "paypal"]
VAT_BASIS_POINTS = 2000
SERIES = "FC"
COMPANY = "Centrale de réservation Vallée Blanche"
SELLER = {"name": COMPANY, "address": "12 place de la Gare, 74400 Chamonix-Mont-Blanc", "siren": "123456789",
          "vat_number": "FR40123456789", "legal_form": "SAS", "capital": "20 000 €", "rcs_city": "Annecy"}
HISTORY_MONTHS = 12

FINANCE_COLUMNS = ["reference", "stay_code", "accommodation_code", "accommodation_name", "provider_code",
                   "provider_name", "provider_email", "provider_address", "client", "arrival", "departure",
                   "amount_cents", "channel", "status", "deposit_basis_points", "payment_mode"]

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
SHORT_MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
NNBSP, NBSP = "\u202f", "\u00a0"


# ---- months -------------------------------------------------------------------------------------------------

def month_bounds(month):
    """'2027-04' -> ('2027-04-01', '2027-05-01'): the ISO bounds a departure is compared with, as text."""
    year, number = int(month[:4]), int(month[5:7])
    following = f"{year + number // 12:04d}-{number % 12 + 1:02d}"
    return f"{month}-01", f"{following}-01"


def last_day(month):
    year, number = int(month[:4]), int(month[5:7])
    return dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1)


def add_months(month, count):
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def french_month(month):
    return f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}"


def short_french_month(month):
    return f"{SHORT_MONTHS[int(month[5:7]) - 1]} {month[2:4]}"


# ---- the money rules ----------------------------------------------------------------------------------------

def rounded(numerator, denominator):
    """Money.rounded(_:over:): integer division rounding halves away from zero (Python ints, exact)."""
    q, r = divmod(abs(numerator), denominator)
    if r * 2 >= denominator:
        q += 1
    return -q if numerator < 0 else q


def applying(cents_expr, basis_points_expr):
    """Money.applying(basisPoints:) as a polars expression: cents × bp / 10 000, halves away from zero."""
    product = cents_expr * basis_points_expr
    magnitude = (product.abs() + 5_000) // 10_000
    return pl.when(product < 0).then(-magnitude).otherwise(magnitude)


def name_key(name):
    """FinanceRate.key: trimmed, case- and accent-insensitive."""
    decomposed = unicodedata.normalize("NFD", (name or "").strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def add_figures(stays):
    """Adds commission_rate, commission, charged_online, fees (transforms channel_commissions, payment_fees).

    Returns (stays with figures, stays dropped): ChannelCommissionsTransform rejects a stay whose channel has no
    rate, and a confirmed stay without an amount; the others get a commission of 0 when they have no amount.
    """
    rates = {name_key(c): bp for c, bp in RATES.items()}
    channels = stays["channel"].unique().to_list()
    by_channel = {c: rates.get(name_key(c)) for c in channels if c is not None}
    online = {name_key(m) for m in ONLINE_PAYMENT_MODES}
    modes = stays["payment_mode"].unique().to_list()
    is_online = {m: name_key(m) in online for m in modes if m is not None}

    rate = pl.col("channel").replace_strict(by_channel, default=None, return_dtype=pl.Int64)
    frame = stays.with_columns(rate.alias("commission_rate"))
    keep = pl.col("commission_rate").is_not_null() & ~(
        (pl.col("status") == "confirmed") & pl.col("amount_cents").is_null())
    dropped = frame.filter(~keep)
    frame = frame.filter(keep)

    # PaymentFeesTransform.charges: the deposit (amount × share, 100 % without a share, clamped to 0..100 %) when
    # the stay is not a pre-reservation, has an amount and is paid by an online mode; its fee rounded on its own.
    share = pl.col("deposit_basis_points").fill_null(10_000).clip(0, 10_000)
    deposit = applying(pl.col("amount_cents"), share)
    charged = (pl.col("status") != "pre_booking") & pl.col("amount_cents").is_not_null() & \
        pl.col("payment_mode").replace_strict(is_online, default=False, return_dtype=pl.Boolean)
    charge = pl.when(charged & (deposit > 0)).then(deposit).otherwise(0)
    frame = frame.with_columns(
        applying(pl.col("amount_cents"), pl.col("commission_rate")).fill_null(0).alias("commission"),
        charge.alias("charged_online"))
    return frame.with_columns(applying(pl.col("charged_online"), FEE_BASIS_POINTS).alias("fees")), dropped


def close_month(stays, month):
    """MonthlyPayoutsTransform for one month on stays with figures: lines paid, cancellations, payouts, totals."""
    first, following = month_bounds(month)
    in_month = stays.filter((pl.col("departure") >= first) & (pl.col("departure") < following))
    order = ["provider_code", "departure", "reference"]
    lines = in_month.filter(pl.col("status") == "confirmed").with_columns(
        pl.col("amount_cents").fill_null(0).alias("gross")).with_columns(
        (pl.col("gross") - pl.col("commission") - pl.col("fees")).alias("net")).sort(order)
    cancellations = in_month.filter(pl.col("status") == "cancelled").with_columns(
        pl.col("amount_cents").fill_null(0).alias("gross")).sort(order)
    payouts = lines.group_by("provider_code").agg(
        pl.col("provider_name").first(), pl.col("provider_email").first(), pl.col("provider_address").first(),
        pl.len().alias("stays"), pl.col("gross").sum(), pl.col("commission").sum(), pl.col("fees").sum(),
        pl.col("net").sum()).sort("provider_code")
    totals = {"stays": lines.height, "gross": int(lines["gross"].sum()), "commission": int(lines["commission"].sum()),
              "fees": int(lines["fees"].sum()), "net": int(lines["net"].sum())}
    # PayoutReconciliation: payouts + commissions + fees = gross, to the cent.
    assert totals["net"] + totals["commission"] + totals["fees"] == totals["gross"], totals
    return {"month": month, "lines": lines, "cancellations": cancellations, "payouts": payouts, "totals": totals,
            "providers": payouts.height,
            "pre_bookings": int((in_month["status"] == "pre_booking").sum())}


def history_from(stays, month):
    """Confirmed stays and gross per month of departure, the HISTORY_MONTHS months ending with `month`."""
    first = month_bounds(add_months(month, 1 - HISTORY_MONTHS))[0]
    following = month_bounds(month)[1]
    summed = stays.filter((pl.col("status") == "confirmed") & (pl.col("departure") >= first)
                          & (pl.col("departure") < following)).group_by(pl.col("departure").str.slice(0, 7)).agg(
        pl.len(), pl.col("amount_cents").sum())
    return {m: (n, g or 0) for m, n, g in summed.rows()}


# ---- French text --------------------------------------------------------------------------------------------

def money_text(cents):
    """Money.frenchText: `1 234,50 €` (narrow no-break space between thousands, no-break space before €)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{format(euros, ',').replace(',', NNBSP)},{rest:02d}{NBSP}€"


def percent_text(basis_points):
    return f"{basis_points // 100},{abs(basis_points) % 100:02d}{NBSP}%"


def date_text(date):
    return date.strftime("%d/%m/%Y")


def escape(text):
    """FinanceHTML.escape: & < > \" ' as entities, control characters other than tab, LF, CR dropped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    text = text.replace("'", "&#39;")
    if any(ord(c) < 0x20 and c not in "\t\n\r" for c in text):
        text = "".join(c for c in text if ord(c) >= 0x20 or c in "\t\n\r")
    return text


def _escape_expr(expr):
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#39;")):
        expr = expr.str.replace_all(raw, entity, literal=True)
    return expr.str.replace_all(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "")


def _money_expr(column):
    """money_text as a polars expression (amounts below a thousand million euros)."""
    c = pl.col(column)
    euros = c.abs() // 100
    z3 = lambda e: e.cast(pl.String).str.zfill(3)  # noqa: E731
    grouped = (pl.when(euros >= 1_000_000).then(pl.concat_str(
        [(euros // 1_000_000).cast(pl.String), z3(euros // 1000 % 1000), z3(euros % 1000)], separator=NNBSP))
        .when(euros >= 1000).then(pl.concat_str([(euros // 1000).cast(pl.String), z3(euros % 1000)], separator=NNBSP))
        .otherwise(euros.cast(pl.String)))
    sign = pl.when(c < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str([sign, grouped, pl.lit(","), (c.abs() % 100).cast(pl.String).str.zfill(2), pl.lit(NBSP + "€")])


def _date_expr(column):
    c = pl.col(column)
    return pl.concat_str([c.str.slice(8, 2), c.str.slice(5, 2), c.str.slice(0, 4)], separator="/")


def _percent_expr(column):
    c = pl.col(column)
    return pl.concat_str([(c // 100).cast(pl.String), pl.lit(","), (c % 100).cast(pl.String).str.zfill(2),
                          pl.lit(NBSP + "%")])


# ---- the statement's columns (StatementColumns.swift) -------------------------------------------------------

SUMMARY = [("Code hébergeur", "provider_code", 14, "text"), ("Hébergeur", "provider_name", 32, "text"),
           ("Séjours", "stays", 9, "integer"), ("Brut", "gross", 14, "money"),
           ("Commission", "commission", 14, "money"), ("Frais de paiement", "fees", 14, "money"),
           ("Net versé", "net", 14, "money"), ("Date de versement", "payout_date", 12, "date"),
           ("N° de facture", "invoice_number", 16, "text")]
DETAIL = [("Code hébergeur", "provider_code", 14, "text"), ("Hébergeur", "provider_name", 28, "text"),
          ("Hébergement", "accommodation_name", 28, "text"), ("Référence", "reference", 16, "text"),
          ("Code séjour", "stay_code", 11, "text"), ("Client", "client", 24, "text"),
          ("Arrivée", "arrival", 11, "date"), ("Départ", "departure", 11, "date"), ("Canal", "channel", 14, "text"),
          ("Brut", "gross", 13, "money"), ("Taux de commission", "commission_rate", 10, "percent"),
          ("Commission", "commission", 13, "money"), ("Encaissé en ligne", "charged_online", 13, "money"),
          ("Frais de paiement", "fees", 13, "money"), ("Net", "net", 13, "money"),
          ("Date de versement", "payout_date", 12, "date")]
CANCELLATIONS = [("Code hébergeur", "provider_code", 14, "text"), ("Hébergeur", "provider_name", 28, "text"),
                 ("Hébergement", "accommodation_name", 28, "text"), ("Référence", "reference", 16, "text"),
                 ("Code séjour", "stay_code", 11, "text"), ("Client", "client", 24, "text"),
                 ("Arrivée", "arrival", 11, "date"), ("Départ", "departure", 11, "date"),
                 ("Canal", "channel", 14, "text"), ("Montant", "gross", 13, "money")]
HEADER_ROW = 2
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _with_payout_date(frame, month):
    return frame.with_columns(pl.lit(last_day(month).isoformat()).alias("payout_date"))


def _with_invoices(payouts, invoice_numbers):
    return payouts.with_columns(pl.col("provider_code").replace_strict(
        invoice_numbers or {}, default=None, return_dtype=pl.String).alias("invoice_number"))


# ---- the workbook (StatementXLSXOutput) ---------------------------------------------------------------------

class _Formats:
    def __init__(self, book):
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.header = book.add_format({"bold": True, "pattern": 1, "bg_color": "#D9D9D9"})
        self.money = book.add_format({"num_format": '#,##0.00 "€"'})
        self.percent = book.add_format({"num_format": "0.00%"})
        self.date = book.add_format({"num_format": "dd/mm/yyyy"})
        self.total = book.add_format({"bold": True, "top": 1})
        self.money_total = book.add_format({"num_format": '#,##0.00 "€"', "bold": True, "top": 1})


def _excel_values(frame, columns):
    """The cells of `columns` as xlsxwriter takes them: euros, Excel date serials, fractions for rates."""
    exprs = []
    for _, field, _, kind in columns:
        if field not in frame.columns:
            exprs.append(pl.lit(None).alias(field))
        elif kind == "money":
            exprs.append(pl.col(field))  # cents, divided in Python: polars multiplies by 0.01 (98.21000000000001)
        elif kind == "percent":
            exprs.append((pl.col(field) / 10_000).alias(field))
        elif kind == "date":
            exprs.append((pl.col(field).str.to_date("%Y-%m-%d") - pl.lit(EXCEL_EPOCH)).dt.total_days().alias(field))
        else:
            exprs.append(pl.col(field))
    return frame.select(exprs)


def _table_sheet(sheet, formats, title, columns, frame, empty):
    """A plain table sheet: title, header, one row per stay (or a line saying there is none)."""
    sheet.write_string(0, 0, title, formats.title)
    for c, (_, _, width, _) in enumerate(columns):
        sheet.set_column(c, c, width)
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(frame.height, 1), len(columns) - 1)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    for c, (header, _, _, _) in enumerate(columns):
        sheet.write_string(HEADER_ROW, c, header, formats.header)
    if frame.height == 0:
        sheet.write_string(HEADER_ROW + 1, 0, empty)
    kinds = {"text": (sheet.write_string, None), "integer": (sheet.write_number, None),
             "money": (sheet.write_number, formats.money), "percent": (sheet.write_number, formats.percent),
             "date": (sheet.write_number, formats.date)}
    writers = [kinds[kind] for *_, kind in columns]
    money = {c for c, (*_, kind) in enumerate(columns) if kind == "money"}
    for r, values in enumerate(_excel_values(frame, columns).iter_rows(), HEADER_ROW + 1):
        for c, value in enumerate(values):
            if value is not None:
                write, cell_format = writers[c]
                write(r, c, value / 100 if c in money else value, cell_format)


def write_statement_xlsx(path, closed, invoice_numbers=None, created=None, company=COMPANY):
    """The statement workbook: Synthèse (net as a formula, SUM totals, values cached), Détail, Annulations."""
    month, name = closed["month"], french_month(closed["month"])
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    book.set_properties({
        "title": f"Relevé des commissions — {name}",
        "subject": f"Versements aux hébergeurs, commissions et frais de {name}", "author": company,
        "company": company, "category": "Finance", "keywords": f"commissions, versements, {month}",
        "comments": "Produit par Passerelle", **({"created": created} if created else {})})
    formats = _Formats(book)
    payday = (last_day(month) - EXCEL_EPOCH).days

    sheet = book.add_worksheet("Synthèse")
    payouts = _with_invoices(_with_payout_date(closed["payouts"], month), invoice_numbers)
    columns = SUMMARY
    sheet.write_string(0, 0, f"Relevé des commissions — {name}", formats.title)
    for c, (_, _, width, _) in enumerate(columns):
        sheet.set_column(c, c, width)
    first = HEADER_ROW + 1
    last = first + max(payouts.height, 1) - 1
    sheet.autofilter(HEADER_ROW, 0, last, len(columns) - 1)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    for c, (header, _, _, _) in enumerate(columns):
        sheet.write_string(HEADER_ROW, c, header, formats.header)
    if payouts.height == 0:
        sheet.write_string(first, 0, "Aucun versement ce mois-ci.")
    money, write_string, write_number = formats.money, sheet.write_string, sheet.write_number
    for r, (code, provider, stays, gross, commission, fees, net, _, invoice) in enumerate(
            _excel_values(payouts, columns).iter_rows(), first):
        write_string(r, 0, code)
        write_string(r, 1, provider)
        write_number(r, 2, stays)
        write_number(r, 3, gross / 100, money)
        write_number(r, 4, commission / 100, money)
        write_number(r, 5, fees / 100, money)
        sheet.write_formula(r, 6, f"=D{r + 1}-E{r + 1}-F{r + 1}", money, net / 100)
        write_number(r, 7, payday, formats.date)
        if invoice is not None:
            write_string(r, 8, invoice)
    totals, row = closed["totals"], last + 1
    sheet.write_string(row, 0, "Total", formats.total)
    for c, value, cell_format in [(2, totals["stays"], formats.total), (3, totals["gross"] / 100, formats.money_total),
                                  (4, totals["commission"] / 100, formats.money_total),
                                  (5, totals["fees"] / 100, formats.money_total),
                                  (6, totals["net"] / 100, formats.money_total)]:
        letter = "CDEFG"[c - 2]
        sheet.write_formula(row, c, f"=SUM({letter}{first + 1}:{letter}{last + 1})", cell_format, value)
    sheet.write_number(row, 7, payday, formats.date)

    _table_sheet(book.add_worksheet("Détail"), formats, f"Détail des séjours versés — {name}", DETAIL,
                 _with_payout_date(closed["lines"], month), "Aucun séjour versé ce mois-ci.")
    _table_sheet(book.add_worksheet("Annulations"), formats, f"Annulations (exclues des versements) — {name}",
                 CANCELLATIONS, closed["cancellations"], "Aucune annulation ce mois-ci.")
    book.close()


# ---- the page (StatementHTMLOutput, FinanceHTML, StatementChart) --------------------------------------------

BASE_CSS = """body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; margin: 2rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #d0d0d0; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #efefef; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.empty { font-style: italic; color: #555; }
tfoot td { font-weight: bold; border-top: 2px solid #1a1a1a; }
.meta { color: #555; }
@media print {
  body { margin: 0; font-size: 10pt; }
  th { background: none; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
  @page { size: A4; margin: 15mm; }
}"""


def page_shell(title, css):
    head = (f'<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
            f"<style>\n{css}\n</style>\n</head>\n<body>\n")
    return head, "\n</body>\n</html>\n"


def html_table(out, frame, columns, empty, footer=None, chunk=20_000):
    """FinanceHTML.append into the file `out`: polars makes each row's markup (one string per row, not cell by cell
    in Python), a chunk of rows at a time so that the page is never held whole."""
    out.write("<table>\n<thead><tr>" + "".join(f'<th scope="col">{escape(header)}</th>' for header, *_ in columns)
              + "</tr></thead>\n<tbody>\n")
    if frame.height == 0:
        out.write(f'<tr><td colspan="{len(columns)}" class="empty">{escape(empty)}</td></tr>\n')
    cells = [pl.lit("<tr>")]
    for _, field, _, kind in columns:
        if field not in frame.columns:
            cells.append(pl.lit("<td></td>"))
            continue
        text = {"text": lambda f: _escape_expr(pl.col(f)), "integer": lambda f: pl.col(f).cast(pl.String),
                "money": _money_expr, "percent": _percent_expr, "date": _date_expr}[kind](field)
        opening = pl.lit("<td>") if kind == "text" else \
            pl.when(pl.col(field).is_null()).then(pl.lit("<td>")).otherwise(pl.lit('<td class="num">'))
        cells += [opening, text.fill_null(""), pl.lit("</td>")]
    cells.append(pl.lit("</tr>\n"))
    for start in range(0, frame.height, chunk):
        out.write("".join(frame.slice(start, chunk).select(pl.concat_str(cells).alias("html"))["html"].to_list()))
    out.write("</tbody>\n")
    if footer:
        out.write("<tfoot><tr>" + "".join(f'<td class="num">{t}</td>' for t in footer) + "</tr></tfoot>\n")
    out.write("</table>\n")


def _coordinate(value):
    tenths = int(math.floor(abs(value) * 10 + 0.5)) * (1 if value >= 0 else -1)
    return f"{int(tenths / 10)}.{abs(tenths) % 10}"


def chart_svg(history, month):
    """StatementChart.svg: a bar per month of the history (gross of confirmed stays), the month's own darker."""
    width, height, top, bottom = 720, 240, 20, 40
    months = [add_months(month, -offset) for offset in range(HISTORY_MONTHS - 1, -1, -1)]
    gross = [history.get(m, (0, 0))[1] for m in months]
    largest = max(max(gross), 1)
    slot = width / len(months)
    plot = height - top - bottom
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="Montant brut des séjours versés, par mois de départ">\n'
           f'<line x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#888"/>\n')
    for i, (m, g) in enumerate(zip(months, gross)):
        bar = plot * g / largest
        x = i * slot + slot * 0.15
        y = (height - bottom) - bar
        fill = "#1f4e79" if m == month else "#8fb3d9"
        label = escape(short_french_month(m))
        svg += (f'<rect x="{_coordinate(x)}" y="{_coordinate(y)}" width="{_coordinate(slot * 0.7)}" '
                f'height="{_coordinate(bar)}" fill="{fill}"><title>{label} : {escape(money_text(g))}</title></rect>\n'
                f'<text x="{_coordinate(x + slot * 0.35)}" y="{height - bottom + 16}" font-size="11" '
                f'text-anchor="middle">{label}</text>\n')
    return svg + "</svg>\n"


def write_statement_html(path, closed, history, invoice_numbers=None, company=COMPANY):
    month, name = closed["month"], french_month(closed["month"])
    title = f"Relevé des commissions — {name}"
    head, tail = page_shell(title, BASE_CSS)
    payday, totals = date_text(last_day(month)), closed["totals"]
    parts = [head, f"<header>\n<h1>{escape(title)}</h1>\n"]
    if company:
        parts.append(f'<p class="meta">{escape(company)}</p>\n')
    parts.append(f'<p class="meta">Versement le {payday} pour les séjours confirmés dont le départ est en '
                 f"{escape(name)}.</p>\n</header>\n<main>\n<h2>Synthèse</h2>\n")
    footer = ["Total", "", str(totals["stays"]), *(escape(money_text(totals[k])) for k in
                                                   ("gross", "commission", "fees", "net")), payday, ""]
    payouts = _with_invoices(_with_payout_date(closed["payouts"], month), invoice_numbers)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("".join(parts))
        html_table(out, payouts, SUMMARY, "Aucun versement ce mois-ci.", footer)
        out.write('<h2>Douze derniers mois</h2>\n<figure>\n' + chart_svg(history, month))
        out.write("<figcaption>Montant brut des séjours confirmés, par mois de départ.</figcaption>\n</figure>\n")
        out.write("<h2>Détail des séjours versés</h2>\n")
        html_table(out, _with_payout_date(closed["lines"], month), DETAIL, "Aucun séjour versé ce mois-ci.")
        out.write("<h2>Annulations (exclues des versements)</h2>\n")
        html_table(out, closed["cancellations"], CANCELLATIONS, "Aucune annulation ce mois-ci.")
        out.write("</main>\n" + tail)


def client_expr(first="first_name", last="last_name"):
    """StayTable.client: 'Marie DUPONT' (first name, last name in capitals, the empty ones left out)."""
    parts = [pl.when(pl.col(first).fill_null("") != "").then(pl.col(first)),
             pl.when(pl.col(last).fill_null("") != "").then(pl.col(last).str.to_uppercase())]
    return pl.concat_str(parts, separator=" ", ignore_nulls=True).alias("client")


def month_counts(closed):
    """The figures a script prints for one month."""
    t = closed["totals"]
    return {"stays_paid": t["stays"], "cancellations": closed["cancellations"].height,
            "providers": closed["providers"], "gross_cents": t["gross"], "commission_cents": t["commission"],
            "fees_cents": t["fees"], "net_cents": t["net"]}
