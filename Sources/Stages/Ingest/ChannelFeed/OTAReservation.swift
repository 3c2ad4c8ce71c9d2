import Foundation
import PasserelleCore

/// One booking read from an OpenTravel reservation message: a reservation, or one room of it.
///
/// Messages read: `OTA_HotelResNotifRQ`, `OTA_HotelResModifyNotifRQ` (a modification), Weekendesk's
/// `OTA_HotelResRQ` (bookings) and `OTA_CancelRQ` (cancellations; `CancelType` `Initiate` and `Ignore`
/// cancel nothing). Where each field comes from (formats.md 1b): the action from `@ResStatus` on the root
/// or on the `HotelReservation` (`Commit`/`Book` → commit, `Modify` → modify, `Cancel` → cancel); the
/// reservation id from `UniqueID/@ID`, else the `HotelReservationID` of `ResID_Type="5"` (the OTA's number,
/// the same in a booking and its cancellation), else the first one; `ResID_Type="14"` is the channel
/// manager's number, kept beside it; the property from `BasicPropertyInfo/@HotelCode` (`RequestorID/@HotelID`
/// in a cancellation) and `RoomType/@RoomTypeCode`; the dates from `TimeSpan/@Start @End` (End = check-out;
/// without End, Start + `@Duration` such as `P2D`), else from the rates' `@EffectiveDate`/`@ExpireDate`;
/// guests from `GuestCount/@Count`; the guest from the first customer profile; the amount from `Total`
/// (`@AmountAfterTax`, else `@AmountBeforeTax`) with `@DecimalPlaces`; the channel from the OTA number's
/// `@ResID_Source`, else the first id's, else `BookingChannel/CompanyName`; the language from `@PrimaryLangID`;
/// the free text (comments, special requests, with HTML entities such as `b&eacute;b&eacute;` decoded); the
/// basket from the rates (one line per `Rate`, Weekendesk sends one per night) and services.
/// A reservation with several `RoomStay`s gives one booking per room, `<id>#1`, `<id>#2`…, each with its own
/// room type, dates, guests, rates and amount (its `Total`, else the sum of its rates); services go with the
/// first room. Card data is never read (PCI).
struct OTAReservation: Sendable, Hashable {
    var action: ChannelAction
    var reservationID: String?
    var channelManagerID: String?
    var hotelCode: String?
    var roomTypeCode: String?
    var ratePlanCode: String?
    var arrival: CalendarDate?
    var departure: CalendarDate?
    var guests: Int64?
    var guestName: String?
    var email: String?
    var amount: Money?
    var currency: String?
    var source: String?
    /// The reservation's free text, HTML entities decoded (`summary` of the booking).
    var comment: String?
    var language: String?
    var basket: [String] = []
    var line: Int
}

extension OTAReservation {
    /// The message names read as bookings (cancellations are `OTA_CancelRQ`).
    static let bookingMessages = ["OTA_HotelResNotifRQ", "OTA_HotelResModifyNotifRQ", "OTA_HotelResRQ"]

    /// The bookings of a message, or nil when the root is not a reservation message.
    static func reservations(in root: OTAElement) -> [OTAReservation]? {
        let names = bookingMessages + ["OTA_CancelRQ"]
        let message = root.name == "Envelope" ? names.lazy.compactMap { root.first($0) }.first : root
        guard let message, names.contains(message.name) else { return nil }
        if message.name == "OTA_CancelRQ" { return cancellation(message).map { [$0] } ?? [] }
        let isModify = message.name == "OTA_HotelResModifyNotifRQ"
        let rootStatus = message.attributes["ResStatus"]
        let items = message.descendants("HotelReservation") + message.descendants("HotelResModify")
        return items.flatMap { item in
            let status = item.attributes["ResStatus"] ?? rootStatus
            return rooms(of: item, action: isModify ? .modify : action(status), message: message)
        }
    }

    /// `Commit`, `Book`, `Booked`, missing → commit; `Modify` → modify; `Cancel`, `Cancelled` → cancel.
    static func action(_ status: String?) -> ChannelAction {
        switch status?.lowercased() {
        case "modify", "modified": .modify
        case "cancel", "cancelled", "canceled": .cancel
        default: .commit
        }
    }

    /// One booking per room stay; a single room keeps the reservation's id.
    private static func rooms(of item: OTAElement, action: ChannelAction, message: OTAElement) -> [OTAReservation] {
        let whole = reservation(item, action: action, message: message)
        let stays = item.descendants("RoomStay")
        guard stays.count > 1 else {
            return [room(stays.first, of: item, base: whole, isOnlyRoom: true, withServices: true)]
        }
        return stays.enumerated().map { index, stay in
            var booking = room(stay, of: item, base: whole, isOnlyRoom: false, withServices: index == 0)
            booking.reservationID = whole.reservationID.map { "\($0)#\(index + 1)" }
            booking.line = stay.line
            return booking
        }
    }

    /// What the whole reservation says: action, ids, guest, language, free text.
    private static func reservation(_ item: OTAElement, action: ChannelAction, message: OTAElement) -> OTAReservation {
        let ids = OTAReservationIDs(item.descendants("HotelReservationID"), unique: item.first("UniqueID"))
        let customer = item.descendants("Customer").first
        let person = customer?.first("PersonName")
        let name = [person?.first("GivenName")?.value, person?.first("Surname")?.value].compactMap { $0 }
        return OTAReservation(
            action: action, reservationID: ids.reservation, channelManagerID: ids.channelManager,
            guestName: name.isEmpty ? nil : name.joined(separator: " "), email: customer?.first("Email")?.value,
            source: ids.source ?? message.first("BookingChannel")?.first("CompanyName")?.value,
            comment: freeText(item),
            language: language([
                customer?.attributes["Language"], item.attributes["PrimaryLangID"], message.attributes["PrimaryLangID"],
            ]),
            line: item.line)
    }

    /// A room stay of the reservation (nil: a reservation without RoomStay, read from the reservation itself).
    private static func room(
        _ stay: OTAElement?, of item: OTAElement, base: OTAReservation, isOnlyRoom: Bool, withServices: Bool
    ) -> OTAReservation {
        let scope = stay ?? item
        let global = item.first("ResGlobalInfo")
        let rates = scope.descendants("Rate")
        let span = [stay?.child("TimeSpan"), global?.child("TimeSpan"), item.first("TimeSpan")]
            .compactMap { $0 }.first { $0.attributes["Start"] != nil }
        let arrival = date(span?.attributes["Start"]) ?? rates.compactMap { date($0.attributes["EffectiveDate"]) }.min()
        let total = stay?.child("Total") ?? (isOnlyRoom ? global?.child("Total") ?? item.first("Total") : nil)
        var booking = base
        booking.hotelCode =
            scope.first("BasicPropertyInfo")?.attributes["HotelCode"]
            ?? item.first("BasicPropertyInfo")?.attributes["HotelCode"]
        booking.roomTypeCode = scope.first("RoomType")?.attributes["RoomTypeCode"]
        booking.ratePlanCode = scope.first("RatePlan")?.attributes["RatePlanCode"]
        booking.arrival = arrival
        booking.departure =
            date(span?.attributes["End"]) ?? arrival.flatMap { a in
                duration(span?.attributes["Duration"]).map { a.adding(days: $0) }
            }
            ?? rates.compactMap { date($0.attributes["ExpireDate"]) }.max()
        booking.guests = guests(stay.map { $0.descendants("GuestCount") } ?? [], global: global, item: item)
        booking.amount = total.flatMap(amount) ?? (isOnlyRoom ? nil : ratesTotal(rates))
        booking.currency =
            total?.attributes["CurrencyCode"]
            ?? rates.lazy.compactMap { $0.first("Base")?.attributes["CurrencyCode"] }.first
        booking.basket = basket(rates, in: scope) + (withServices ? services(item) : [])
        return booking
    }

    /// The room's guest counts, else the reservation's (`ResGlobalInfo/GuestCounts`), else any in the reservation.
    private static func guests(_ room: [OTAElement], global: OTAElement?, item: OTAElement) -> Int64? {
        let elements =
            [room, global?.descendants("GuestCount") ?? [], item.descendants("GuestCount")].first { !$0.isEmpty } ?? []
        let counts = elements.compactMap { $0.attributes["Count"].flatMap { Int64($0) } }
        return counts.isEmpty ? nil : counts.reduce(0, +)
    }

    /// An `OTA_CancelRQ` (Weekendesk): the reservation's ids; `Initiate` or `Ignore` cancels nothing.
    private static func cancellation(_ message: OTAElement) -> OTAReservation? {
        switch message.attributes["CancelType"]?.lowercased() {
        case "initiate", "ignore": return nil
        default: break
        }
        let ids = OTAReservationIDs(message.descendants("HotelReservationID"), unique: message.first("UniqueID"))
        return OTAReservation(
            action: .cancel, reservationID: ids.reservation, channelManagerID: ids.channelManager,
            hotelCode: message.first("RequestorID")?.attributes["HotelID"]
                ?? message.first("BasicPropertyInfo")?.attributes["HotelCode"],
            source: ids.source, line: message.line)
    }
}

/// The ids of a reservation: `UniqueID/@ID`, else the OTA's number (`ResID_Type="5"`), else the first
/// `HotelReservationID`; the channel manager's number (`ResID_Type="14"`) when it is another one.
struct OTAReservationIDs {
    var reservation: String?
    var channelManager: String?
    var source: String?

    init(_ ids: [OTAElement], unique: OTAElement?) {
        func typed(_ type: String) -> OTAElement? { ids.first { $0.attributes["ResID_Type"] == type } }
        let main = typed("5") ?? ids.first
        reservation = unique?.attributes["ID"] ?? main?.attributes["ResID_Value"]
        let manager = typed("14")?.attributes["ResID_Value"]
        channelManager = manager == reservation ? nil : manager
        source = main?.attributes["ResID_Source"]
    }
}
