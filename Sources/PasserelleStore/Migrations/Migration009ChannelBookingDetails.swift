import GRDB

/// What a channel booking says beyond its nights, for the booking notification e-mails (issue 6 item 8).
///
/// `channel_manager_id` is the channel manager's own number of the reservation, kept beside the channel's
/// (Weekendesk sends both, `ResID_Type` 5 and 14); `language` the client's language; `basket` the booked
/// nights and services, one line each. All three are descriptive: they are not compared between imports.
/// (Number 008 belongs to the mountain refuges' tables.)
///
/// Frozen: a migration is never modified once it has shipped; add a new one instead.
enum Migration009ChannelBookingDetails {
    static let identifier = "009-channel-booking-details"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE channel_bookings ADD COLUMN channel_manager_id TEXT;
                ALTER TABLE channel_bookings ADD COLUMN language TEXT;
                ALTER TABLE channel_bookings ADD COLUMN basket TEXT;
                """)
    }
}
