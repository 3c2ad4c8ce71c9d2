#!/usr/bin/env python3
"""Writes the refuge fixtures (issue 6, items 6-7): two refuge definitions, a broken one, and booking exports
as a French Excel saves them as "CSV UTF-8" (';', UTF-8 with BOM, CRLF). The data is made up. Run from any folder:
    python3 Tests/PasserelleTests/Fixtures/refuge/make_refuge_fixtures.py

July 2027 starts on a Thursday. Refuge du Test (REF-TEST): dormitory DORT, 10 places, for sale 6 Monday to
Thursday and 10 Friday to Sunday from 01/07 to 15/07, 10 every day from 16/07 to 31/07; room CH3, 3 places,
booked whole, 3 for sale every day of July; closed on Wednesday 14/07/2027. No online payment, deposit 25 %,
same-day cut-off 12:00. Refuge du Lac (REF-LAC): 2 days minimum between booking and arrival.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

HEADER = ["Référence", "Refuge", "Réservé le", "Arrivée", "Départ", "Tarif", "Quantité", "Suppléments", "Client",
          "E-mail", "Langue", "Source", "Statut", "Montant"]

REFUGE_TEST = """
# Refuge du Test: the definition the refuge tests hand-check their figures against.
code: REF-TEST
name: Refuge du Test
host: { name: Paul Gardien, email: gardien@refuge-test.example, phone: "04 50 00 00 00" }
online_payment: false
deposit: { percent: 25 }
min_days_before_arrival: 0
same_day_cutoff: "12:00"
stock_types:
  DORT: { name: Dortoir, places: 10 }
  CH3: { name: Chambre de 3, places: 3, blocks_whole_room: true }
openings:
  DORT:
    - { first: 2027-07-01, last: 2027-07-15, stock: { lun: 6, mar: 6, mer: 6, jeu: 6, ven: 10, sam: 10, dim: 10 } }
    - { first: 2027-07-16, last: 2027-07-31, stock: 10 }
  CH3:
    - { first: 2027-07-01, last: 2027-07-31, stock: 3 }
closures: [2027-07-14]
tariffs:
  NUIT: { name: Nuitée dortoir, stock_type: DORT, description: Nuit en dortoir, min_quantity: 1, max_quantity: 6, price: "30,00" }
  CH3: { name: Nuitée chambre de 3, stock_type: CH3, min_quantity: 2, max_quantity: 3, price: "40,00" }
supplements:
  REPAS: { name: Repas du soir, min_quantity: 1, max_quantity: 10, price: "20,00" }
"""

REFUGE_LAC = """
# Refuge du Lac: bookings at least two days before arrival.
code: REF-LAC
name: Refuge du Lac
host: { name: Anne Lac }
online_payment: true
deposit: none
min_days_before_arrival: 2
stock_types:
  DORT: { name: Dortoir, places: 8 }
openings:
  DORT:
    - { first: 2027-07-01, last: 2027-07-31, stock: 8 }
tariffs:
  NUIT: { name: Nuitée, stock_type: DORT, price: "25,00" }
"""

BROKEN = """
# Five mistakes (a misspelt key, an unknown stock type, overlapping periods, a stock above the places, a
# price that is not an amount), each reported with its line and column.
code: REF-BAD
name: Refuge cassé
host: { name: Zoé }
online_paiement: true
stock_types:
  DORT: { name: Dortoir, places: 10 }
openings:
  DORM:
    - { first: 2027-07-01, last: 2027-07-31, stock: 10 }
  DORT:
    - { first: 2027-07-01, last: 2027-07-20, stock: 10 }
    - { first: 2027-07-15, last: 2027-07-31, stock: 10 }
    - { first: 2027-08-01, last: 2027-08-31, stock: 12 }
tariffs:
  NUIT: { name: Nuitée, stock_type: DORT, price: trente }
"""

# One row per rule: the alerts (stored, reported) and the rejections (not stored).
RULES = [
    ["R-OK", "REF-TEST", "01/06/2027 09:00", "08/07/2027", "09/07/2027", "NUIT", "2", "", "Ana Ok", "ana@example.fr", "fr", "En ligne", "Pré-réservation", "60,00"],
    ["R-OVER-1", "REF-TEST", "02/06/2027 09:00", "05/07/2027", "06/07/2027", "NUIT", "4", "", "Bob Un", "bob@example.fr", "fr", "Téléphone", "Réservation", "120,00"],
    ["R-OVER-2", "REF-TEST", "03/06/2027 09:00", "05/07/2027", "06/07/2027", "NUIT", "3", "", "Cléo Deux", "cleo@example.fr", "fr", "Téléphone", "Réservation", "90,00"],
    ["R-CLOSED", "REF-TEST", "04/06/2027 09:00", "14/07/2027", "15/07/2027", "NUIT", "1", "", "Dan Fermé", "dan@example.fr", "fr", "Téléphone", "Réservation", "30,00"],
    ["R-OUTSIDE", "REF-TEST", "05/06/2027 09:00", "31/07/2027", "02/08/2027", "NUIT", "1", "", "Eva Dehors", "eva@example.fr", "fr", "Téléphone", "Réservation", "60,00"],
    ["R-QTY", "REF-TEST", "06/06/2027 09:00", "20/07/2027", "21/07/2027", "CH3", "1", "", "Fred Seul", "fred@example.fr", "fr", "Téléphone", "Réservation", "40,00"],
    ["R-TARIF", "REF-TEST", "07/06/2027 09:00", "21/07/2027", "22/07/2027", "NUITE", "1", "", "Gil Tarif", "gil@example.fr", "fr", "Téléphone", "Réservation", ""],
    ["R-SUPP", "REF-TEST", "08/06/2027 09:00", "23/07/2027", "24/07/2027", "NUIT", "1", "DESSERT:1", "Hugo Sup", "hugo@example.fr", "fr", "Téléphone", "Réservation", "30,00"],
    ["R-LATE", "REF-LAC", "09/07/2027 10:00", "10/07/2027", "11/07/2027", "NUIT", "2", "", "Iris Tard", "iris@example.fr", "fr", "En ligne", "Réservation", "50,00"],
    ["R-CUTOFF", "REF-TEST", "22/07/2027 15:30", "22/07/2027", "23/07/2027", "NUIT", "1", "", "Jo Midi", "jo@example.fr", "fr", "En ligne", "Pré-réservation", "30,00"],
    ["R-BADDATE", "REF-TEST", "10/06/2027 09:00", "31/06/2027", "02/07/2027", "NUIT", "1", "", "Kim Date", "kim@example.fr", "fr", "Téléphone", "Réservation", "30,00"],
    ["R-NOPE", "REF-NOPE", "11/06/2027 09:00", "08/07/2027", "09/07/2027", "NUIT", "1", "", "Léa Inconnue", "lea@example.fr", "fr", "Téléphone", "Réservation", "30,00"],
    ["R-DATES", "REF-TEST", "12/06/2027 09:00", "09/07/2027", "08/07/2027", "NUIT", "1", "", "Max Dates", "max@example.fr", "fr", "Téléphone", "Réservation", "30,00"],
    ["R-OK", "REF-TEST", "13/06/2027 09:00", "08/07/2027", "09/07/2027", "NUIT", "1", "", "Ana Encore", "ana@example.fr", "fr", "Téléphone", "Réservation", "30,00"],
]

# Refuge du Test over July 2027 (no Refuge column: the one definition applies).
MONTH = [
    ["M-1", "10/05/2027 09:15", "02/07/2027", "04/07/2027", "NUIT", "4", "", "Claire Dubois", "claire@example.fr", "fr", "Téléphone", "Réservation", "240,00"],
    ["M-2", "20/05/2027 21:40", "03/07/2027", "04/07/2027", "NUIT", "6", "", "Tom Baker", "tom@example.co.uk", "English", "En ligne", "", ""],
    ["M-3", "02/06/2027 08:05", "03/07/2027", "05/07/2027", "CH3", "2", "REPAS:2", "Marco Rossi", "marco@example.it", "it", "Téléphone", "Réservation", ""],
    ["M-4", "05/06/2027 18:00", "12/07/2027", "13/07/2027", "NUIT", "2", "", "Julie Perrin", "julie@example.fr", "", "Téléphone", "Pré-réservation", "60,00"],
    ["M-5", "06/06/2027 12:30", "20/07/2027", "23/07/2027", "NUIT", "5", "", "Hannah Weber", "hannah@example.de", "de", "En ligne", "Annulée", "450,00"],
    ["M-6", "15/06/2027 10:00", "20/07/2027", "21/07/2027", "NUIT", "3", "", "Paul Martin", "paul@example.fr", "fr", "Téléphone", "Réservation", "90,00"],
]


def write(name, text, bom=False):
    raw = text.encode("utf-8")
    if bom:
        raw = b"\xef\xbb\xbf" + raw
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(raw)


def csv(rows, header):
    return "".join(";".join(row) + "\r\n" for row in [header] + rows)


def main():
    write("refuge-test.yml", REFUGE_TEST.lstrip("\n"))
    write("refuge-lac.yml", REFUGE_LAC.lstrip("\n"))
    write("broken.yml", BROKEN.lstrip("\n"))
    write("rules.csv", csv(RULES, HEADER), bom=True)
    month_header = [h for h in HEADER if h != "Refuge"]
    write("month.csv", csv(MONTH, month_header), bom=True)
    cancelled = [row[:11] + ["Annulée"] + row[12:] if row[0] == "M-6" else row for row in MONTH]
    write("month-cancel-m6.csv", csv(cancelled, month_header), bom=True)


if __name__ == "__main__":
    main()
