#!/usr/bin/env python3
"""Writes the sample export of the Refuge des Aiguilles' bookings read by pipelines/channel-sync.yml into
sample-data/channels/refuge-reservations.csv (issue 6, items 6-7).

Made-up bookings as a refuge's booking software exports them and a French Excel saves them as "CSV UTF-8"
(';', UTF-8 with BOM, CRLF, dates dd/mm/yyyy, decimal comma), against the definition
sample-data/channels/refuge-des-aiguilles.yml (hand-written). Planted for the alerts: AIG-2027-0008 on the
closure day, AIG-2027-0009 above the tariff's maximum quantity and, with AIG-2027-0011, more dormitory places
than in stock on 24/07/2027; AIG-2027-0005 and AIG-2027-0006 both in the room of 2 (booked whole) on 10/07/2027;
AIG-2027-0010 booked online on its arrival day after the cut-off hour; AIG-2027-0007 cancelled.
Run: python3 scripts/generate_refuge_samples.py
"""
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sample-data", "channels")

HEADER = ["Référence", "Refuge", "Réservé le", "Arrivée", "Départ", "Tarif", "Quantité", "Suppléments", "Client",
          "E-mail", "Langue", "Source", "Statut", "Montant"]

R = "REF-AIGUILLES"
ROWS = [
    ["AIG-2027-0001", R, "02/03/2027 10:12", "12/06/2027", "13/06/2027", "DP-DORT", "4", "PIQUE-NIQUE:4", "Claire Dubois", "claire.dubois@example.fr", "fr", "En ligne", "Réservation", "280,00"],
    ["AIG-2027-0002", R, "15/03/2027 18:40", "19/06/2027", "21/06/2027", "DP-CH4", "3", "", "Marco Rossi", "marco.rossi@example.it", "Italien", "En ligne", "Réservation", "384,00"],
    ["AIG-2027-0003", R, "04/04/2027 09:05", "26/06/2027", "27/06/2027", "NUIT-DORT", "10", "DRAP:10", "Club alpin de Cluses", "sorties@caf-cluses.example", "fr", "Téléphone", "Pré-réservation", "370,00"],
    ["AIG-2027-0004", R, "20/04/2027 21:30", "03/07/2027", "04/07/2027", "DP-DORT", "2", "", "Hannah Weber", "hannah.weber@example.de", "de", "En ligne", "Réservation", ""],
    ["AIG-2027-0005", R, "22/04/2027 14:00", "10/07/2027", "12/07/2027", "DP-CH2", "2", "PIQUE-NIQUE:2", "Paul Martin", "paul.martin@example.fr", "fr", "Téléphone", "Pré-réservation", "296,00"],
    ["AIG-2027-0006", R, "02/05/2027 08:15", "10/07/2027", "11/07/2027", "DP-CH2", "1", "", "Lucía García", "lucia.garcia@example.es", "es", "En ligne", "Réservation", "68,00"],
    ["AIG-2027-0007", R, "05/05/2027 11:20", "17/07/2027", "18/07/2027", "DP-DORT", "6", "", "Tom Baker", "tom.baker@example.co.uk", "en", "En ligne", "Annulée", "348,00"],
    ["AIG-2027-0008", R, "18/05/2027 19:45", "05/07/2027", "06/07/2027", "NUIT-DORT", "2", "", "Julie Perrin", "julie.perrin@example.fr", "fr", "Téléphone", "Pré-réservation", "64,00"],
    ["AIG-2027-0009", R, "01/06/2027 07:55", "24/07/2027", "25/07/2027", "DP-DORT", "14", "", "Lycée du Mont-Blanc", "sorties@lycee-montblanc.example", "fr", "Téléphone", "Pré-réservation", "812,00"],
    ["AIG-2027-0010", R, "12/06/2027 17:30", "12/06/2027", "13/06/2027", "NUIT-DORT", "2", "", "Nicolas Favre", "nicolas.favre@example.fr", "fr", "En ligne", "", "64,00"],
    ["AIG-2027-0011", R, "14/06/2027 12:00", "24/07/2027", "25/07/2027", "DP-DORT", "12", "DRAP:12", "Groupe Rando Léman", "contact@rando-leman.example", "fr", "En ligne", "Réservation", "756,00"],
]


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "refuge-reservations.csv"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + "".join(";".join(row) + "\r\n" for row in [HEADER] + ROWS).encode("utf-8"))


if __name__ == "__main__":
    main()
