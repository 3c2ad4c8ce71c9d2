#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Generate Passerelle's sample input files (booking central exports).

Usage
    python3 scripts/generate_sample_data.py                  # small sample set -> sample-data/
    python3 scripts/generate_sample_data.py --out DIR        # same set elsewhere
    python3 scripts/generate_sample_data.py --stays 1000000 --out /tmp/big   # benchmark volume

Needs only openpyxl (pip install openpyxl). Deterministic: fixed seed, fixed workbook
properties (created/modified 2026-11-24 06:00 UTC) and fixed zip entry timestamps, so a rerun
with the same openpyxl version gives byte-identical files.

Files written (see the generated README.md for columns and row numbers):
    hebergeurs.xlsx  sheet "Hébergements": 2 title lines, 1 empty row, header on row 4, data from row 5
    sejours.xlsx     sheet "Séjours": 1 title line, header on row 2, data from row 3
    sejours.csv      the same stays as "CSV (séparateur : point-virgule)" of a French Excel:
                     cp1252, ';', CRLF, title line first (padded with ';' like Excel), decimal comma,
                     dd/mm/yyyy, RFC 4180 quoting only where needed
    README.md        files, columns, planted defects with row numbers and references

PLANTED DEFECTS of the default sample set (driven by the PLANTED_* constants below, checked at run
time; "row" = spreadsheet row in sejours.xlsx = record number in sejours.csv counting the title line
as record 1):

  hebergeurs.xlsx
    formula conflict (Pass Séjour = Oui AND Pass Saison = Oui) : H004-B, H017-A, H031-C
    non-member providers (Adhérent = Non, no "Cotisation payée le") : H006, H013, H022, H029, H038
    provider e-mail with a trailing space : H025 ("gite.ours@wanadoo.fr ")
    provider e-mail in mixed case (valid, must match case-insensitively) : H033
    header spelled "Capacité (Lits) " (capital L, trailing space) instead of "Capacité (lits)"

  sejours.xlsx / sejours.csv  (300 stays, CR-2026-000001 .. CR-2026-000300)
    missing client e-mail (3)      : CR-2026-000012 (empty), CR-2026-000087 (empty),
                                     CR-2026-000164 (a single space)
    malformed client e-mail (3)    : CR-2026-000031 jean.dupont@@gmail.com,
                                     CR-2026-000118 marie.martin@gmail,
                                     CR-2026-000203 "paul durand@orange.fr"
    unknown accommodation code (2) : CR-2026-000056 H099-A (no such provider),
                                     CR-2026-000241 H012-Z (provider exists, accommodation does not)
    unreadable date (2)            : CR-2026-000072 arrival "31/02/2027" (text),
                                     CR-2026-000189 departure "bientôt" (text)
    departure not after arrival (2): CR-2026-000095 (same day), CR-2026-000227 (departure 2 days before)
    required value missing (2)     : CR-2026-000143, CR-2026-000266 (empty Nom)
    overlapping stays (4 pairs)    : CR-2026-000294 x CR-2026-000040, CR-2026-000295 x CR-2026-000110,
                                     CR-2026-000296 x CR-2026-000175, CR-2026-000297 x CR-2026-000250
    touching stays, NOT overlaps (2 pairs: departure day = next arrival):
                                     CR-2026-000298 after CR-2026-000061, CR-2026-000299 after CR-2026-000132
    cancelled stays (6)            : CR-2026-000020, CR-2026-000077, CR-2026-000150, CR-2026-000210,
                                     CR-2026-000280, and CR-2026-000300 which overlaps the confirmed
                                     CR-2026-000199 (a cancelled stay must not raise an overlap alert)
  Not defects, but reader tests (all must be accepted):
    dates stored as text "dd/mm/yyyy" : CR-2026-000045 (arrival), CR-2026-000123 (arrival),
                                        CR-2026-000178 (departure), CR-2026-000230 (booking date)
    amounts stored as text            : CR-2026-000066 "1 234,50"-style (space), CR-2026-000155
                                        (NBSP U+00A0 grouping), CR-2026-000259 (no grouping)
    formula-looking name (plain text, not a formula): CR-2026-000101 Nom =HYPERLINK(...)
    CSV quoting: CR-2026-000138 Nom "Lambert ; Giraud", CR-2026-000222 Prénom with double quotes,
                 CR-2026-000284 Nom with a line break (Alt+Entrée; quoted multi-line CSV field)
    cp1252: CR-2026-000026 Nom "Lecœur" (œ = 0x9C, differs from ISO-8859-1); CR-2026-000187
            Łukasz Wiśniewski (outside cp1252: the CSV has "?ukasz Wi?niewski", as Excel writes it)

With --stays N the large generator is used instead: same columns, no hand-placed rows, defects at a
fixed proportion (see LARGE_DEFECTS_PER_1000 and the README it writes); N/8 accommodations and
N/18 providers are generated so the plannings fit one season. Both XLSX files are streamed with
openpyxl write_only=True and the CSV is streamed (stays are produced in blocks of 2000
accommodations); memory stays flat. Measured on 2 vCPUs, Python 3.11, openpyxl 3.1.5 without lxml:
    100 000 stays    ~37 s  (hebergeurs.xlsx 3 s, sejours.xlsx + .csv 34 s), peak RSS ~60 MB,
                     files 1 MB + 9 MB + 14 MB
    1 000 000 stays  ~7.5 min (hebergeurs.xlsx ~27 s, sejours 425 s), peak RSS ~140 MB,
                     files 10 MB + 90 MB + 140 MB
About 80 % of the time is openpyxl serialising cells; with lxml installed openpyxl uses it
automatically and the run is ~15 % faster. The default sample set takes well under a second.
"""

import argparse
import csv
import datetime as dt
import os
import random
import re
import shutil
import sys
import time
import unicodedata
import zipfile
from decimal import Decimal, ROUND_HALF_UP

try:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter
except ImportError:  # pragma: no cover
    sys.exit("openpyxl is required: pip install openpyxl")

SEED = 20261124
FIXED_TIMESTAMP = dt.datetime(2026, 11, 24, 6, 0, 0)   # workbook created/modified, zip entry times
EXPORT_DATE = dt.date(2026, 11, 24)
SEASON_START = dt.date(2026, 12, 5)     # first possible arrival
SEASON_END = dt.date(2027, 4, 25)       # last possible departure
BOOKING_FIRST = dt.date(2026, 3, 1)     # earliest booking date
BOOKING_LAST_BASE = dt.date(2026, 11, 15)  # base stays booked until then; late (planted) stays after
CENTRAL = "Centrale de réservation Vallée Blanche"

# ---------------------------------------------------------------- headers
PROVIDER_HEADERS = [
    "Code hébergeur", "Nom hébergeur", "E-mail hébergeur", "Téléphone", "Office de tourisme",
    "Adhérent", "Cotisation payée le", "Code hébergement", "Nom hébergement", "Type",
    "Capacité (lits)", "Pass Séjour", "Pass Saison", "Adresse",
]
# Planted header quirk: capitalisation changed and a trailing space (readers must match loosely).
PROVIDER_HEADERS_WRITTEN = [("Capacité (Lits) " if h == "Capacité (lits)" else h)
                            for h in PROVIDER_HEADERS]

STAY_HEADERS = [
    "Référence", "Code hébergement", "Nom", "Prénom", "E-mail client", "Langue",
    "Date d'arrivée", "Date de départ", "Nb personnes", "Montant (€)", "Canal", "Statut",
    "Date de réservation", "Acompte (%)", "Mode de paiement",
]
(C_REF, C_ACC, C_NOM, C_PRENOM, C_EMAIL, C_LANG, C_ARR, C_DEP, C_NB, C_AMOUNT, C_CANAL,
 C_STATUT, C_BOOKED, C_DEPOSIT, C_PAY) = range(15)
DATE_COLS = (C_ARR, C_DEP, C_BOOKED)
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "#,##0.00 €"

# ---------------------------------------------------------------- planted defects (small set)
PLANTED_FORMULA_CONFLICT = ["H004-B", "H017-A", "H031-C"]
PLANTED_NON_MEMBERS = ["H006", "H013", "H022", "H029", "H038"]
PLANTED_EMAIL_TRAILING_SPACE = "H025"       # a provider with a single accommodation
PLANTED_EMAIL_MIXED_CASE = "H033"

PLANTED_MISSING_EMAIL = {"CR-2026-000012": None, "CR-2026-000087": None, "CR-2026-000164": " "}
PLANTED_MALFORMED_EMAIL = {
    "CR-2026-000031": ("Dupont", "Jean", "jean.dupont@@gmail.com"),
    "CR-2026-000118": ("Martin", "Marie", "marie.martin@gmail"),
    "CR-2026-000203": ("Durand", "Paul", "paul durand@orange.fr"),
}
PLANTED_UNKNOWN_ACC = {"CR-2026-000056": "H099-A", "CR-2026-000241": "H012-Z"}
PLANTED_UNREADABLE_DATE = {"CR-2026-000072": (C_ARR, "31/02/2027"),
                           "CR-2026-000189": (C_DEP, "bientôt")}
PLANTED_DEPARTURE_NOT_AFTER = {"CR-2026-000095": 0, "CR-2026-000227": -2}  # departure = arrival + d
PLANTED_MISSING_NOM = ["CR-2026-000143", "CR-2026-000266"]
PLANTED_CANCELLED = ["CR-2026-000020", "CR-2026-000077", "CR-2026-000150", "CR-2026-000210",
                     "CR-2026-000280"]
PLANTED_TEXT_DATE = {"CR-2026-000045": C_ARR, "CR-2026-000123": C_ARR,
                     "CR-2026-000178": C_DEP, "CR-2026-000230": C_BOOKED}
PLANTED_TEXT_AMOUNT = {"CR-2026-000066": " ", "CR-2026-000155": "\u00a0", "CR-2026-000259": ""}
PLANTED_FORMULA_NAME = ("CR-2026-000101", '=HYPERLINK("https://exemple.invalid/promo","Cliquez ici")')
PLANTED_CSV_QUOTING = {
    "CR-2026-000138": (C_NOM, "Lambert ; Giraud"),
    "CR-2026-000222": (C_PRENOM, 'Marie-Hélène "Malou"'),
    "CR-2026-000284": (C_NOM, "Fontaine\nDupuis"),
}
PLANTED_CP1252 = {
    "CR-2026-000026": ("Lecœur", "Anaïs", "anais.lecoeur@free.fr", "fr"),
    "CR-2026-000187": ("Wiśniewski", "Łukasz", "lukasz.wisniewski@wp.pl", "en"),
}
# Late stays appended after the base ones (references 000294..000300), in this order:
# (kind, reference of the base stay they are built against)
PLANTED_LATE = [
    ("overlap", "CR-2026-000040"),
    ("overlap", "CR-2026-000110"),
    ("overlap", "CR-2026-000175"),
    ("overlap", "CR-2026-000250"),
    ("touch", "CR-2026-000061"),
    ("touch", "CR-2026-000132"),
    ("cancelled_overlap", "CR-2026-000199"),
]
SMALL_BASE_STAYS = 293            # + 7 late stays = 300

# Large generator: defects per 1000 stays, chosen by the stay's sequence number modulo 1000.
LARGE_DEFECTS_PER_1000 = {
    17: "missing e-mail", 101: "malformed e-mail", 233: "unknown accommodation code",
    307: "date as text (readable)", 401: "unreadable date", 503: "departure not after arrival",
    601: "empty Nom", 707: "amount as text", 809: "formula-looking Nom (text)",
    907: "Nom with ';' (CSV quoting)",
}
LARGE_OVERLAP_EVERY = 250         # accommodation index % 250 == 3 -> its 3rd stay overlaps its 2nd,
                                  # index % 250 == 7 -> its 3rd stay touches its 2nd (not an overlap)
LARGE_CANCEL_RATE = 0.02
LARGE_PRERESA_RATE = 0.08

# ---------------------------------------------------------------- reference data
OFFICES = [
    ("Office de Tourisme de Morzine", 14),
    ("Office de Tourisme des Gets", 10),
    ("Office de Tourisme de Châtel", 10),
    ("Office de Tourisme de Saint-Jean-d'Aulps", 6),
]
PROVIDER_NAMES = [
    "Mme Bérénice Lefèvre", "M. Jean-Baptiste Mugnier", "SARL Les Chalets du Roc d'Enfer",
    "Mme Élodie Baud", "M. Gérard Tavernier", "SCI La Ferme des Lindarets",
    "Mme Françoise Cottet-Dumoulin", "M. Stéphane Premat", "SAS Alpes Séjours Chablais",
    "Mme Agnès Vuarand", "M. Noël Richard", "SARL Chalet-Hôtel Le Grenier",
    "Mme Hélène Anthonioz", "M. Loïc Grenat", "EURL Montagne & Lac",
    "Mme Maëlle Bochaton", "M. Hervé Morand", "SARL Les Granges de Nyon",
    "Mme Solène Girard-Desprolet", "M. Rémi Trombert", "SCI Le Vieux Moulin",
    "Mme Adèle Peillex", "M. Benoît Cettour", "Association des Refuges du Chablais",
    "Mme Cécile Bérod", "M. Jérôme Mouthon", "SARL Les Cîmes Blanches",
    "Mme Océane Favre", "M. Thierry Baud-Grasset", "SAS Chalets Prestige Châtel",
    "Mme Noémie Gaydon", "M. François Pasquier", "SARL Au Cœur des Alpes",
    "Mme Clémence Ducrettet", "M. Gaël Rubin", "SCI Les Têtes d'Anes",
    "Mme Inès Marullaz", "M. Théo Vulliez", "SARL Séjours Abondance & Aulps",
    "Mme Léonie Blanc-Garin",
]
PROVIDER_NAMES_LARGE_FIRST = {
    "Mme": ["Bérénice", "Élodie", "Françoise", "Agnès", "Hélène", "Maëlle", "Solène", "Adèle", "Cécile",
            "Océane"],
    "M.": ["Jean-Baptiste", "Gérard", "Stéphane", "Noël", "Loïc", "Hervé", "Rémi", "Benoît", "Jérôme",
           "Thierry"],
}
PROVIDER_NAMES_LARGE_LAST = ["Lefèvre", "Mugnier", "Baud", "Tavernier", "Cottet", "Premat", "Vuarand",
                             "Anthonioz", "Grenat", "Bochaton", "Morand", "Trombert", "Peillex",
                             "Cettour", "Bérod", "Mouthon", "Favre", "Gaydon", "Pasquier", "Marullaz"]
ACC_TYPES = ["Chalet", "Appartement", "Chambre d'hôtes", "Gîte", "Refuge"]
ACC_TYPE_WEIGHTS = [30, 30, 15, 18, 7]
CAPACITY = {"Chalet": (6, 14), "Appartement": (2, 8), "Chambre d'hôtes": (2, 4), "Gîte": (4, 12),
            "Refuge": (12, 40)}
NIGHT_RATE = {"Chalet": (180, 460), "Appartement": (75, 190), "Chambre d'hôtes": (70, 125),
              "Gîte": (90, 210), "Refuge": (28, 48)}           # refuge: per person per night
ACC_NAMES = {
    "Chalet": ["Chalet « Les Éterlous »", "Chalet « L'Épervière »", "Chalet « Les Mélèzes »",
               "Chalet « La Grange à Jules »", "Chalet « Le Forgeron »", "Chalet « Les Gentianes »",
               "Chalet « Crête d'Ardent »", "Chalet « Le Pas de Chavanette »", "Chalet « Bel Alp »",
               "Chalet « Les Arolles »", "Chalet « Le Nant Crue »", "Chalet « La Chaux Fleurie »",
               "Chalet « Les Écureuils »", "Chalet « L'Alpage du Linga »", "Chalet « Le Tétras »",
               "Chalet « Les Sorbiers »", "Chalet « Pré de la Joux »", "Chalet « Le Grand Cœur »",
               "Chalet « Les Lanchettes »", "Chalet « Mont-Chéry »"],
    "Appartement": ["Appartement Le Belvédère", "Résidence Les Fontaines Blanches — apt",
                    "Appartement Soleil d'Hiver", "Appartement La Pointe de Ressachaux",
                    "Résidence Le Hameau du Pléney — apt", "Appartement Les Crêts",
                    "Appartement Vue Mont-Blanc", "Résidence L'Ours Blanc — apt",
                    "Appartement Le Chamois", "Appartement Les Rhododendrons"],
    "Chambre d'hôtes": ["Chambre « Myrtille »", "Chambre « Edelweiss »", "Chambre « Génépi »",
                        "Chambre « Arnica »", "Chambre « Gentiane »", "Chambre « Épicéa »",
                        "Chambre « Bouquetin »", "Chambre « Marmotte »"],
    "Gîte": ["Gîte de l'Ours", "Gîte Le Pré Joli", "Gîte du Nant Sec", "Gîte La Fruitière",
             "Gîte Les Tavaillons", "Gîte de la Dranse", "Gîte Le Vieux Four", "Gîte Les Favières",
             "Gîte du Col de Cou", "Gîte La Ferme à Léon", "Gîte L’Abreuvoir", "Gîte Les Combes"],
    "Refuge": ["Refuge de Chésery", "Refuge de Bostan", "Refuge de la Golèse", "Refuge des Mines d'Or",
               "Refuge de Tornay", "Refuge du Col de Coux"],
}

LANGS = ["fr", "en", "de", "it", "es", None]
LANG_WEIGHTS = [58, 14, 9, 6, 6, 7]
FIRST_NAMES = {
    "fr": ["Camille", "Léa", "Chloé", "Zoé", "Hélène", "Émilie", "Noémie", "Jérôme", "François",
           "Benoît", "Gaël", "Loïc", "Thibault", "Mathéo", "Maëlle", "Anaïs", "Nicolas", "Julie",
           "Sébastien", "Aurélie", "Céline", "Frédéric", "Inès", "Raphaël", "Valérie", "Pierre",
           "Margaux", "Théo", "Clément", "Éloïse"],
    "en": ["Oliver", "Emily", "James", "Charlotte", "Siobhan", "Harry", "Amelia", "George",
           "Sophie", "William", "Ciarán", "Niamh"],
    "de": ["Jürgen", "Lukas", "Anna", "Jörg", "Katrin", "Maximilian", "Sophie", "Günther", "Lena"],
    "it": ["Giulia", "Niccolò", "Francesca", "Matteo", "Chiara", "Lorenzo", "Martina"],
    "es": ["José", "Begoña", "Lucía", "Javier", "Iñigo", "María", "Álvaro"],
}
LAST_NAMES = {
    "fr": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
           "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
           "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert",
           "Bonnet", "François", "Chevalier", "Gauthier", "Barbier", "Brunet", "Rolland", "Ménard",
           "Rémy", "Périer", "Lemaître", "Hébert"],
    "en": ["Smith", "Jones", "Taylor", "Brown", "O'Connor", "Wilson", "Evans", "Walsh", "Murphy",
           "Hughes", "O'Brien", "Clarke"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Schäfer", "Strauß", "Köhler", "Wagner"],
    "it": ["Rossi", "Bianchi", "Esposito", "Ricci", "Colombo", "De Luca", "Galli", "Niccolò"],
    "es": ["García", "Fernández", "Muñoz", "Peña", "López", "Martínez", "Núñez"],
    None: ["Ørsted", "Jensen", "Søndergaard", "Martin", "Girard", "Van den Berg", "Janssens"],
}
FIRST_NAMES[None] = ["Søren", "Zoé", "Mette", "Pieter", "Camille", "Anouk"]
EMAIL_DOMAINS = {
    "fr": ["gmail.com", "orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "sfr.fr", "hotmail.fr",
           "yahoo.fr", "outlook.fr"],
    "en": ["gmail.com", "outlook.com", "btinternet.com", "yahoo.co.uk", "icloud.com"],
    "de": ["gmx.de", "web.de", "t-online.de", "gmail.com"],
    "it": ["libero.it", "gmail.com", "virgilio.it"],
    "es": ["gmail.com", "telefonica.net", "hotmail.es"],
    None: ["gmail.com", "outlook.com", "mail.dk", "telenet.be"],
}
CHANNELS = ["Direct", "Centrale", "Booking.com", "Airbnb", "Abritel", "Alma Heritage"]
CHANNEL_WEIGHTS = [22, 30, 20, 12, 8, 8]


# ---------------------------------------------------------------- helpers
def ascii_slug(text, sep="."):
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("ß", "ss").replace("ø", "o") \
        .replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", sep, text).strip(sep)
    return text


def money(value):
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fr_amount(amount, group=""):
    """Decimal -> '1234,50' (group='') or '1 234,50' (group=' ' or NBSP)."""
    units, cents = f"{amount:.2f}".split(".")
    if group:
        parts = []
        while len(units) > 3:
            parts.insert(0, units[-3:])
            units = units[:-3]
        parts.insert(0, units)
        units = group.join(parts)
    return f"{units},{cents}"


def fr_date(d):
    return d.strftime("%d/%m/%Y")


def season_factor(day):
    if dt.date(2026, 12, 19) <= day < dt.date(2027, 1, 3):
        return Decimal("1.35")
    if dt.date(2027, 2, 6) <= day < dt.date(2027, 3, 8):
        return Decimal("1.25")
    if day < dt.date(2026, 12, 19) or day >= dt.date(2027, 4, 3):
        return Decimal("0.85")
    return Decimal("1.00")


def tourist_tax(acc_type):
    # taxe de séjour per adult per night (varies by classification)
    return {"Chalet": Decimal("1.65"), "Appartement": Decimal("1.10"),
            "Chambre d'hôtes": Decimal("0.88"), "Gîte": Decimal("0.99"),
            "Refuge": Decimal("0.55")}[acc_type]


class Provider:
    __slots__ = ("code", "name", "email", "phone", "office", "member", "fee_paid", "accs")


class Accommodation:
    __slots__ = ("code", "provider", "name", "type", "capacity", "pass_sejour", "pass_saison",
                 "rate", "index")


class Stay:
    """One row; fields hold the cell values (date/Decimal/int/str/None, text where planted)."""
    __slots__ = ("cells", "acc", "arr", "dep", "statut", "in_pair")

    def __init__(self, cells, acc, arr, dep, statut):
        self.in_pair = False    # large generator: part of a planted overlapping/touching pair
        self.cells = cells      # list of 15 cell values in STAY_HEADERS order
        self.acc = acc          # the Accommodation the stay was generated for
        self.arr, self.dep, self.statut = arr, dep, statut   # true dates (before any planting)


# ---------------------------------------------------------------- providers & accommodations
def make_providers(rng, n_providers, n_accs, large):
    offices = []
    for name, weight in OFFICES:
        offices += [name] * weight
    providers = []
    for i in range(1, n_providers + 1):
        p = Provider()
        p.code = f"H{i:03d}"
        if not large:
            p.name = PROVIDER_NAMES[i - 1]
        else:
            title = rng.choice(["Mme", "M."])
            p.name = f"{title} {rng.choice(PROVIDER_NAMES_LARGE_FIRST[title])} {rng.choice(PROVIDER_NAMES_LARGE_LAST)}"
        if p.name.startswith(("Mme ", "M. ")):
            first, last = p.name.split(" ", 1)[1].split(" ", 1)
            local = f"{ascii_slug(first)}.{ascii_slug(last)}"
            domain = rng.choice(["orange.fr", "wanadoo.fr", "gmail.com", "free.fr", "sfr.fr"])
        else:
            words = p.name.split(" ", 1)[1]
            local = "contact"
            domain = ascii_slug(words, "-")[:40] + ".fr"
        if large:
            local += f".{i}"
        p.email = f"{local}@{domain}"
        prefix = rng.choice(["04 50", "04 50", "04 50", "06", "07"])
        pairs = 3 if prefix == "04 50" else 4
        p.phone = " ".join([prefix] + [f"{rng.randint(0, 99):02d}" for _ in range(pairs)])
        p.office = offices[(i * 7) % len(offices)] if large else offices[rng.randrange(len(offices))]
        p.member = True
        p.fee_paid = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 300))
        p.accs = []
        providers.append(p)

    # distribute accommodations: every provider gets one, the rest at random (max 6 letters)
    counts = [1] * n_providers
    for _ in range(n_accs - n_providers):
        while True:
            j = rng.randrange(n_providers)
            if counts[j] < 6:
                counts[j] += 1
                break
    if not large:
        # the trailing-space e-mail provider has exactly one accommodation, the
        # conflict accommodations must exist (H004-B, H031-C): make the counts fit
        fix = {"H025": 1, "H004": 3, "H017": 2, "H031": 3}
        for code, want in fix.items():
            j = int(code[1:]) - 1
            delta = want - counts[j]
            counts[j] = want
            # compensate on the next providers (not in fix) so the total stays n_accs
            k = 0
            while delta != 0:
                kk = (j + 1 + k) % n_providers
                k += 1
                if f"H{kk + 1:03d}" in fix:
                    continue
                if delta > 0 and counts[kk] > 1:
                    counts[kk] -= 1
                    delta -= 1
                elif delta < 0 and counts[kk] < 6:
                    counts[kk] += 1
                    delta += 1

    used_names = {}
    accs = []
    for p, count in zip(providers, counts):
        for letter_index in range(count):
            a = Accommodation()
            a.code = f"{p.code}-{chr(ord('A') + letter_index)}"
            a.provider = p
            a.type = rng.choices(ACC_TYPES, ACC_TYPE_WEIGHTS)[0]
            lo, hi = CAPACITY[a.type]
            a.capacity = rng.randint(lo, hi)
            base = rng.choice(ACC_NAMES[a.type])
            if a.type == "Appartement":
                name = f"{base} {rng.randint(1, 4)}{rng.randint(0, 2)}{rng.randint(1, 9)}"
            elif a.type == "Chambre d'hôtes":
                name = f"{base} — {rng.choice(['Ferme de la Côte', 'Maison Baud', 'Les Granges', 'La Vieille Cure'])}"
            else:
                name = base
            n = used_names[name] = used_names.get(name, 0) + 1
            if n == 1:
                a.name = name
            elif large:
                a.name = f"{name} {n}"
            else:
                a.name = f"{name} ({['II', 'III', 'IV', 'V'][min(n - 2, 3)]})"
            r = rng.random()
            a.pass_sejour, a.pass_saison = (True, False) if r < 0.55 else (False, True) if r < 0.9 else (False, False)
            lo, hi = NIGHT_RATE[a.type]
            a.rate = money(Decimal(rng.randint(lo * 2, hi * 2)) / 2 - (Decimal("0.10") if rng.random() < 0.3 else 0))
            a.index = len(accs)
            p.accs.append(a)
            accs.append(a)

    if large:
        for a in accs:
            if a.index % 1000 == 500:
                a.pass_sejour = a.pass_saison = True
        for p in providers:
            if int(p.code[1:]) % 200 == 7:
                p.member, p.fee_paid = False, None
    else:
        by_code = {a.code: a for a in accs}
        for code in PLANTED_FORMULA_CONFLICT:
            by_code[code].pass_sejour = by_code[code].pass_saison = True
        for p in providers:
            if p.code in PLANTED_NON_MEMBERS:
                p.member, p.fee_paid = False, None
            if p.code == PLANTED_EMAIL_TRAILING_SPACE:
                p.name = "M. Gilles Rey-Bellet"
                p.email = "gite.ours@wanadoo.fr "
                assert len(p.accs) == 1
                a = p.accs[0]
                a.type, a.name, a.capacity, a.rate = "Gîte", "Gîte de l'Ours (Bellevaux)", 8, Decimal("135.00")
            if p.code == PLANTED_EMAIL_MIXED_CASE:
                p.email = p.email.split("@")[0].title() + "@" + p.email.split("@")[1].upper()
    return providers, accs


OFFICE_TOWNS = {
    "Office de Tourisme de Morzine": "74110 Morzine",
    "Office de Tourisme des Gets": "74260 Les Gets",
    "Office de Tourisme de Châtel": "74390 Châtel",
    "Office de Tourisme de Saint-Jean-d'Aulps": "74430 Saint-Jean-d'Aulps",
}
STREETS = ["route des Grandes Alpes", "chemin des Granges", "impasse du Pleney", "rue du Bourg",
           "route de la Plagne", "chemin des Sapins", "place de l'Église"]


def provider_address(p):
    """A postal address derived from the code and office (no random draw: the other columns stay as they were)."""
    n = int(p.code[1:])
    town = OFFICE_TOWNS.get(p.office, "74000 Annecy")
    return f"{(n * 7) % 120 + 1} {STREETS[n % len(STREETS)]}, {town}"


def provider_rows(accs):
    for a in accs:
        p = a.provider
        yield [p.code, p.name, p.email, p.phone, p.office, "Oui" if p.member else "Non", p.fee_paid,
               a.code, a.name, a.type, a.capacity, "Oui" if a.pass_sejour else "Non",
               "Oui" if a.pass_saison else "Non", provider_address(p)]


# ---------------------------------------------------------------- stays
def plan_intervals(rng, k):
    """k non-overlapping, non-touching [arrival, departure) intervals inside the season."""
    season_days = (SEASON_END - SEASON_START).days
    nights = [rng.choice((2, 3, 4, 5, 6, 7, 7, 7, 7, 10, 14)) for _ in range(k)]
    while sum(nights) + (k - 1) > season_days:
        j = max(range(k), key=lambda x: nights[x])
        nights[j] -= 1
    slack = season_days - sum(nights) - (k - 1)
    cuts = sorted(rng.randint(0, slack) for _ in range(k))
    out = []
    cursor = SEASON_START
    previous_cut = 0
    for j in range(k):
        cursor += dt.timedelta(days=cuts[j] - previous_cut + (1 if j else 0))
        previous_cut = cuts[j]
        # prefer Saturday/Sunday changeovers for weekly stays when there is room
        arr = cursor
        dep = arr + dt.timedelta(days=nights[j])
        out.append((arr, dep))
        cursor = dep
    return out


def make_client(rng, canal):
    lang = rng.choices(LANGS, LANG_WEIGHTS)[0]
    first = rng.choice(FIRST_NAMES[lang])
    last = rng.choice(LAST_NAMES[lang])
    if canal == "Booking.com":
        email = f"{ascii_slug(first)[:1]}{ascii_slug(last, '')}.{rng.randint(100000, 999999)}@guest.booking.com"
    else:
        style = rng.random()
        if style < 0.6:
            local = f"{ascii_slug(first)}.{ascii_slug(last, '')}"
        elif style < 0.8:
            local = f"{ascii_slug(first)[:1]}{ascii_slug(last, '')}{rng.randint(1, 99)}"
        else:
            local = f"{ascii_slug(last, '')}.{ascii_slug(first)}"
        email = f"{local}@{rng.choice(EMAIL_DOMAINS[lang])}"
    return last, first, email, lang


def make_stay(rng, acc, arr, dep, statut=None, booked=None, canal=None):
    canal = canal or rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    last, first, email, lang = make_client(rng, canal)
    nights = (dep - arr).days
    persons = rng.randint(max(1, acc.capacity // 3), acc.capacity)
    if acc.type == "Refuge":
        persons = rng.randint(1, min(8, acc.capacity))
        lodging = acc.rate * persons * nights
    else:
        lodging = acc.rate * nights
    amount = money(lodging * season_factor(arr) + tourist_tax(acc.type) * persons * nights)
    if statut is None:
        statut = "Pré-réservation" if (canal in ("Direct", "Centrale") and rng.random() < 0.12) else "Confirmé"
    if booked is None:
        latest = min(arr - dt.timedelta(days=3), BOOKING_LAST_BASE)
        booked = BOOKING_FIRST + dt.timedelta(days=rng.randint(0, (latest - BOOKING_FIRST).days))
    if statut == "Pré-réservation":
        deposit, pay = 0, rng.choice(["Chèque", "Chèque", "CB"])
    elif canal in ("Alma Heritage", "Airbnb"):
        deposit, pay = 100, rng.choice(["CB", "Carte bancaire", "Paypal"])
    elif canal == "Booking.com":
        deposit, pay = rng.choice([0, 100]), rng.choice(["CB", "Carte bancaire"])
    elif canal == "Abritel":
        deposit, pay = rng.choice([30, 100]), rng.choice(["CB", "Paypal"])
    else:
        deposit = rng.choice([25, 30, 30, 30, 50])
        pay = rng.choices(["CB", "Carte bancaire", "Paypal", "Chèque"], [40, 20, 15, 25])[0]
    cells = [None, acc.code, last, first, email, lang, arr, dep, persons, amount, canal, statut,
             booked, deposit, pay]
    return Stay(cells, acc, arr, dep, statut)


def stays_for_accommodations(rng, accs, counts):
    """Base (clean) stays of a batch of accommodations, sorted by booking date."""
    out = []
    for acc, k in zip(accs, counts):
        if k <= 0:
            continue
        for arr, dep in plan_intervals(rng, k):
            out.append(make_stay(rng, acc, arr, dep))
    out.sort(key=lambda s: (s.cells[C_BOOKED], s.acc.code, s.arr))
    return out


def allocate_counts(rng, n_stays, n_accs):
    base, rem = divmod(n_stays, n_accs)
    counts = [base] * n_accs
    for j in rng.sample(range(n_accs), rem):
        counts[j] += 1
    # pairwise jitter keeps the total exact
    jitter = min(base, 3)
    for j in range(0, n_accs - 1, 2):
        d = rng.randint(0, jitter)
        counts[j] += d
        counts[j + 1] -= d
    return counts


def overlaps(a1, d1, a2, d2):
    return a1 < d2 and a2 < d1


def plant_small(rng, stays):
    """Apply the PLANTED_* defects to the base stays and append the late stays."""
    by_ref = {s.cells[C_REF]: s for s in stays}
    used = set()

    def take(ref):
        assert ref in by_ref, ref
        assert ref not in used, f"{ref} planted twice"
        used.add(ref)
        return by_ref[ref]

    for ref, value in PLANTED_MISSING_EMAIL.items():
        take(ref).cells[C_EMAIL] = value
    for ref, (nom, prenom, email) in PLANTED_MALFORMED_EMAIL.items():
        s = take(ref)
        s.cells[C_NOM], s.cells[C_PRENOM], s.cells[C_EMAIL], s.cells[C_LANG] = nom, prenom, email, "fr"
    for ref, code in PLANTED_UNKNOWN_ACC.items():
        take(ref).cells[C_ACC] = code
    for ref, (col, text) in PLANTED_UNREADABLE_DATE.items():
        take(ref).cells[col] = text
    for ref, delta in PLANTED_DEPARTURE_NOT_AFTER.items():
        s = take(ref)
        s.cells[C_DEP] = s.arr + dt.timedelta(days=delta)
    for ref in PLANTED_MISSING_NOM:
        take(ref).cells[C_NOM] = None
    for ref in PLANTED_CANCELLED:
        s = take(ref)
        s.cells[C_STATUT] = s.statut = "Annulé"
    for ref, col in PLANTED_TEXT_DATE.items():
        s = take(ref)
        s.cells[col] = fr_date(s.cells[col])
    for ref, group in PLANTED_TEXT_AMOUNT.items():
        s = take(ref)
        if s.cells[C_AMOUNT] < 1000 and group:
            s.cells[C_AMOUNT] = s.cells[C_AMOUNT] + 1000   # make the grouping visible
        s.cells[C_AMOUNT] = fr_amount(s.cells[C_AMOUNT], group)
    ref, name = PLANTED_FORMULA_NAME
    take(ref).cells[C_NOM] = name
    for ref, (col, text) in PLANTED_CSV_QUOTING.items():
        take(ref).cells[col] = text
    for ref, (nom, prenom, email, lang) in PLANTED_CP1252.items():
        s = take(ref)
        s.cells[C_NOM], s.cells[C_PRENOM], s.cells[C_EMAIL], s.cells[C_LANG] = nom, prenom, email, lang

    # late stays, booked after the base ones
    late_booked = dt.date(2026, 11, 16)
    next_number = len(stays) + 1
    for kind, ref in PLANTED_LATE:
        base = take(ref)
        acc = base.acc
        others = [s for s in stays if s.acc is acc and s is not base]
        nights_base = (base.dep - base.arr).days
        candidates = []
        if kind == "touch":
            for n in (7, 5, 4, 3, 2):
                candidates.append((base.dep, base.dep + dt.timedelta(days=n)))
        else:
            # overlapping candidates: start inside the base stay, or end inside it
            for shift in (2, 1, 3, -2, -1, -3):
                for n in (7, 5, 4, 3, 2):
                    if shift > 0:
                        arr = base.arr + dt.timedelta(days=min(shift, nights_base - 1))
                    else:
                        arr = base.arr + dt.timedelta(days=shift)
                    candidates.append((arr, arr + dt.timedelta(days=n)))
        chosen = None
        for arr, dep in candidates:
            if not overlaps(arr, dep, base.arr, base.dep) and kind != "touch":
                continue
            if arr < SEASON_START or dep > SEASON_END:
                continue
            # must not overlap nor touch any other stay of that accommodation
            if any(s.arr <= dep and arr <= s.dep for s in others):
                continue
            chosen = (arr, dep)
            break
        assert chosen, f"cannot build a {kind} stay against {ref}"
        assert base.statut == "Confirmé" or kind == "touch", f"{ref} must be confirmed"
        statut = "Annulé" if kind == "cancelled_overlap" else "Confirmé"
        new = make_stay(rng, acc, chosen[0], chosen[1], statut=statut,
                        booked=late_booked + dt.timedelta(days=next_number - len(stays) - 1),
                        canal=rng.choice(["Booking.com", "Airbnb", "Abritel", "Direct"]))
        new.cells[C_REF] = f"CR-2026-{next_number:06d}"
        next_number += 1
        stays.append(new)
    return stays


def iter_large_stays(rng, accs, n_stays, n_providers, counters, block=2000):
    """Streams stays in blocks of accommodations, with defects at a fixed proportion."""
    counts = allocate_counts(rng, n_stays, len(accs))
    malformed = ["jean.dupont@@gmail.com", "marie.martin@gmail", "paul durand@orange.fr"]
    seq = 0
    for start in range(0, len(accs), block):
        batch = accs[start:start + block]
        batch_counts = counts[start:start + block]
        stays = []
        for acc, k in zip(batch, batch_counts):
            if k <= 0:
                continue
            intervals = plan_intervals(rng, k)
            planted = k >= 3 and acc.index % LARGE_OVERLAP_EVERY in (3, 7)
            if k >= 3 and acc.index % LARGE_OVERLAP_EVERY == 3:
                (a1, d1), (a2, d2) = intervals[1], intervals[2]
                arr = d1 - dt.timedelta(days=min(2, (d1 - a1).days))
                intervals[2] = (arr, arr + (d2 - a2))
                counters["overlapping pairs"] += 1
            elif k >= 3 and acc.index % LARGE_OVERLAP_EVERY == 7:
                (a1, d1), (a2, d2) = intervals[1], intervals[2]
                intervals[2] = (d1, d1 + (d2 - a2))
                counters["touching pairs (not overlaps)"] += 1
            for j, (arr, dep) in enumerate(intervals):
                if planted and j in (1, 2):     # both stays of a planted pair are confirmed
                    s = make_stay(rng, acc, arr, dep, statut="Confirmé")
                    s.in_pair = True
                    stays.append(s)
                    continue
                s = make_stay(rng, acc, arr, dep)
                if rng.random() < LARGE_CANCEL_RATE:
                    s.cells[C_STATUT] = s.statut = "Annulé"
                    counters["cancelled"] += 1
                stays.append(s)
        stays.sort(key=lambda s: (s.cells[C_BOOKED], s.acc.code, s.arr))
        for s in stays:
            seq += 1
            c = s.cells
            c[C_REF] = f"CR-2026-{seq:06d}"
            kind = LARGE_DEFECTS_PER_1000.get(seq % 1000)
            if kind and s.in_pair:
                counters["defect skipped (stay of a planted pair)"] += 1
            elif kind:
                counters[kind] += 1
                if seq % 1000 == 17:
                    c[C_EMAIL] = None
                elif seq % 1000 == 101:
                    c[C_EMAIL] = malformed[(seq // 1000) % 3]
                elif seq % 1000 == 233:
                    c[C_ACC] = f"H{n_providers + 1 + (seq // 1000) % 7:03d}-A"
                elif seq % 1000 == 307:
                    c[C_ARR] = fr_date(c[C_ARR])
                elif seq % 1000 == 401:
                    if (seq // 1000) % 2:
                        c[C_ARR] = "31/02/2027"
                    else:
                        c[C_DEP] = "bientôt"
                elif seq % 1000 == 503:
                    c[C_DEP] = c[C_ARR] - dt.timedelta(days=(seq // 1000) % 2 * 2)
                elif seq % 1000 == 601:
                    c[C_NOM] = None
                elif seq % 1000 == 707:
                    c[C_AMOUNT] = fr_amount(c[C_AMOUNT], "\u00a0" if (seq // 1000) % 2 else " ")
                elif seq % 1000 == 809:
                    c[C_NOM] = '=HYPERLINK("https://exemple.invalid/promo","Cliquez ici")'
                elif seq % 1000 == 907:
                    c[C_NOM] = f"{c[C_NOM]} ; Giraud"
            yield s


# ---------------------------------------------------------------- writers
class FixedTimeZipFile(zipfile.ZipFile):
    """ZipFile whose entries all carry FIXED_TIMESTAMP (reproducible archives)."""

    def _info(self, arcname):
        info = zipfile.ZipInfo(arcname, date_time=FIXED_TIMESTAMP.timetuple()[:6])
        info.compress_type = self.compression
        info.external_attr = 0o644 << 16
        return info

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        info = self._info(arcname or os.path.basename(filename))
        with open(filename, "rb") as src, self.open(info, "w", force_zip64=True) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)


def new_workbook():
    wb = Workbook(write_only=True)
    wb.properties.creator = "Passerelle sample-data generator"
    wb.properties.lastModifiedBy = "Passerelle sample-data generator"
    wb.properties.title = CENTRAL
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    return wb


def save_workbook(wb, path):
    # like openpyxl.writer.excel.save_workbook, minus the "modified = now" and the zip clock
    with FixedTimeZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        wb.properties.modified = FIXED_TIMESTAMP
        ExcelWriter(wb, archive).save()


class RowStyler:
    """Turns plain values into write-only cells: dates and money get their number format,
    a text starting with '=' stays text (quotePrefix, like typing '=... in Excel)."""

    def __init__(self, ws, date_cols=(), money_cols=()):
        self.ws = ws
        self.date_cells = {c: self._cell(DATE_FORMAT) for c in date_cols}
        self.money_cells = {c: self._cell(MONEY_FORMAT) for c in money_cols}
        self.text_cell = self._cell("@")
        self.text_cell.quotePrefix = True

    def _cell(self, number_format):
        cell = WriteOnlyCell(self.ws)
        cell.number_format = number_format
        return cell

    def row(self, values):
        out = []
        for col, value in enumerate(values):
            if value is None:
                out.append(None)
            elif isinstance(value, dt.date) and col in self.date_cells:
                cell = self.date_cells[col]
                cell.value = value
                out.append(cell)
            elif isinstance(value, Decimal) and col in self.money_cells:
                cell = self.money_cells[col]
                cell.value = value
                out.append(cell)
            elif isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(self.ws)
                cell.number_format = "@"
                cell.quotePrefix = True
                cell.value = value
                cell.data_type = "s"     # text, not a formula
                out.append(cell)
            else:
                out.append(value)
        return out


def bold(ws, text):
    cell = WriteOnlyCell(ws, value=text)
    cell.font = Font(bold=True)
    return cell


def write_providers_xlsx(path, accs):
    wb = new_workbook()
    ws = wb.create_sheet("Hébergements")
    for letter, width in zip("ABCDEFGHIJKLM", (15, 34, 34, 16, 38, 10, 20, 17, 44, 16, 15, 12, 12)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A5"
    ws.append([bold(ws, f"{CENTRAL} — export hébergeurs")])
    ws.append([f"Exporté le {fr_date(EXPORT_DATE)}"])
    ws.append([])
    ws.append([bold(ws, h) for h in PROVIDER_HEADERS_WRITTEN])
    styler = RowStyler(ws, date_cols=(6,))
    n = 0
    for row in provider_rows(accs):
        ws.append(styler.row(row))
        n += 1
    save_workbook(wb, path)
    return n


def write_stays(xlsx_path, csv_path, stays):
    """Writes the XLSX (streamed) and the CSV (streamed) in one pass over the stays."""
    wb = new_workbook()
    ws = wb.create_sheet("Séjours")
    for letter, width in zip("ABCDEFGHIJKLMNO", (17, 17, 20, 16, 34, 8, 14, 14, 12, 13, 14, 16, 19, 12, 17)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    title = f"{CENTRAL} — export séjours du {fr_date(EXPORT_DATE)}"
    ws.append([bold(ws, title)])
    ws.append([bold(ws, h) for h in STAY_HEADERS])
    styler = RowStyler(ws, date_cols=DATE_COLS, money_cols=(C_AMOUNT,))
    n = 0
    with open(csv_path, "w", encoding="cp1252", errors="replace", newline="") as f:
        # errors="replace" writes '?' for characters outside cp1252, as Excel's ANSI CSV does
        writer = csv.writer(f, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL,
                            lineterminator="\r\n")
        writer.writerow([title] + [""] * (len(STAY_HEADERS) - 1))
        writer.writerow(STAY_HEADERS)
        for s in stays:
            ws.append(styler.row(s.cells))
            writer.writerow([csv_text(v) for v in s.cells])
            n += 1
    save_workbook(wb, xlsx_path)
    return n


def csv_text(value):
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return fr_date(value)
    if isinstance(value, Decimal):
        return fr_amount(value)
    return str(value)


# ---------------------------------------------------------------- README
def describe(s, row):
    c = s.cells
    return f"row {row} `{c[C_REF]}`"


def write_small_readme(path, providers, accs, stays):
    def prow(code):
        for i, a in enumerate(accs):
            if a.code == code or a.provider.code == code:
                return i + 5
        raise KeyError(code)

    srow = {s.cells[C_REF]: i + 3 for i, s in enumerate(stays)}
    by_ref = {s.cells[C_REF]: s for s in stays}

    def refs(items):
        return ", ".join(f"`{r}` (row {srow[r]})" for r in items)

    late_refs = [f"CR-2026-{n:06d}" for n in range(SMALL_BASE_STAYS + 1, SMALL_BASE_STAYS + 1 + len(PLANTED_LATE))]
    non_member_stays = [s.cells[C_REF] for s in stays
                        if s.acc.provider.code in PLANTED_NON_MEMBERS and s.cells[C_ACC] == s.acc.code]
    n_sejour = sum(a.pass_sejour and not a.pass_saison for a in accs)
    n_saison = sum(a.pass_saison and not a.pass_sejour for a in accs)
    n_none = sum(not a.pass_saison and not a.pass_sejour for a in accs)
    statuts = {}
    for s in stays:
        statuts[s.cells[C_STATUT]] = statuts.get(s.cells[C_STATUT], 0) + 1

    L = []
    w = L.append
    w("# Sample data")
    w("")
    w("Generated by `scripts/generate_sample_data.py` (deterministic, seed "
      f"{SEED}); do not edit by hand, rerun the script. Fictitious people, addresses and e-mails.")
    w("")
    w("| file | what |")
    w("| --- | --- |")
    w(f"| `hebergeurs.xlsx` | providers-and-accommodations export of the booking central: sheet "
      f"`Hébergements`, {len(providers)} providers, {len(accs)} accommodations (one row each), "
      f"{len(OFFICES)} tourist offices |")
    w(f"| `sejours.xlsx` | stays export: sheet `Séjours`, {len(stays)} stays, season 2026-2027 |")
    w("| `sejours.csv` | the same stays as a French Excel saves them as *CSV (séparateur : point-virgule)* |")
    w("")
    w("Larger volumes for benchmarks: `python3 scripts/generate_sample_data.py --stays 1000000 --out /tmp/big` "
      "(not committed).")
    w("")
    w("## `hebergeurs.xlsx`")
    w("")
    w("Sheet `Hébergements`. Row 1: `Centrale de réservation Vallée Blanche — export hébergeurs` (bold); "
      "row 2: `Exporté le 24/11/2026`; row 3 empty; **row 4 = header**; data from row 5, one row per "
      "accommodation, the provider's columns repeated on each of its accommodations.")
    w("")
    w("| col | header | content |")
    w("| --- | --- | --- |")
    contents = [
        "`H001` … `H040`",
        "person (`Mme Bérénice Lefèvre`) or company (`SARL Les Chalets du Roc d'Enfer`)",
        "text",
        "text, `04 50 12 34 56` style",
        "one of: " + ", ".join(f"`{o}`" for o, _ in OFFICES),
        "`Oui` / `Non`",
        "date cell (`dd/mm/yyyy`), empty when not paid",
        "`H001-A`, `H001-B`, … (provider code + letter)",
        "text with accents and « » (`Chalet « Les Éterlous »`, `Gîte de l'Ours`)",
        "`Chalet`, `Appartement`, `Chambre d'hôtes`, `Gîte`, `Refuge`",
        "integer",
        "`Oui` / `Non`",
        "`Oui` / `Non`",
        "the provider's postal address (billing address of its commission invoices)",
    ]
    for i, (h, hw, ct) in enumerate(zip(PROVIDER_HEADERS, PROVIDER_HEADERS_WRITTEN, contents)):
        shown = f"`{hw}`" if h == hw else f"`{hw}` (sic: written with capital L and a trailing space; canonical `{h}`)"
        w(f"| {chr(65 + i)} | {shown} | {ct} |")
    w("")
    w(f"Formulas: {n_sejour} accommodations Pass Séjour only, {n_saison} Pass Saison only, "
      f"{n_none} with neither, {len(PLANTED_FORMULA_CONFLICT)} with both (conflict).")
    w("")
    w("### Planted defects and quirks")
    w("")
    w("| defect | where |")
    w("| --- | --- |")
    w("| formula conflict (Pass Séjour = Oui and Pass Saison = Oui) | "
      + ", ".join(f"`{c}` (row {prow(c)})" for c in PLANTED_FORMULA_CONFLICT) + " |")
    nm = []
    for p in providers:
        if p.code in PLANTED_NON_MEMBERS:
            rows = [str(a.index + 5) for a in p.accs]
            nm.append(f"`{p.code}` {p.name} ({p.office}; {'row' if len(rows) == 1 else 'rows'} {', '.join(rows)})")
    w("| non-member provider: `Adhérent` = `Non`, `Cotisation payée le` empty | " + "; ".join(nm) + " |")
    w(f"| provider e-mail with a trailing space (`gite.ours@wanadoo.fr `): trim it | "
      f"`{PLANTED_EMAIL_TRAILING_SPACE}` (row {prow(PLANTED_EMAIL_TRAILING_SPACE)}) |")
    p33 = next(p for p in providers if p.code == PLANTED_EMAIL_MIXED_CASE)
    w(f"| provider e-mail in mixed case (`{p33.email}`): valid, compare case-insensitively | "
      f"`{PLANTED_EMAIL_MIXED_CASE}` ({'row' if len(p33.accs) == 1 else 'rows'} "
      f"{', '.join(str(a.index + 5) for a in p33.accs)}) |")
    w("| header `Capacité (Lits) ` (capital L, trailing space) | cell K4 |")
    w("| title block above the header (2 lines + 1 empty row) | rows 1-3 |")
    w("")
    w(f"Stays of the non-member providers (for the membership report): {len(non_member_stays)} stays: "
      + ", ".join(f"`{r}`" for r in non_member_stays) + ".")
    w("")
    w("## `sejours.xlsx`")
    w("")
    w("Sheet `Séjours`. Row 1: `Centrale de réservation Vallée Blanche — export séjours du 24/11/2026` "
      "(bold); **row 2 = header**; data from row 3, sorted by reference (= booking order). "
      "Dates are date cells with number format `dd/mm/yyyy` except where planted as text; amounts "
      "are numbers with number format `#,##0.00 €` except where planted as text. Strings are written "
      "by openpyxl as inline strings (`t=\"inlineStr\"`), not in a shared-string table.")
    w("")
    w("| col | header | content |")
    w("| --- | --- | --- |")
    contents = [
        "`CR-2026-000001` … (unique, never changes)",
        "accommodation code from `hebergeurs.xlsx`",
        "client last name (accents, `O'Connor`, `Müller`, `Ørsted`, …)",
        "client first name",
        "client e-mail (mandatory); Booking.com stays carry relay addresses `…@guest.booking.com`",
        "`fr`, `en`, `de`, `it`, `es` or empty",
        "date cell",
        "date cell (check-out day; nights = departure − arrival)",
        "integer",
        "number, 2 decimals, format `#,##0.00 €`",
        ", ".join(f"`{c}`" for c in CHANNELS),
        "`Confirmé`, `Annulé`, `Pré-réservation`",
        "date cell",
        "integer percent: 0, 25, 30, 50, 100 (0 for pre-reservations)",
        "`CB`, `Carte bancaire` (same thing), `Paypal`, `Chèque`",
    ]
    for i, (h, ct) in enumerate(zip(STAY_HEADERS, contents)):
        w(f"| {chr(65 + i)} | `{h}` | {ct} |")
    w("")
    w("Statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(statuts.items())) + ". Stays are "
      "non-overlapping and non-touching by construction (one planning per accommodation, at least "
      "one free day between stays) except the planted pairs below.")
    w("")
    w("## `sejours.csv`")
    w("")
    w("Same records, same order, as Excel writes *CSV (séparateur : point-virgule)* on a French Windows: "
      "Windows-1252 (no BOM), `;` separator, CRLF line ends (also after the last record), the title line "
      "first, padded with `;` to 15 fields as Excel does for the used range, then the header line. "
      "Dates `dd/mm/yyyy`; amounts with a decimal comma and no grouping (`1234,50`); the text amounts "
      "keep their text (`1 234,50`, with a NBSP 0xA0 in one). Quoting per RFC 4180 only where needed "
      "(a field holding `;`, `\"` or a line break). A line break inside a cell is a bare LF inside a quoted "
      "field, so the CSV has one more physical line than records. Characters outside cp1252 are written `?`.")
    w("")
    w("## Planted defects in the stays (same records in the XLSX and the CSV)")
    w("")
    w("Row = spreadsheet row in `sejours.xlsx` = record number in `sejours.csv` (title = record 1, header = "
      "record 2).")
    w("")
    w("| expected outcome | defect | stays |")
    w("| --- | --- | --- |")
    w("| rejected | missing client e-mail | " + refs(PLANTED_MISSING_EMAIL) +
      " (the last one holds a single space) |")
    w("| rejected | malformed client e-mail | " + ", ".join(
        f"`{r}` (row {srow[r]}) `{v[2]}`" for r, v in PLANTED_MALFORMED_EMAIL.items()) + " |")
    w("| rejected | unknown accommodation code | " + ", ".join(
        f"`{r}` (row {srow[r]}) `{v}`" for r, v in PLANTED_UNKNOWN_ACC.items()) +
      " (H099 does not exist; H012 exists but has no accommodation Z) |")
    w("| rejected | unreadable date | " + ", ".join(
        f"`{r}` (row {srow[r]}) {STAY_HEADERS[c]} = `{t}`" for r, (c, t) in PLANTED_UNREADABLE_DATE.items()) + " |")
    w("| rejected | departure not after arrival | " + ", ".join(
        f"`{r}` (row {srow[r]}) {'same day' if d == 0 else f'departure {-d} days before arrival'}"
        for r, d in PLANTED_DEPARTURE_NOT_AFTER.items()) + " |")
    w("| rejected | required value missing (empty `Nom`) | " + refs(PLANTED_MISSING_NOM) + " |")
    pairs = []
    for (kind, ref), late in zip(PLANTED_LATE, late_refs):
        if kind == "overlap":
            a, b = by_ref[ref], by_ref[late]
            pairs.append(f"`{late}` (row {srow[late]}) × `{ref}` (row {srow[ref]}) on `{a.acc.code}` "
                         f"({fr_date(b.arr)}–{fr_date(b.dep)} vs {fr_date(a.arr)}–{fr_date(a.dep)})")
    w("| accepted + overlap alert (report both stays) | overlapping stays, 4 pairs | " + "; ".join(pairs) + " |")
    pairs = []
    for (kind, ref), late in zip(PLANTED_LATE, late_refs):
        if kind == "touch":
            a, b = by_ref[ref], by_ref[late]
            pairs.append(f"`{late}` (row {srow[late]}) after `{ref}` (row {srow[ref]}) on `{a.acc.code}` "
                         f"(departure {fr_date(a.dep)} = arrival {fr_date(b.arr)})")
    w("| accepted, **no** alert | touching stays (departure day = next arrival), 2 pairs | " + "; ".join(pairs) + " |")
    canc = [r for r in PLANTED_CANCELLED]
    for (kind, ref), late in zip(PLANTED_LATE, late_refs):
        if kind == "cancelled_overlap":
            a, b = by_ref[ref], by_ref[late]
            extra = (f"`{late}` (row {srow[late]}) on `{a.acc.code}` {fr_date(b.arr)}–{fr_date(b.dep)} overlaps "
                     f"the confirmed `{ref}` (row {srow[ref]}, {fr_date(a.arr)}–{fr_date(a.dep)}): **no** alert")
    w("| accepted (status `Annulé`), no alert | cancelled stays, 6 | " + refs(canc) + "; " + extra + " |")
    w("| accepted | formula-looking name, plain text (must stay text in every output: neutralise `=` "
      "when writing CSV/XLSX) | " + f"`{PLANTED_FORMULA_NAME[0]}` (row {srow[PLANTED_FORMULA_NAME[0]]}) "
      f"`Nom` = `{PLANTED_FORMULA_NAME[1]}` |")
    w("")
    w("Reader tests, all to be accepted:")
    w("")
    w("| quirk | stays |")
    w("| --- | --- |")
    w("| date typed as text `dd/mm/yyyy` (string cell) | " + ", ".join(
        f"`{r}` (row {srow[r]}, {STAY_HEADERS[c]})" for r, c in PLANTED_TEXT_DATE.items()) + " |")
    w("| amount typed as text | " + ", ".join(
        f"`{r}` (row {srow[r]}) `{by_ref[r].cells[C_AMOUNT].replace(chr(160), '⍽')}`" for r in PLANTED_TEXT_AMOUNT)
      + " (⍽ = NBSP U+00A0) |")
    w("| CSV quoting | " + ", ".join(
        f"`{r}` (row {srow[r]}) {STAY_HEADERS[c]} = `{t.replace(chr(10), '↵')}`" for r, (c, t) in PLANTED_CSV_QUOTING.items())
      + " (↵ = line break inside the cell); the `=HYPERLINK(\"…\")` name is quoted too |")
    w("| cp1252 | " + ", ".join(f"`{r}` (row {srow[r]}) {v[1]} {v[0]}" for r, v in PLANTED_CP1252.items())
      + " — `œ` is 0x9C in cp1252 (absent from ISO-8859-1); `Ł`/`ś` are outside cp1252, so the CSV holds "
      "`?ukasz Wi?niewski` while the XLSX holds the true name |")
    w("| name accents / apostrophes | `Zoé`, `Müller`, `Ørsted`, `O'Connor`, `Strauß`, `Iñigo`, … throughout |")
    w("")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(L))


def write_large_readme(path, n_providers, n_accs, n_stays, counters, seconds):
    L = ["# Large sample data (benchmark)", "",
         f"Generated by `scripts/generate_sample_data.py --stays {n_stays}` (seed {SEED}). Same files, "
         "sheets and columns as the small sample set (see `sample-data/README.md`); no hand-placed rows.",
         "",
         f"- `hebergeurs.xlsx`: {n_providers} providers, {n_accs} accommodations; formula conflict on every "
         "accommodation whose index % 1000 == 500; non-member providers: code number % 200 == 7.",
         f"- `sejours.xlsx` / `sejours.csv`: {n_stays} stays.",
         "",
         "Defects by reference number N (CR-2026-N) modulo 1000:", ""]
    for k, v in sorted(LARGE_DEFECTS_PER_1000.items()):
        L.append(f"- N % 1000 == {k}: {v}")
    L += ["", f"Overlapping pairs: 3rd stay of every accommodation with index % {LARGE_OVERLAP_EVERY} == 3 "
          f"overlaps its 2nd; touching pairs: index % {LARGE_OVERLAP_EVERY} == 7; both stays of a pair are "
          f"`Confirmé`. Cancelled: ~{LARGE_CANCEL_RATE:.0%} "
          "at random. A reference-drawn defect that falls on a stay of a planted pair is skipped (counted below), "
          "so every planted pair stays valid.", "",
          "Counts:", ""]
    for k, v in sorted(counters.items()):
        L.append(f"- {k}: {v}")
    L += ["", f"Generation time: {seconds:.1f} s.", ""]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(L))


# ---------------------------------------------------------------- main
def generate_small(out):
    rng = random.Random(SEED)
    providers, accs = make_providers(rng, 40, 90, large=False)
    counts = allocate_counts(rng, SMALL_BASE_STAYS, len(accs))
    stays = stays_for_accommodations(rng, accs, counts)
    for i, s in enumerate(stays, 1):
        s.cells[C_REF] = f"CR-2026-{i:06d}"
    stays = plant_small(rng, stays)
    self_check_small(stays)
    t = time.perf_counter()
    write_providers_xlsx(os.path.join(out, "hebergeurs.xlsx"), accs)
    write_stays(os.path.join(out, "sejours.xlsx"), os.path.join(out, "sejours.csv"), stays)
    write_small_readme(os.path.join(out, "README.md"), providers, accs, stays)
    print(f"{len(providers)} providers, {len(accs)} accommodations, {len(stays)} stays "
          f"written to {out} in {time.perf_counter() - t:.2f} s")


def self_check_small(stays):
    """Recount overlaps from the true dates: exactly the planted pairs must overlap."""
    by_acc = {}
    for s in stays:
        if s.cells[C_ACC] != s.acc.code or s.statut == "Annulé":
            continue
        if not isinstance(s.cells[C_ARR], dt.date) and s.cells[C_ARR] != fr_date(s.arr):
            continue
        dep = s.cells[C_DEP]
        dep = dep if isinstance(dep, dt.date) else None if dep == "bientôt" else s.dep
        if dep is None or dep <= s.arr:
            continue
        by_acc.setdefault(s.acc.code, []).append((s.arr, dep, s.cells[C_REF]))
    found, touching = set(), set()
    for items in by_acc.values():
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                a, b = items[i], items[j]
                if overlaps(a[0], a[1], b[0], b[1]):
                    found.add(tuple(sorted((a[2], b[2]))))
                elif a[1] == b[0] or b[1] == a[0]:
                    touching.add(tuple(sorted((a[2], b[2]))))
    late = [f"CR-2026-{n:06d}" for n in range(SMALL_BASE_STAYS + 1, SMALL_BASE_STAYS + 1 + len(PLANTED_LATE))]
    want_overlap = {tuple(sorted((r, l))) for (k, r), l in zip(PLANTED_LATE, late) if k == "overlap"}
    want_touch = {tuple(sorted((r, l))) for (k, r), l in zip(PLANTED_LATE, late) if k == "touch"}
    assert found == want_overlap, (found, want_overlap)
    assert touching == want_touch, (touching, want_touch)
    assert len(stays) == 300


def generate_large(out, n_stays):
    t0 = time.perf_counter()
    rng = random.Random(SEED + n_stays)
    n_accs = max(90, -(-n_stays // 8))          # ~8 stays per accommodation and season
    n_providers = max(40, int(n_accs / 2.25))
    providers, accs = make_providers(rng, n_providers, n_accs, large=True)
    write_providers_xlsx(os.path.join(out, "hebergeurs.xlsx"), accs)
    t1 = time.perf_counter()
    print(f"hebergeurs.xlsx: {n_providers} providers, {n_accs} accommodations in {t1 - t0:.1f} s", flush=True)
    from collections import Counter
    counters = Counter()
    n = write_stays(os.path.join(out, "sejours.xlsx"), os.path.join(out, "sejours.csv"),
                    iter_large_stays(rng, accs, n_stays, n_providers, counters))
    t2 = time.perf_counter()
    print(f"sejours.xlsx + sejours.csv: {n} stays in {t2 - t1:.1f} s", flush=True)
    counters["formula conflicts (hebergeurs.xlsx)"] = sum(a.pass_sejour and a.pass_saison for a in accs)
    counters["non-member providers (hebergeurs.xlsx)"] = sum(not p.member for p in providers)
    write_large_readme(os.path.join(out, "README.md"), n_providers, n_accs, n, counters, t2 - t0)
    for k, v in sorted(counters.items()):
        print(f"  {k}: {v}")
    print(f"total {t2 - t0:.1f} s")


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "sample-data"),
                        help="target folder (default: sample-data/ of the repository)")
    parser.add_argument("--stays", type=int, default=None,
                        help="generate N stays with the large generator (benchmarks) instead of "
                             "the hand-planted sample set")
    args = parser.parse_args(argv)
    out = os.path.normpath(args.out)
    os.makedirs(out, exist_ok=True)
    if args.stays is None:
        generate_small(out)
    else:
        if args.stays < 1:
            parser.error("--stays must be positive")
        generate_large(out, args.stays)


if __name__ == "__main__":
    main()
