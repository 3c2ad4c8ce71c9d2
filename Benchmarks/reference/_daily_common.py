"""What both Python versions of the daily import share: the rules, the store, the e-mails.

The dataframe work (reading, typing, filtering, joining, writing reports) is what differs between
daily_import_pandas.py and daily_import_polars.py; the per-row rules below are the ones Passerelle
applies (see Sources/Stages/Validate and Sources/Stages/Ingest/Mapping), so the counts must agree.
"""
import base64
import binascii
import datetime as dt
import email.utils
import hashlib
import os
import re
import sqlite3

# EmailSyntax.swift, for the shapes found in booking exports: one '@', local part without spaces,
# dotted domain of letters/digits/hyphens, top-level label of letters; no ',', ';', CR, LF.
EMAIL = re.compile(r"^[^\s@,;.][^\s@,;]*@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}$")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def is_email(text):
    return bool(EMAIL.match(text)) and ".." not in text


def text_date(text):
    """A date written as text, or None when it cannot be read."""
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    return None


def stay_code(reference, taken):
    """8 unambiguous characters derived from the reference; the next candidate on a collision."""
    attempt = 0
    while True:
        number = int.from_bytes(hashlib.blake2b(f"{reference}#{attempt}".encode(), digest_size=8).digest(), "little")
        code = ""
        for _ in range(8):
            number, digit = divmod(number, 30)
            code += ALPHABET[digit]
        if code not in taken:
            taken.add(code)
            return code
        attempt += 1


def open_store(path):
    store = sqlite3.connect(path)
    store.executescript("""
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS providers (code TEXT PRIMARY KEY, name TEXT, email TEXT, phone TEXT, office TEXT,
            is_member INTEGER, membership_paid_on TEXT);
        CREATE TABLE IF NOT EXISTS accommodations (code TEXT PRIMARY KEY, provider_code TEXT, name TEXT, type TEXT,
            capacity INTEGER, pass_sejour INTEGER, pass_saison INTEGER);
        CREATE TABLE IF NOT EXISTS stays (reference TEXT PRIMARY KEY, stay_code TEXT UNIQUE, accommodation_code TEXT,
            last_name TEXT, first_name TEXT, email TEXT, language TEXT, arrival TEXT, departure TEXT, party_size INTEGER,
            amount_cents INTEGER, channel TEXT, status TEXT, booking_date TEXT, deposit_basis_points INTEGER,
            payment_mode TEXT);
        CREATE INDEX IF NOT EXISTS stays_by_accommodation ON stays (accommodation_code);
    """)
    return store


STAY_COLUMNS = ["reference", "stay_code", "accommodation_code", "last_name", "first_name", "email", "language",
                "arrival", "departure", "party_size", "amount_cents", "channel", "status", "booking_date",
                "deposit_basis_points", "payment_mode"]


def upsert_stays(store, records):
    """records: list of tuples in STAY_COLUMNS order without stay_code; returns the new ones with their code."""
    existing = dict(store.execute("SELECT reference, stay_code FROM stays"))
    taken = set(existing.values())
    new = []
    rows = []
    for record in records:
        code = existing.get(record[0]) or stay_code(record[0], taken)
        row = (record[0], code) + tuple(record[1:])
        rows.append(row)
        if record[0] not in existing:
            new.append(row)
    placeholders = ", ".join("?" for _ in STAY_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in STAY_COLUMNS[2:])
    with store:
        store.executemany(
            f"INSERT INTO stays ({', '.join(STAY_COLUMNS)}) VALUES ({placeholders}) "
            f"ON CONFLICT(reference) DO UPDATE SET {updates}", rows)
    return new


SENDER = ("Centrale de réservation Vallée Blanche", "reservations@centrale-vallee-blanche.example")


def encoded_word(text):
    """An RFC 2047 encoded-word for non-ASCII header text (base64: binascii does it in C)."""
    if text.isascii():
        return text
    return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="


def write_stay_code_mails(folder, new_stays, as_of):
    """One .eml per new active stay (plain text and HTML, quoted-printable), and a manifest.

    Written from a template with binascii's encoders: Python's own email.generator folds headers at
    about 24 ms a message, which would take hours for a million stays.
    """
    os.makedirs(folder, exist_ok=True)
    index = {c: i for i, c in enumerate(STAY_COLUMNS)}
    manifest = ["recipient;template;subject_key;key;file"]
    date = email.utils.format_datetime(as_of)
    sender = f"{encoded_word(SENDER[0])} <{SENDER[1]}>"
    for n, stay in enumerate(new_stays, 1):
        if stay[index["status"]] == "cancelled":
            continue
        reference, code = stay[0], stay[1]
        name = f"{stay[index['first_name']] or ''} {stay[index['last_name']]}".strip()
        arrival = dt.date.fromisoformat(stay[index["arrival"]]).strftime("%d/%m/%Y")
        departure = dt.date.fromisoformat(stay[index["departure"]]).strftime("%d/%m/%Y")
        body = (f"Bonjour {name},\n\nVotre séjour du {arrival} au {departure} (hébergement "
                f"{stay[index['accommodation_code']]}) est enregistré.\n\nVotre code séjour : {code}\n")
        html = "<p>" + body.replace("\n", "<br>") + "</p>"
        boundary = f"=_bench_{n:x}"
        text = (f"Date: {date}\r\nFrom: {sender}\r\nTo: {encoded_word(name)} <{stay[index['email']]}>\r\n"
                f"Subject: {encoded_word(f'Votre code séjour {code} – arrivée le {arrival}')}\r\n"
                f"Message-ID: <passerelle.stay_code_{reference}@centrale-vallee-blanche.example>\r\n"
                f"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n"
                f"--{boundary}\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                f"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                + binascii.b2a_qp(body.encode()).decode() +
                f"\r\n--{boundary}\r\nContent-Type: text/html; charset=UTF-8\r\n"
                f"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                + binascii.b2a_qp(html.encode()).decode() + f"\r\n--{boundary}--\r\n")
        file = f"{n:04d}-{reference}.eml"
        with open(os.path.join(folder, file), "w", encoding="ascii", newline="") as f:
            f.write(text)
        manifest.append(f"{stay[index['email']]};stay_code.fr;{reference};stay_code:{reference}:v1;{file}")
    with open(os.path.join(folder, "manifest.csv"), "w", encoding="utf-8-sig") as f:
        f.write("\n".join(manifest) + "\n")
