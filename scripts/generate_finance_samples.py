#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Generate the finance sample inputs of pipelines/catalogue-pricing.yml (issue 4, items 1 and 2).

Usage
    python3 scripts/generate_finance_samples.py             # -> sample-data/catalogue.xlsx, commandes.xlsx
    python3 scripts/generate_finance_samples.py --out DIR

Needs only openpyxl. Deterministic: fixed workbook properties and zip entry times, so a rerun with the
same openpyxl version gives byte-identical files.

catalogue.xlsx, sheet "Départs": one row per departure of a holiday-stay catalogue, as an organiser's
price list is exported: code, organiser, stay, departure date (dd/mm/yyyy cells), production, stay and
transport prices, discount (euro cells), commission rate and extra margin (percent cells: 0.125 = 12,5 %).
Planted: D-NS-05 has no production price (rejected: missing_price); D-PP-03 has a discount above its
stay and transport prices (rejected: negative_public_price). The pipeline's rules raise Alpes Évasion's
commission to 12,5 % and the February extra margin to 8 %; D-AE-02 is the domain's worked example
(production 1 000,00 → selling 1 080,00, purchase 875,00, margin 18,98 %).

commandes.xlsx, sheet "Commandes": one row per order: order, account, client, child, order date, amount,
family code, promo code, referrer (the referring client), client kind (particulier, revendeur, groupe).
Planted: CMD-07 cumulates a family and a promo code, CMD-06 is Paul Martin's second promo code of 2027,
CMD-11 a second referral of the same client, CMD-12 a reseller with a referrer, CMD-13 a group with the
family code, CMD-15 a 2027 promo code used in 2028: each is rejected with its rule.
"""

import argparse
import datetime as dt
import os
import zipfile

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

FIXED_TIMESTAMP = dt.datetime(2026, 11, 24, 6, 0, 0)
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = '#,##0.00\\ "€"'
PERCENT_FORMAT = "0.0%"

CATALOGUE_HEADERS = [
    "Code départ", "Organisateur", "Séjour", "Date de départ", "Prix de production", "Prix du séjour",
    "Prix du transport", "Réduction", "Taux de commission", "Marge supplémentaire",
]
# code, organiser, stay, departure, production, stay price, transport, discount, commission, extra margin
DEPARTURES = [
    ("D-AE-01", "Alpes Évasion", "Raquettes au Mont-Blanc", (2027, 1, 10), 1000, 900, 150, 50, 0.10, 0.05),
    ("D-AE-02", "Alpes Évasion", "Raquettes au Mont-Blanc", (2027, 2, 14), 1000, 900, 150, None, 0.10, 0.05),
    ("D-AE-03", "Alpes Évasion", "Ski de fond en Chartreuse", (2027, 3, 7), 780, 690, 120, None, 0.10, 0.06),
    ("D-AE-04", "Alpes Évasion", "Ski de fond en Chartreuse", (2027, 2, 21), 780, 690, 120, 30, 0.10, 0.06),
    ("D-NS-01", "Neige et Soleil", "Chiens de traîneau", (2027, 2, 20), 333.33, 300, 0, None, 0.15, 0.075),
    ("D-NS-02", "Neige et Soleil", "Chiens de traîneau", (2027, 4, 15), 250, 250, None, None, 0.12, 0.10),
    ("D-NS-03", "Neige et Soleil", "Igloo et veillée", (2027, 1, 23), 415.5, 380, 45, 15, 0.12, 0.10),
    ("D-NS-04", "Neige et Soleil", "Igloo et veillée", (2027, 2, 6), 415.5, 380, 45, None, 0.12, 0.10),
    ("D-NS-05", "Neige et Soleil", "Chiens de traîneau", (2027, 3, 1), None, 250, None, None, 0.12, 0.10),
    ("D-PP-01", "Petits Prix", "Luge", (2027, 5, 6), 12.5, 12.5, None, None, 0.13, 0.05),
    ("D-PP-02", "Petits Prix", "Luge", (2027, 2, 13), 12.5, 12.5, None, None, 0.13, 0.05),
    ("D-PP-03", "Petits Prix", "Luge", (2027, 5, 5), 100, 100, 0, 150, 0.12, 0.10),
]

ORDER_HEADERS = [
    "Commande", "Compte", "Client", "Enfant", "Date de commande", "Montant", "Code famille", "Code promo",
    "Parrain", "Type de client",
]
ORDERS = [
    ("CMD-01", "F-DUPONT", "Marie Dupont", "Léa", (2027, 1, 10), 500, None, None, None, "particulier"),
    ("CMD-02", "F-DUPONT", "Marie Dupont", "Tom", (2027, 2, 20), 450, "FAMILLE", None, None, "particulier"),
    ("CMD-03", "F-DUPONT", "Marie Dupont", "Zoé", (2027, 3, 15), 400, "FAMILLE", None, None, "particulier"),
    ("CMD-04", "F-MARTIN", "Paul Martin", "Hugo", (2027, 1, 5), 300, "FAMILLE", None, None, "particulier"),
    ("CMD-05", "F-MARTIN", "Paul Martin", None, (2027, 1, 12), 200, None, "HIVER2027", None, "particulier"),
    ("CMD-06", "F-MARTIN", "Paul Martin", None, (2027, 3, 20), 200, None, "PRINTEMPS", None, "particulier"),
    ("CMD-07", "F-BLANC", "Julie Blanc", "Noé", (2027, 2, 1), 300, "FAMILLE", "HIVER2027", None, "particulier"),
    ("CMD-08", "F-NOIR", "Alain Noir", None, (2026, 1, 15), 600, None, None, "Marie Dupont", "particulier"),
    ("CMD-09", "F-ROUX", "Chloé Roux", None, (2027, 3, 1), 500, None, None, "Marie Dupont", "particulier"),
    ("CMD-10", "F-VERT", "Luc Vert", None, (2027, 3, 10), 400, None, None, "Marie Dupont", None),
    ("CMD-11", "F-ROUX", "Chloé Roux", None, (2027, 4, 1), 100, None, None, "Paul Martin", "particulier"),
    ("CMD-12", "AGENCE-ALPES", "Agence des Alpes", None, (2027, 2, 5), 2000, None, None, "Marie Dupont", "revendeur"),
    ("CMD-13", "GROUPE-CE", "CE Renault", None, (2027, 2, 6), 3000, "FAMILLE", None, None, "groupe"),
    ("CMD-14", "GROUPE-CE", "CE Renault", None, (2027, 2, 7), 3333.33, None, "PRINTEMPS", None, "groupe"),
    ("CMD-15", "F-GRIS", "Anne Gris", None, (2028, 2, 10), 100, None, "HIVER2027", None, "particulier"),
    ("CMD-16", "F-GRIS", "Anne Gris", "Inès", (2027, 5, 2), 640, None, None, "Luc Vert", "particulier"),
]


class FixedTimeZipFile(zipfile.ZipFile):
    """ZipFile whose entries all carry FIXED_TIMESTAMP (reproducible archives)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            info.compress_type = self.compression
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


def save(wb, path):
    wb.properties.creator = "Passerelle sample-data generator"
    wb.properties.lastModifiedBy = "Passerelle sample-data generator"
    wb.properties.created = FIXED_TIMESTAMP
    with FixedTimeZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        wb.properties.modified = FIXED_TIMESTAMP
        ExcelWriter(wb, archive).save()


def sheet(title, headers, rows, formats):
    """A workbook of one sheet: the header on row 1, then rows; formats maps a column index to a number format."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(headers)
    for values in rows:
        ws.append([dt.datetime(*v) if isinstance(v, tuple) else v for v in values])
        for column, number_format in formats.items():
            ws.cell(row=ws.max_row, column=column + 1).number_format = number_format
    ws.freeze_panes = "A2"
    for i, header in enumerate(headers):
        ws.column_dimensions[chr(ord("A") + i)].width = max(12, len(header) + 2)
    return wb


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, "..", "sample-data"))
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    money = {i: MONEY_FORMAT for i in (4, 5, 6, 7)}
    catalogue = sheet("Départs", CATALOGUE_HEADERS, DEPARTURES, {3: DATE_FORMAT, 8: PERCENT_FORMAT, 9: PERCENT_FORMAT, **money})
    save(catalogue, os.path.join(out, "catalogue.xlsx"))
    orders = sheet("Commandes", ORDER_HEADERS, ORDERS, {4: DATE_FORMAT, 5: MONEY_FORMAT})
    save(orders, os.path.join(out, "commandes.xlsx"))
    print(f"wrote {len(DEPARTURES)} departures and {len(ORDERS)} orders to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
