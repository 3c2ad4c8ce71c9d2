import Foundation
import PasserelleCore

/// The booking tables of `output.store_channel_bookings`: `new_bookings`, `changed_bookings`, `cancelled_bookings`.
///
/// The first columns say where a booking is stored (`feed`, `booking_key`…); the next ones are the booking
/// table every notification source writes, read by `output.booking_notifications`: `reference` (the booking
/// key: `<id>`, `<id>/2` after a modification, `<id>#<n>` for a room), `source` (the channel),
/// `accommodation_code`, `accommodation_name` (unknown to a channel: null), `status` (`pre_reservation` for a
/// tentative booking, `reservation` otherwise, null for a host block), `arrival`, `departure`, `guest_name`,
/// `email`, `language`, `guests`, `amount`, `deposit` (null: the channel collects the payment), `basket` (one
/// line per night or service), then `currency` and `channel_manager_id`.
extension ChannelBookingStoreOutput {
    static let resultColumns = [
        "feed", "booking_key", "reservation_id", "accommodation_code", "channel", "kind", "arrival", "departure",
        "guest_name", "reference", "source", "accommodation_name", "status", "email", "language", "guests", "amount",
        "deposit", "basket", "currency", "channel_manager_id",
    ]

    static func table(_ bookings: [StoredChannelBooking]) -> Table {
        Table(columns: resultColumns, rows: bookings.map(row))
    }

    private static func row(_ stored: StoredChannelBooking) -> Row {
        let b = stored.booking
        func text(_ value: String?) -> Value { value.map(Value.text) ?? .null }
        let values: [Value] = [
            .text(b.feed), .text(stored.key), .text(b.reservationID), .text(b.accommodationCode), .text(b.channel),
            .text(b.kind.rawValue), .date(b.arrival), .date(b.departure), text(b.guestName),
            .text(stored.key), .text(b.channel), .null, text(status(b.kind)), text(b.email), text(b.language),
            b.guests.map(Value.integer) ?? .null, b.amount.map(Value.money) ?? .null, .null,
            b.basket.isEmpty ? .null : .text(b.basket.joined(separator: "\n")), text(b.currency),
            text(b.channelManagerID),
        ]
        return Row(location: b.source ?? .file(b.feed), values: values)
    }

    /// The notification status of a booking: a tentative booking is a pre-reservation; a host block is none.
    static func status(_ kind: ChannelBookingKind) -> String? {
        switch kind {
        case .tentative: "pre_reservation"
        case .reserved, .closed: "reservation"
        case .blocked: nil
        }
    }
}
