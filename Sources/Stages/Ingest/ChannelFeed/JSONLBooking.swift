import Foundation
import PasserelleCore

/// One line of the JSON Lines booking feed (schema in README.md, "JSON Lines booking feed").
///
/// Field names follow the channel managers' common ground (Channex, Hostaway, Smoobu; formats.md 1c):
/// `reservation_id`, `status` (`new`, `modified`, `cancelled`), `accommodation`, `arrival`, `departure`
/// (yyyy-mm-dd, departure = check-out day), `channel`, `first_name`, `last_name`, `email`, `adults`,
/// `children`, `amount` (a string `"220.00"` or a number, decimal point), `currency`, `language` (the guest's,
/// `fr`, `en`…, for notification e-mails). Unknown fields are ignored.
struct JSONLBooking: Decodable, Sendable {
    var reservationID: String?
    var status: String?
    var accommodation: String?
    var arrival: String?
    var departure: String?
    var channel: String?
    var firstName: String?
    var lastName: String?
    var email: String?
    var adults: Int64?
    var children: Int64?
    var amount: String?
    var currency: String?
    var language: String?

    enum CodingKeys: String, CodingKey {
        case reservationID = "reservation_id", status, accommodation, arrival, departure, channel
        case firstName = "first_name", lastName = "last_name", email, adults, children, amount, currency, language
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        reservationID = try Self.text(c, .reservationID)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        accommodation = try c.decodeIfPresent(String.self, forKey: .accommodation)
        arrival = try c.decodeIfPresent(String.self, forKey: .arrival)
        departure = try c.decodeIfPresent(String.self, forKey: .departure)
        channel = try c.decodeIfPresent(String.self, forKey: .channel)
        firstName = try c.decodeIfPresent(String.self, forKey: .firstName)
        lastName = try c.decodeIfPresent(String.self, forKey: .lastName)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        adults = try c.decodeIfPresent(Int64.self, forKey: .adults)
        children = try c.decodeIfPresent(Int64.self, forKey: .children)
        amount = try Self.text(c, .amount)
        currency = try c.decodeIfPresent(String.self, forKey: .currency)
        language = try c.decodeIfPresent(String.self, forKey: .language)
    }

    /// A string, or a number written as text (ids and amounts come both ways).
    private static func text(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String? {
        if let value = try? c.decodeIfPresent(String.self, forKey: key) { return value }  // else a number: tried below
        if let value = try c.decodeIfPresent(Decimal.self, forKey: key) { return "\(value)" }
        return nil
    }

    /// The action of `status`: `new`/`confirmed` → commit, `modified` → modify, `cancelled` → cancel.
    var action: ChannelAction? {
        switch status?.lowercased() {
        case "new", "confirmed", "booked": .commit
        case "modified", "modify": .modify
        case "cancelled", "canceled", "cancel": .cancel
        default: nil
        }
    }
}
