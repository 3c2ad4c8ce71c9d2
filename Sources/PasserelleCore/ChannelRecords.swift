/// What a channel feed says about an accommodation's nights: a booking, a tentative booking, a block.
///
/// iCalendar feeds only tell availability (formats.md 1a), so their events carry no guest e-mail; OTA
/// and JSON feeds carry the guest and the amount. Everything a feed says becomes one of these.
package enum ChannelBookingKind: String, Sendable, Hashable, CaseIterable {
    /// A booking (Airbnb `Reserved`, Abritel `Réservée`, an OTA or JSON reservation).
    case reserved
    /// A tentative booking (Abritel `Provisoire`).
    case tentative
    /// Nights closed by the channel that may be a booking or a closure (Booking.com `CLOSED - Not available`).
    case closed
    /// A host block, preparation time or booking window (Airbnb `Not available`, Abritel `Indisponible`).
    case blocked
}

/// How a feed reports its bookings, which decides what an absent booking means.
package enum ChannelFeedMode: String, Sendable, Hashable {
    /// The whole calendar each time (iCalendar): a booking absent from the next download is cancelled.
    case snapshot
    /// One message per change (OTA XML, JSON Lines): a booking is cancelled only when a message says so.
    case messages
}

/// What a message does to a booking (OTA `ResStatus`, JSON `status`).
package enum ChannelAction: String, Sendable, Hashable {
    /// A new booking (OTA `Commit`/`Book`, JSON `new`).
    case commit
    /// A changed booking: recorded as the cancellation of the old booking and a new one.
    case modify
    /// A cancelled booking: its nights are released.
    case cancel
}

/// One booking or block of a channel feed, keyed by its feed and reservation id.
///
/// A reservation of several rooms is one booking per room, keyed `<id>#1`, `<id>#2`…: a cancellation of
/// `<id>` cancels them all (`Store.syncChannelFeed`).
package struct ChannelBooking: Sendable, Hashable {
    /// The feed's name in the pipeline (one iCalendar file per accommodation, one OTA or JSON feed).
    package var feed: String
    /// The reservation id: the iCalendar UID, the OTA reservation id, the JSON `id`; `<id>#<n>` for the n-th room
    /// of a reservation of several rooms.
    package var reservationID: String
    package var accommodationCode: String
    /// The sales channel (Airbnb, Booking.com, Abritel…).
    package var channel: String
    package var kind: ChannelBookingKind
    package var action: ChannelAction
    package var arrival: CalendarDate
    /// The check-out day (exclusive: nights run from arrival up to, not including, departure).
    package var departure: CalendarDate
    /// The iCalendar `SUMMARY`; for an OTA message, the reservation's free text (comments, special requests).
    package var summary: String?
    package var guestName: String?
    package var email: String?
    package var guests: Int64?
    package var amount: Money?
    package var currency: String?
    package var source: SourceLocation?
    /// The channel manager's own number for the reservation, kept beside the channel's (Weekendesk sends both:
    /// `ResID_Type="5"` is the OTA number, the key; `"14"` the channel manager's, echoed in answers).
    package var channelManagerID: String?
    /// The client's language as the channel gives it (`fr`, `en`…), for notification e-mails.
    package var language: String?
    /// What was booked, one line per night or service (`2027-02-13 · Double room (BAR) · 116.00 EUR`).
    package var basket: [String]

    package init(
        feed: String, reservationID: String, accommodationCode: String, channel: String,
        kind: ChannelBookingKind, action: ChannelAction = .commit, arrival: CalendarDate, departure: CalendarDate,
        summary: String? = nil, guestName: String? = nil, email: String? = nil, guests: Int64? = nil,
        amount: Money? = nil, currency: String? = nil, source: SourceLocation? = nil,
        channelManagerID: String? = nil, language: String? = nil, basket: [String] = []
    ) {
        self.feed = feed
        self.reservationID = reservationID
        self.accommodationCode = accommodationCode
        self.channel = channel
        self.kind = kind
        self.action = action
        self.arrival = arrival
        self.departure = departure
        self.summary = summary
        self.guestName = guestName
        self.email = email
        self.guests = guests
        self.amount = amount
        self.currency = currency
        self.source = source
        self.channelManagerID = channelManagerID
        self.language = language
        self.basket = basket
    }

    /// The fields compared between two imports, as stable text (the action and source aside; the channel
    /// manager's number, the language and the basket describe the booking but do not make it another one).
    package var fields: [(String, String)] {
        [
            ("accommodation_code", accommodationCode), ("channel", channel), ("kind", kind.rawValue),
            ("arrival", arrival.description), ("departure", departure.description), ("summary", summary ?? ""),
            ("guest_name", guestName ?? ""), ("email", email ?? ""), ("guests", guests.map(String.init) ?? ""),
            ("amount", amount?.description ?? ""), ("currency", currency ?? ""),
        ]
    }

    /// Whether the booking holds nights that can be sold twice (a host block holds none).
    package var holdsSoldNights: Bool { kind != .blocked }
}

/// A stored channel booking: the booking and the key it was stored under.
package struct StoredChannelBooking: Sendable, Hashable {
    /// The stored key: the reservation id, then `<id>/2`, `<id>/3`… for each modification.
    package var key: String
    package var booking: ChannelBooking
    package var isCancelled: Bool

    package init(key: String, booking: ChannelBooking, isCancelled: Bool) {
        self.key = key
        self.booking = booking
        self.isCancelled = isCancelled
    }
}

/// What storing a feed's bookings did.
package struct ChannelSyncResult: Sendable {
    /// Bookings new to the store.
    package var created: [StoredChannelBooking] = []
    /// Bookings of a snapshot feed whose fields changed (same UID).
    package var changed: [StoredChannelBooking] = []
    /// Bookings cancelled: by a message, by a modification (the old booking), or vanished from a snapshot.
    package var cancelled: [StoredChannelBooking] = []
    package var unchanged = 0
    /// Cancellations of reservations the store does not know (nothing to release).
    package var unknownCancellations: [ChannelBooking] = []
    package var changes: [ChangeRecord] = []

    package init() {}
}
