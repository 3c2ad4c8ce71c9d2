#!/usr/bin/env python3
"""Writes the sample channel feeds of pipelines/channel-sync.yml into sample-data/channels/ (issue 6).

Made-up data in the shapes of ../shared/formats.md 1a-1c: two iCalendar feeds of one chalet (Airbnb and
Booking.com, with a stay mirrored in both), an Abritel feed, OTA messages (commit, modify, cancel), Weekendesk
messages (OTA_HotelResRQ bookings, one of two rooms, and an OTA_CancelRQ) and a JSON Lines feed.
Run: python3 scripts/generate_channel_samples.py
"""
import datetime
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sample-data", "channels")


def write(name, text, newline="\r\n"):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write((text.strip("\n").replace("\n", newline) + newline).encode("utf-8"))


def vevent(uid, start, end, summary, extra=""):
    return (f"BEGIN:VEVENT\nDTSTART;VALUE=DATE:{start}\nDTEND;VALUE=DATE:{end}\nUID:{uid}\n{extra}"
            f"SUMMARY:{summary}\nEND:VEVENT\n")


def calendar(prodid, events):
    return f"BEGIN:VCALENDAR\nPRODID{prodid}\nVERSION:2.0\nCALSCALE:GREGORIAN\n" + "".join(events) + "END:VCALENDAR\n"


AIRBNB = ";X-RICAL-TZSOURCE=TZINFO:-//Airbnb Inc//Hosting Calendar 0.8.8//EN"
write("chalet-edelweiss-airbnb.ics", calendar(AIRBNB, [
    vevent("1418fb94e984-5a1e0c7d2b9f4e61a3c8d0f2b7e4a916@airbnb.com", "20270102", "20270109", "Reserved",
           "DESCRIPTION:Reservation URL: https://www.airbnb.com/hosting/reservations/details/HMSAMPLE01\\nPh\n one Number (Last 4 Digits): 4235\n"),
    vevent("1418fb94e984-0b6f2c1d9e8a7b6c5d4e3f2a1b0c9d8e@airbnb.com", "20270206", "20270213", "Reserved"),
    vevent("1418fb94e984-ffffffffffffffffffffffffffffffff@airbnb.com", "20270901", "20280101", "Airbnb (Not available)"),
]))
write("chalet-edelweiss-booking.ics", calendar(":-//admin.booking.com\\, b.v.//NONSGML v1.0//EN", [
    vevent("7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f@booking.com", "20270206", "20270213", "CLOSED - Not available",
           "DTSTAMP:20261120T080000Z\n"),
    vevent("9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d@booking.com", "20270211", "20270214", "CLOSED - Not available",
           "DTSTAMP:20261120T080000Z\n"),
]), newline="\n")
write("gite-du-lac-abritel.ics", calendar(":-//HomeAway.com, Inc.//EN", [
    vevent("5d0f5c1e-2222-4c1e-9f3e-000000000001", "20270213", "20270220", "Réservée - Melanie", "DTSTAMP:20261120T080000Z\n"),
    vevent("5d0f5c1e-2222-4c1e-9f3e-000000000002", "20270227", "20270301", "Provisoire - Sylvie", "DTSTAMP:20261120T080000Z\n"),
    vevent("5d0f5c1e-2222-4c1e-9f3e-000000000003", "20270315", "20270320", "Indisponible", "DTSTAMP:20261120T080000Z\n"),
]))


def ota(status, start, end, amount):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OTA_HotelResNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="2.001" ResStatus="{status}">
  <HotelReservations>
    <HotelReservation CreateDateTime="2026-11-20T09:12:00">
      <UniqueID Type="14" ID="4099887766"/>
      <RoomStays><RoomStay>
        <RoomTypes><RoomType RoomTypeCode="CHALET"/></RoomTypes>
        <GuestCounts><GuestCount AgeQualifyingCode="10" Count="4"/></GuestCounts>
        <TimeSpan Start="{start}" End="{end}"/>
        <Total AmountAfterTax="{amount}" CurrencyCode="EUR" DecimalPlaces="2"/>
        <BasicPropertyInfo HotelCode="HTL-LAC" HotelName="Gîte du Lac"/>
      </RoomStay></RoomStays>
      <ResGuests><ResGuest><Profiles><ProfileInfo><Profile ProfileType="1"><Customer>
        <PersonName><GivenName>Lena</GivenName><Surname>Vogel</Surname></PersonName>
        <Email>lvogel.551203@guest.booking.com</Email>
      </Customer></Profile></ProfileInfo></Profiles></ResGuest></ResGuests>
      <ResGlobalInfo><HotelReservationIDs><HotelReservationID ResID_Type="14" ResID_Value="4099887766" ResID_Source="Booking.com"/></HotelReservationIDs></ResGlobalInfo>
    </HotelReservation>
  </HotelReservations>
</OTA_HotelResNotifRQ>"""


write("ota/2026-11-20-commit.xml", ota("Commit", "2027-03-06", "2027-03-13", "98000"), newline="\n")
write("ota/2026-11-21-modify.xml", ota("Modify", "2027-03-06", "2027-03-14", "112000"), newline="\n")
write("ota/2026-11-22-cancel.xml", ota("Cancel", "2027-03-06", "2027-03-14", "112000"), newline="\n")
# Weekendesk (formats.md 1b): OTA_HotelResRQ ResStatus="Commit", OTA_CancelRQ CancelType="Commit", ids of types
# 5 (Weekendesk's number) and 14 (the channel manager's), names in CDATA, HTML entities in the CDATA comment,
# ResGlobalInfo/TimeSpan Start + Duration without End, one Rate per night; card data as Weekendesk sends it
# (a virtual card), which ingest never reads.
def wed_room(hotel, code, name, start, nights, price, adults, children=0):
    rates = "".join(
        f"""
          <Rate EffectiveDate="{day(start, n)}" ExpireDate="{day(start, n + 1)}"><Base AmountAfterTax="{price}" CurrencyCode="EUR"/></Rate>"""
        for n in range(nights))
    kids = f'<GuestCount AgeQualifyingCode="8" Count="{children}" ResGuestRPH="2"/>' if children else ""
    return f"""
      <RoomStay>
        <RoomTypes><RoomType RoomTypeCode="{code}" RoomType="{name}" NumberOfUnits="1"/></RoomTypes>
        <RatePlans><RatePlan RatePlanCode="004" RatePlanName="Week-end montagne">{rates}
        </RatePlan></RatePlans>
        <GuestCounts><GuestCount AgeQualifyingCode="10" Count="{adults}" ResGuestRPH="1"/>{kids}</GuestCounts>
        <BasicPropertyInfo HotelCode="{hotel}"/>
      </RoomStay>"""


def day(start, n):
    return (datetime.date.fromisoformat(start) + datetime.timedelta(days=n)).isoformat()


def wed_ids(number, manager):
    return f"""<HotelReservationIDs>
    <HotelReservationID ResID_Type="5" ResID_Value="{number}" ResID_Source="Weekendesk" ResID_Date="2026-11-23T10:02:11.412"/>
    <HotelReservationID ResID_Type="14" ResID_Value="{manager}" ResID_Source="ChannelPartner" ResID_Date="2026-11-23T10:02:11.412"/>
  </HotelReservationIDs>"""


def wed_booking(lang, number, manager, rooms, start, nights, total, guest, comment):
    given, surname, email = guest
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OTA_HotelResRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="1.0" ResStatus="Commit" PrimaryLangID="{lang}">
  <POS><Source><RequestorID ID="passerelle" MessagePassword="secret"/></Source></POS>
  <HotelReservations><HotelReservation>
    <RoomStays>{"".join(rooms)}
    </RoomStays>
    <ResGuests><ResGuest ResGuestRPH="1" AgeQualifyingCode="10"><Profiles><ProfileInfo><Profile ProfileType="1"><Customer>
      <PersonName><GivenName><![CDATA[{given}]]></GivenName><Surname><![CDATA[{surname}]]></Surname></PersonName>
      <Email>{email}</Email>
    </Customer></Profile></ProfileInfo></Profiles></ResGuest></ResGuests>
    <ResGlobalInfo>
      <TimeSpan Start="{start}" Duration="P{nights}D"/>
      <Comments><Comment><Text><![CDATA[{comment}]]></Text></Comment></Comments>
      <Total AmountAfterTax="{total}" CurrencyCode="EUR"/>
      {wed_ids(number, manager)}
      <Guarantee><GuaranteesAccepted><GuaranteeAccepted>
        <PaymentCard CardNumber="1111222233334444" ExpireDate="1229" SeriesCode="123" CardType="MC" CardCode="VCC" CardHolderName="WEEKENDESK"/>
      </GuaranteeAccepted></GuaranteesAccepted></Guarantee>
    </ResGlobalInfo>
  </HotelReservation></HotelReservations>
</OTA_HotelResRQ>"""


def wed_cancel(hotel, number, manager):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OTA_CancelRQ Version="1.0" CancelType="Commit" xmlns="http://www.opentravel.org/OTA/2003/05">
  <POS><Source><RequestorID ID="passerelle" MessagePassword="secret" HotelID="{hotel}"/></Source></POS>
  {wed_ids(number, manager)}
</OTA_CancelRQ>"""


write("ota/2026-11-23-weekendesk-commit.xml", wed_booking(
    "it-IT", "31245678", "PAS-000117",
    [wed_room("AL_SORB", "RO_DOUBLE", "Camera doppia", "2027-02-13", 2, "96.00", 2),
     wed_room("AL_SORB", "RO_FAMILY", "Camera familiare", "2027-02-13", 2, "128.50", 2, 2)],
    "2027-02-13", 2, "449.00", ("Giulia", "Rossi", "giulia.rossi@example.it"),
    "2 notti per 4 adulti e 2 bambini. Arriveremo verso le 18, con un beb&egrave; di 8 mesi."), newline="\n")
write("ota/2026-11-24-weekendesk-commit.xml", wed_booking(
    "en-GB", "31250001", "PAS-000118", [wed_room("AL_LAC", "RO_GITE", "Gîte", "2027-01-16", 3, "140.00", 2)],
    "2027-01-16", 3, "420.00", ("Oliver", "Hughes", "oliver.hughes@example.co.uk"),
    "Late arrival (around 9 pm) &ndash; could you leave the key box code by e-mail?"), newline="\n")
write("ota/2026-11-25-weekendesk-commit.xml", wed_booking(
    "de-DE", "31260042", "PAS-000121", [wed_room("AL_SORB", "RO_DOUBLE", "Doppelzimmer", "2027-03-06", 2, "96.00", 2)],
    "2027-03-06", 2, "192.00", ("Jonas", "Weiß", "jonas.weiss@example.de"), "Wir bringen einen Hund mit."),
    newline="\n")
write("ota/2026-11-26-weekendesk-cancel.xml", wed_cancel("AL_SORB", "31260042", "PAS-000121"), newline="\n")


write("reservations.jsonl", """
{"reservation_id": "BDC-9996013801", "status": "new", "accommodation": "GITE-LAC", "channel": "Booking.com", "arrival": "2027-04-03", "departure": "2027-04-10", "first_name": "Anna", "last_name": "Berg", "email": "anna.berg@example.se", "adults": 2, "children": 1, "amount": "1250.00", "currency": "EUR"}
{"reservation_id": "ABB-HM4242", "status": "new", "accommodation": "CHA-EDEL", "channel": "Airbnb", "arrival": "2027-04-12", "departure": "2027-04-15", "amount": 420.5, "currency": "EUR"}
{"reservation_id": "BDC-9996013801", "status": "modified", "accommodation": "GITE-LAC", "channel": "Booking.com", "arrival": "2027-04-03", "departure": "2027-04-11", "first_name": "Anna", "last_name": "Berg", "email": "anna.berg@example.se", "adults": 2, "children": 1, "amount": "1400.00", "currency": "EUR"}
{"reservation_id": "ABB-HM4242", "status": "cancelled"}
""", newline="\n")
