import Foundation
import PasserelleCore

/// One reservation read from an `OTA_HotelResNotifRQ` (or `OTA_HotelResModifyNotifRQ`) message.
///
/// Where each field comes from (formats.md 1b): the action from `@ResStatus` on the root or on the
/// `HotelReservation` (`Commit`/`Book` → commit, `Modify` → modify, `Cancel` → cancel; a
/// `HotelResModify` is a modification); the reservation id from `UniqueID/@ID`, else the first
/// `HotelReservationID/@ResID_Value`; the property from `BasicPropertyInfo/@HotelCode` and
/// `RoomType/@RoomTypeCode`; the dates from `TimeSpan/@Start @End` (End = check-out), else from the
/// rates' `@EffectiveDate`/`@ExpireDate`; guests from `GuestCount/@Count`; the guest from the first
/// customer profile; the amount from `Total` (`@AmountAfterTax`, else `@AmountBeforeTax`) with
/// `@DecimalPlaces`; the channel from `HotelReservationID/@ResID_Source`, else `BookingChannel/CompanyName`.
/// Card data is never read (PCI).
struct OTAReservation: Sendable, Hashable {
    var action: ChannelAction
    var reservationID: String?
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
    var line: Int
}

extension OTAReservation {
    /// The reservations of a message, or nil when the root is not a reservation message.
    static func reservations(in root: OTAElement) -> [OTAReservation]? {
        let message = root.name == "Envelope" ? root.first("OTA_HotelResNotifRQ") ?? root.first("OTA_HotelResModifyNotifRQ") : root
        guard let message, ["OTA_HotelResNotifRQ", "OTA_HotelResModifyNotifRQ"].contains(message.name) else { return nil }
        let isModify = message.name == "OTA_HotelResModifyNotifRQ"
        let rootStatus = message.attributes["ResStatus"]
        let items = message.descendants("HotelReservation") + message.descendants("HotelResModify")
        return items.map { item in
            let status = item.attributes["ResStatus"] ?? rootStatus
            return reservation(item, action: isModify ? .modify : action(status), message: message)
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

    private static func reservation(_ item: OTAElement, action: ChannelAction, message: OTAElement) -> OTAReservation {
        let ids = item.descendants("HotelReservationID")
        let span = item.first("TimeSpan")
        let rates = item.descendants("Rate")
        let customer = item.descendants("Customer").first
        let person = customer?.first("PersonName")
        let name = [person?.first("GivenName")?.value, person?.first("Surname")?.value].compactMap { $0 }
        let total = item.first("RoomStay")?.child("Total") ?? item.first("ResGlobalInfo")?.child("Total") ?? item.first("Total")
        let counts = item.descendants("GuestCount").compactMap { $0.attributes["Count"].flatMap { Int64($0) } }
        return OTAReservation(
            action: action,
            reservationID: item.first("UniqueID")?.attributes["ID"] ?? ids.first?.attributes["ResID_Value"],
            hotelCode: item.first("BasicPropertyInfo")?.attributes["HotelCode"],
            roomTypeCode: item.first("RoomType")?.attributes["RoomTypeCode"],
            ratePlanCode: item.first("RatePlan")?.attributes["RatePlanCode"],
            arrival: date(span?.attributes["Start"]) ?? rates.compactMap { date($0.attributes["EffectiveDate"]) }.min(),
            departure: date(span?.attributes["End"]) ?? rates.compactMap { date($0.attributes["ExpireDate"]) }.max(),
            guests: counts.isEmpty ? nil : counts.reduce(0, +),
            guestName: name.isEmpty ? nil : name.joined(separator: " "),
            email: customer?.first("Email")?.value,
            amount: total.flatMap(amount), currency: total?.attributes["CurrencyCode"],
            source: ids.first?.attributes["ResID_Source"] ?? message.first("BookingChannel")?.first("CompanyName")?.value,
            line: item.line)
    }

    private static func date(_ text: String?) -> CalendarDate? {
        guard let text, text.count >= 10 else { return nil }
        return CalendarDate.parse(text.prefix(10))
    }

    /// `Total` in cents: `AmountAfterTax="32550" DecimalPlaces="2"` is 325.50 (Booking.com); `"317.39"` is
    /// read as written. More decimals than cents are rounded half away from zero (the documented rule).
    static func amount(_ total: OTAElement) -> Money? {
        guard let text = total.attributes["AmountAfterTax"] ?? total.attributes["AmountBeforeTax"] else { return nil }
        if let places = total.attributes["DecimalPlaces"].flatMap(Int.init), !text.contains("."), (0...6).contains(places),
            let whole = Int64(text)
        {
            return Money(cents: places <= 2 ? whole * pow10(2 - places) : Money.rounded(whole, over: pow10(places - 2)))
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let units = Int64(parts[0]) else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.allSatisfy(\.isASCIIDigitChar), fraction.count <= 6 else { return nil }
        let scaled = units * pow10(fraction.count) + (units < 0 ? -1 : 1) * (Int64(fraction) ?? 0)
        return Money(cents: fraction.count <= 2 ? scaled * pow10(2 - fraction.count) : Money.rounded(scaled, over: pow10(fraction.count - 2)))
    }

    private static func pow10(_ n: Int) -> Int64 { (0..<n).reduce(1) { value, _ in value * 10 } }
}
