#!/usr/bin/env python3
"""Writes the CSV fixtures of CSVReaderTests into Fixtures/csv/, one problem per file.

Run from anywhere: python3 Tests/PasserelleTests/Fixtures/make_csv_fixtures.py
The bytes matter (encodings, line ends), so the files are written in binary.
"""
from pathlib import Path

OUT = Path(__file__).resolve().parent / "csv"

HEADER = "Code séjour;Client;E-mail client;Arrivée;Montant;Statut"


def write(name: str, text: str, encoding: str, newline: str = "\r\n", bom: bool = False) -> None:
    data = text.replace("\n", newline).encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    (OUT / name).write_bytes(data)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # French Excel "CSV (séparateur : point-virgule)": cp1252, ';', CRLF, NBSP-grouped amounts, € œ ’ … bytes.
    write(
        "stays-windows1252.csv",
        HEADER + "\n"
        "S-001;Cœur d’Alène;jean.dupont@mail.fr;05/01/2026;1\u00a0234,50 €;Confirmé\n"
        "S-002;Zoé Lefèvre…;zoe@exemple.fr;12/02/2026;89,90 €;Annulée\n",
        "cp1252",
    )
    # Excel "CSV UTF-8": BOM, ';', CRLF.
    write(
        "stays-utf8-bom.csv",
        HEADER + "\n" "S-001;Renée Müller;renee@exemple.fr;05/01/2026;1\u202f234,50;Pré-réservation\n",
        "utf-8",
        bom=True,
    )
    # Excel separator hint on the first line, then a comma-separated UTF-8 file with LF.
    write("stays-sep-hint.csv", "sep=,\nCode,Nom\nS-001,\"Dupont; Jean\"\n", "utf-8", newline="\n")
    # Quoted fields holding the separator, doubled quotes and line breaks (LF inside a CRLF file).
    (OUT / "stays-quoted-line-breaks.csv").write_bytes(
        "Code;Commentaire;Montant\r\n"
        'S-001;"Arrivée tardive\nprévenir l\'OT";12,00\r\n'
        'S-002;"Dit ""bonjour""; part tôt";13,00\r\n'
        "S-003;RAS;14,00\r\n".encode("utf-8")
    )
    # A ragged row: the reader returns it; the mapping layer rejects it with its line.
    write("stays-ragged-row.csv", "Code;Nom;Montant\nS-001;Dupont;12,00\nS-002;Martin\nS-003;Durand;14,00\n", "utf-8")
    # An unterminated quote opened on line 3.
    write("stays-unterminated-quote.csv", 'Code;Nom\nS-001;Dupont\nS-002;"Martin\nS-003;Durand\n', "utf-8")
    # Old Mac line ends (CR only) and a stray quote inside an unquoted field.
    write("stays-cr-only.csv", 'Code|Mesure\nS-001|6\'2"\nS-002|RAS\n', "utf-8", newline="\r")


if __name__ == "__main__":
    main()
