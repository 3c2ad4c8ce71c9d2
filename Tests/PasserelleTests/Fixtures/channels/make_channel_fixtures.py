#!/usr/bin/env python3
"""Writes the channel-feed fixtures (issue 6): iCalendar feeds with real-world quirks, OTA messages, JSON Lines.

Shapes follow ../../../../../shared/formats.md 1a-1c; the data is made up. Run from any folder:
    python3 Tests/PasserelleTests/Fixtures/channels/make_channel_fixtures.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, text, newline="\r\n", bom=False):
    data = text.strip("\n").replace("\n", newline) + newline
    raw = data.encode("utf-8")
    if bom:
        raw = b"\xef\xbb\xbf" + raw
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(raw)


def fold_bytes(line, width=75):
    """Folds at `width` octets even inside a multi-byte character (as some feeds do)."""
    raw = line.encode("utf-8")
    parts = [raw[:width]]
    raw = raw[width:]
    while raw:
        parts.append(b" " + raw[: width - 1])
        raw = raw[width - 1 :]
    return parts


# Airbnb: BOM, CRLF, PRODID with a parameter, no DTSTAMP, DESCRIPTION folded mid-URL, a SUMMARY folded
# inside a multi-byte character, a "Not available" window without DTEND (one day).
summary = "SUMMARY:Reserved"
description = ("DESCRIPTION:Reservation URL: https://www.airbnb.com/hosting/reservations/details/HMABCDEF12"
               "\\nPhone Number (Last 4 Digits): 4235")
folded_description = b"\r\n".join(fold_bytes(description)).decode("utf-8")
airbnb = f"""BEGIN:VCALENDAR
PRODID;X-RICAL-TZSOURCE=TZINFO:-//Airbnb Inc//Hosting Calendar 0.8.8//EN
CALSCALE:GREGORIAN
VERSION:2.0
BEGIN:VEVENT
DTEND;VALUE=DATE:20270109
DTSTART;VALUE=DATE:20270102
UID:1418fb94e984-0a1b2c3d4e5f60718293a4b5c6d7e8f9@airbnb.com
{folded_description}
{summary}
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20270115
UID:1418fb94e984-ffffffffffffffffffffffffffffffff@airbnb.com
SUMMARY:Airbnb (Not available)
END:VEVENT
END:VCALENDAR
"""
with open(os.path.join(HERE, "airbnb-folded.ics"), "wb") as f:
    body = airbnb.strip("\n").replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n"
    f.write(b"\xef\xbb\xbf" + body.encode("utf-8"))

# A SUMMARY whose "é" is split by the fold (octet 75 falls inside it), with a tab continuation.
line = "SUMMARY:" + "x" * 66 + "Réservée - Hélène"
raw = line.encode("utf-8")
cut = raw.index("é".encode("utf-8")) + 1  # inside the two-byte "é"
split_lines = raw[:cut] + b"\r\n\t" + raw[cut:]
with open(os.path.join(HERE, "abritel-split-char.ics"), "wb") as f:
    f.write(b"BEGIN:VCALENDAR\r\nPRODID:-//HomeAway.com, Inc.//EN\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
            b"UID:02292020-0229-2020-0305-202003052020\r\nDTSTART;VALUE=DATE:20270301\r\n"
            b"DTEND;VALUE=DATE:20270305\r\n" + split_lines + b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")

# Booking.com: bare LF, escaped comma in PRODID, UTC date-times, a TZID event, cancelled and transparent events.
write("booking-timed.ics", r"""
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//admin.booking.com\, b.v.//NONSGML v1.0//EN
METHOD:PUBLISH
BEGIN:VEVENT
DTSTAMP:20261101T080000Z
DTSTART:20261210T230000Z
DTEND:20261212T090000Z
UID:0123456789abcdef0123456789abcdef@booking.com
SUMMARY:CLOSED - Not available
END:VEVENT
BEGIN:VEVENT
DTSTAMP:20261101T080000Z
DTSTART;TZID=America/New_York:20261220T200000
DTEND;TZID=America/New_York:20261222T080000
UID:fedcba9876543210fedcba9876543210@booking.com
SUMMARY:CLOSED - Jean Dupont
END:VEVENT
BEGIN:VEVENT
DTSTAMP:20261101T080000Z
DTSTART;VALUE=DATE:20261226
DTEND;VALUE=DATE:20261228
UID:cancelled-0001@booking.com
STATUS:CANCELLED
SUMMARY:CLOSED - Not available
END:VEVENT
BEGIN:VEVENT
DTSTAMP:20261101T080000Z
DTSTART;VALUE=DATE:20261229
DTEND;VALUE=DATE:20261230
UID:transparent-0001@booking.com
TRANSP:TRANSPARENT
SUMMARY:CLOSED - Not available
END:VEVENT
END:VCALENDAR
""", newline="\n")

# Abritel: localised summaries, a malformed line, an event without UID, an event ending before it starts.
write("abritel-malformed.ics", """
BEGIN:VCALENDAR
PRODID:-//HomeAway.com, Inc.//EN
VERSION:2.0
BEGIN:VEVENT
UID:5d0f5c1e-1111-4c1e-9f3e-000000000001
DTSTAMP:20261101T080000Z
DTSTART;VALUE=DATE:20270201
DTEND;VALUE=DATE:20270208
SUMMARY:Réservée - Melanie
END:VEVENT
BEGIN:VEVENT
UID:5d0f5c1e-1111-4c1e-9f3e-000000000002
DTSTART;VALUE=DATE:20270210
DTEND;VALUE=DATE:20270212
SUMMARY:Provisoire - Sylvie
END:VEVENT
BEGIN:VEVENT
UID:5d0f5c1e-1111-4c1e-9f3e-000000000003
DTSTART;VALUE=DATE:20270214
DTEND;VALUE=DATE:20270216
SUMMARY:Indisponible
this line has no colon
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20270220
DTEND;VALUE=DATE:20270222
SUMMARY:Réservée
END:VEVENT
BEGIN:VEVENT
UID:5d0f5c1e-1111-4c1e-9f3e-000000000005
DTSTART;VALUE=DATE:20270225
DTEND;VALUE=DATE:20270224
SUMMARY:Réservée
END:VEVENT
END:VCALENDAR
""")

# Two downloads of one Airbnb feed: the booking B vanishes (cancelled) and the rolling "Not available"
# window (same UID) moves one day.
day = """
BEGIN:VCALENDAR
PRODID;X-RICAL-TZSOURCE=TZINFO:-//Airbnb Inc//Hosting Calendar 0.8.8//EN
VERSION:2.0
BEGIN:VEVENT
DTSTART;VALUE=DATE:20270102
DTEND;VALUE=DATE:20270109
UID:1418fb94e984-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@airbnb.com
SUMMARY:Reserved
END:VEVENT
{booking_b}BEGIN:VEVENT
DTSTART;VALUE=DATE:{window_start}
DTEND;VALUE=DATE:20280101
UID:1418fb94e984-windowwindowwindowwindowwindow00@airbnb.com
SUMMARY:Airbnb (Not available)
END:VEVENT
END:VCALENDAR
"""
booking_b = """BEGIN:VEVENT
DTSTART;VALUE=DATE:20270120
DTEND;VALUE=DATE:20270127
UID:1418fb94e984-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb@airbnb.com
SUMMARY:Reserved
END:VEVENT
"""
write("airbnb-day1.ics", day.format(booking_b=booking_b, window_start="20270901"))
write("airbnb-day2.ics", day.format(booking_b="", window_start="20270902"))

# One stay mirrored by the channel manager in the Airbnb and Booking.com feeds of the same chalet.
write("mirror-airbnb.ics", """
BEGIN:VCALENDAR
PRODID;X-RICAL-TZSOURCE=TZINFO:-//Airbnb Inc//Hosting Calendar 0.8.8//EN
VERSION:2.0
BEGIN:VEVENT
DTSTART;VALUE=DATE:20270206
DTEND;VALUE=DATE:20270213
UID:1418fb94e984-mirrormirrormirrormirrormirror00@airbnb.com
SUMMARY:Reserved
END:VEVENT
END:VCALENDAR
""")
write("mirror-booking.ics", """
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//admin.booking.com\\, b.v.//NONSGML v1.0//EN
BEGIN:VEVENT
DTSTAMP:20261101T080000Z
DTSTART;VALUE=DATE:20270206
DTEND;VALUE=DATE:20270213
UID:mirrormirrormirrormirrormirror00@booking.com
SUMMARY:CLOSED - Not available
END:VEVENT
BEGIN:VEVENT
DTSTAMP:20261101T080000Z
DTSTART;VALUE=DATE:20270211
DTEND;VALUE=DATE:20270215
UID:doublesaledoublesaledoublesale00@booking.com
SUMMARY:CLOSED - Not available
END:VEVENT
END:VCALENDAR
""")

OTA_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def ota(status_root, status_res, start, end, amount, places=True):
    dp = ' DecimalPlaces="2"' if places else ""
    root_status = f' ResStatus="{status_root}"' if status_root else ""
    res_status = f' ResStatus="{status_res}"' if status_res else ""
    return OTA_HEAD + f"""<OTA_HotelResNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="2.001"{root_status}>
  <HotelReservations>
    <HotelReservation CreateDateTime="2026-11-02T10:00:00"{res_status}>
      <UniqueID Type="14" ID="4012345678"/>
      <RoomStays>
        <RoomStay>
          <RoomTypes><RoomType RoomTypeCode="CHALET"/></RoomTypes>
          <GuestCounts><GuestCount AgeQualifyingCode="10" Count="2"/><GuestCount AgeQualifyingCode="8" Count="1" Age="7"/></GuestCounts>
          <TimeSpan Start="{start}" End="{end}"/>
          <Total AmountAfterTax="{amount}" CurrencyCode="EUR"{dp}/>
          <BasicPropertyInfo HotelCode="HTL-EDEL" HotelName="Chalet Edelweiss"/>
        </RoomStay>
      </RoomStays>
      <ResGuests><ResGuest><Profiles><ProfileInfo><Profile ProfileType="1"><Customer>
        <PersonName><GivenName>Pat</GivenName><Surname>Quinn</Surname></PersonName>
        <Email>pquinn.284664@guest.booking.com</Email>
      </Customer></Profile></ProfileInfo></Profiles></ResGuest></ResGuests>
      <ResGlobalInfo><HotelReservationIDs><HotelReservationID ResID_Type="14" ResID_Value="4012345678" ResID_Source="Booking.com"/></HotelReservationIDs></ResGlobalInfo>
    </HotelReservation>
  </HotelReservations>
</OTA_HotelResNotifRQ>
"""


write("ota/01-commit.xml", ota(None, "Book", "2027-03-06", "2027-03-13", "32550"), newline="\n")
write("ota/02-modify.xml", ota("Modify", None, "2027-03-07", "2027-03-14", "34100"), newline="\n")
write("ota/03-cancel.xml", ota("Cancel", None, "2027-03-07", "2027-03-14", "0", places=False), newline="\n")
write("ota-doctype.xml", OTA_HEAD + '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
      + '<OTA_HotelResNotifRQ ResStatus="Commit">&x;</OTA_HotelResNotifRQ>\n', newline="\n")

# Weekendesk (formats.md 1b; weekendesk/OTA-API-Developer-Guide): bookings as OTA_HotelResRQ ResStatus="Commit",
# cancellations as OTA_CancelRQ CancelType="Commit"; ids ResID_Type 5 (Weekendesk's number, the key) and 14 (the
# channel manager's, different in the cancellation as in the guide); names in CDATA; French free text with HTML
# entities inside CDATA; ResGlobalInfo/TimeSpan with Start and Duration but no End; one Rate per night.
def wed_room(code, name, plan, nights, price, adults, children):
    rates = "".join(
        f"""
              <Rate EffectiveDate="{night}" ExpireDate="{after}"><Base AmountAfterTax="{price}" CurrencyCode="EUR"></Base></Rate>"""
        for night, after in nights)
    kids = f'\n          <GuestCount AgeQualifyingCode="8" Count="{children}" ResGuestRPH="2"/>' if children else ""
    return f"""
        <RoomStay>
          <RoomTypes><RoomType RoomTypeCode="{code}" RoomType="{name}" NumberOfUnits="1"/></RoomTypes>
          <RatePlans>
            <RatePlan RatePlanCode="004" RatePlanName="{plan}">{rates}
            </RatePlan>
          </RatePlans>
          <GuestCounts>
          <GuestCount AgeQualifyingCode="10" Count="{adults}" ResGuestRPH="1"/>{kids}
          </GuestCounts>
          <BasicPropertyInfo BrandCode="BC_SORB" HotelCode="AL_SORB" HotelName="Les Sorbiers"/>
        </RoomStay>"""


def wed_ids(number, manager):
    return f"""<HotelReservationIDs>
        <HotelReservationID ResID_Type="5" ResID_Value="{number}" ResID_Source="Weekendesk" ResID_Date="2026-11-20T17:50:41.059"/>
        <HotelReservationID ResID_Type="14" ResID_Value="{manager}" ResID_Source="ChannelPartner" ResID_Date="2026-11-20T17:50:41.059"/>
      </HotelReservationIDs>"""


def weekendesk_booking(number, manager, rooms, total, comment):
    return OTA_HEAD + f"""<OTA_HotelResRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="1.0" ResStatus="Commit" PrimaryLangID="fr-FR">
  <POS><Source><RequestorID ID="user" MessagePassword="password"/></Source></POS>
  <HotelReservations>
    <HotelReservation>
      <RoomStays>{"".join(rooms)}
      </RoomStays>
      <Services>
        <Service Quantity="1" ServicePricingType="Per stay">
          <Price><Base AmountAfterTax="0.00" CurrencyCode="EUR"/></Price>
          <ServiceDetails><TimeSpan Duration="P1D"/></ServiceDetails>
          <TPA_Extensions><Description Language="FR"><Text>Lit b&amp;eacute;b&amp;eacute;</Text></Description></TPA_Extensions>
        </Service>
      </Services>
      <ResGuests><ResGuest ResGuestRPH="1" AgeQualifyingCode="10"><Profiles><ProfileInfo><Profile ProfileType="1"><Customer>
        <PersonName><NamePrefix>Mme</NamePrefix><GivenName><![CDATA[Élodie]]></GivenName><Surname><![CDATA[Marchand & Fils]]></Surname></PersonName>
        <Telephone PhoneNumber="0612345678" PhoneLocationType="1" PhoneTechType="1"/>
        <Email>elodie.marchand@example.fr</Email>
        <Address><AddressLine><![CDATA[ _]]></AddressLine><CityName><![CDATA[Annecy]]></CityName></Address>
      </Customer></Profile></ProfileInfo></Profiles></ResGuest></ResGuests>
      <ResGlobalInfo>
        <TimeSpan Start="2027-02-13" Duration="P2D"/>
        <Comments><Comment><Text><![CDATA[
          {comment}
          ]]></Text></Comment></Comments>
        <Total AmountAfterTax="{total}" CurrencyCode="EUR"/>
      {wed_ids(number, manager)}
        <Guarantee><GuaranteesAccepted><GuaranteeAccepted>
          <PaymentCard CardNumber="1111222233334444" ExpireDate="1229" SeriesCode="123" CardType="MC" CardCode="VCC" CardHolderName="WEEKENDESK"/>
        </GuaranteeAccepted></GuaranteesAccepted></Guarantee>
      </ResGlobalInfo>
    </HotelReservation>
  </HotelReservations>
</OTA_HotelResRQ>
"""


def weekendesk_cancel(number, manager):
    return OTA_HEAD + f"""<OTA_CancelRQ Version="1.0" CancelType="Commit" xmlns="http://www.opentravel.org/OTA/2003/05">
  <POS><Source><RequestorID ID="user" MessagePassword="password" HotelID="AL_SORB"/></Source></POS>
  {wed_ids(number, manager)}
</OTA_CancelRQ>
"""


NIGHTS = [("2027-02-13", "2027-02-14"), ("2027-02-14", "2027-02-15")]
double = wed_room("RO_DOUBLE", "Chambre double", "Week-end détente", NIGHTS, "116.00", 2, 1)
family = wed_room("RO_FAMILY", "Chambre familiale", "Week-end détente", NIGHTS, "149.50", 2, 2)
write("weekendesk/01-commit.xml", weekendesk_booking(
    "31245678", "CM-0042", [double], "232.00",
    "2 nuits en chambre double pour 2 adultes et 1 enfant.\n"
    "          Nous venons avec un b&eacute;b&eacute; de 2 mois : merci de pr&eacute;voir le lit. &Agrave; bient&ocirc;t !"),
    newline="\n")
write("weekendesk/02-cancel.xml", weekendesk_cancel("31245678", "CM-0042-X"), newline="\n")
write("multiroom/01-commit.xml", weekendesk_booking(
    "55501234", "CM-0077", [double, family], "531.00", "Deux chambres c&ocirc;te &agrave; c&ocirc;te si possible."),
    newline="\n")
write("multiroom/02-cancel.xml", weekendesk_cancel("55501234", "CM-0077"), newline="\n")


write("bookings.jsonl", """
{"reservation_id": "BDC-9996013801", "status": "new", "accommodation": "CHA-EDEL", "channel": "Booking.com", "arrival": "2027-04-03", "departure": "2027-04-10", "first_name": "Anna", "last_name": "Berg", "email": "anna.berg@example.se", "adults": 2, "children": 1, "amount": "1250.00", "currency": "EUR"}

{"reservation_id": "ABB-HM4242", "status": "new", "accommodation": "CHA-EDEL", "channel": "Airbnb", "arrival": "2027-04-12", "departure": "2027-04-15", "amount": 420.5}
{"reservation_id": "BDC-9996013801", "status": "modified", "accommodation": "CHA-EDEL", "channel": "Booking.com", "arrival": "2027-04-03", "departure": "2027-04-11", "first_name": "Anna", "last_name": "Berg", "email": "anna.berg@example.se", "adults": 2, "children": 1, "amount": "1400.00", "currency": "EUR"}
{"reservation_id": "ABB-HM4242", "status": "cancelled"}
{"reservation_id": "X-1", "status": "new", "accommodation": "CHA-EDEL", "arrival": "2027-04-20"}
{not json
""", newline="\n")
