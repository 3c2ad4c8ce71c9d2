/// Where a refuge booking was taken: online, or by the host on the phone (domain.md "Mountain refuges").
package enum RefugeBookingSource: String, Sendable, Hashable, CaseIterable {
    case online
    case phone
}

/// A refuge booking's status: a pre-reservation (no online payment), a reservation, or cancelled.
package enum RefugeBookingStatus: String, Sendable, Hashable, CaseIterable {
    case preReservation = "pre_reservation"
    case reservation
    /// A cancelled booking holds no place: its nights are released.
    case cancelled
}

/// One item of a booking's order: a tariff or a supplement code and how many.
package struct RefugeOrderItem: Sendable, Hashable {
    package var code: String
    package var quantity: Int64

    package init(code: String, quantity: Int64) {
        self.code = code
        self.quantity = quantity
    }

    /// Items as stored: `PIQUE-NIQUE:2,DRAP:1`.
    package static func storageText(_ items: [RefugeOrderItem]) -> String {
        items.map { "\($0.code):\($0.quantity)" }.joined(separator: ",")
    }

    /// Reads `storageText` back; an item without a readable quantity counts one.
    package static func parseStored(_ text: String) -> [RefugeOrderItem] {
        text.split(separator: ",").map { item in
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            return RefugeOrderItem(code: parts[0], quantity: parts.count > 1 ? Int64(parts[1]) ?? 1 : 1)
        }
    }
}

/// A booking of a mountain refuge, keyed by the refuge's code and the booking's reference.
package struct RefugeBooking: Sendable, Hashable {
    /// The `source` of a refuge booking's notification (`new_bookings`, the keys of its e-mails and outbox).
    package static let notificationSource = "refuge"

    /// The refuge's accommodation code.
    package var refugeCode: String
    package var reference: String
    /// When the booking was taken, Paris wall-clock time.
    package var bookedAt: LocalDateTime
    package var arrival: CalendarDate
    /// The check-out day (exclusive: nights run from arrival up to, not including, departure).
    package var departure: CalendarDate
    package var tariffCode: String
    /// Places ordered (persons).
    package var quantity: Int64
    package var supplements: [RefugeOrderItem]
    package var guestName: String?
    package var email: String?
    /// As written in the export (`fr`, `Anglais`…); normalised to an ISO code downstream.
    package var language: String?
    package var source: RefugeBookingSource
    package var status: RefugeBookingStatus
    package var amount: Money?
    /// The row it was read from (not compared between imports).
    package var location: SourceLocation?

    package init(
        refugeCode: String, reference: String, bookedAt: LocalDateTime, arrival: CalendarDate,
        departure: CalendarDate, tariffCode: String, quantity: Int64, supplements: [RefugeOrderItem] = [],
        guestName: String? = nil, email: String? = nil, language: String? = nil, source: RefugeBookingSource,
        status: RefugeBookingStatus, amount: Money? = nil, location: SourceLocation? = nil
    ) {
        self.refugeCode = refugeCode
        self.reference = reference
        self.bookedAt = bookedAt
        self.arrival = arrival
        self.departure = departure
        self.tariffCode = tariffCode
        self.quantity = quantity
        self.supplements = supplements
        self.guestName = guestName
        self.email = email
        self.language = language
        self.source = source
        self.status = status
        self.amount = amount
        self.location = location
    }

    /// Whether the booking holds places (a cancelled one released them).
    package var isActive: Bool { status != .cancelled }

    /// The fields compared between two imports, as stable text (the location aside).
    package var fields: [(String, String)] {
        [
            ("booked_at", bookedAt.description), ("arrival", arrival.description),
            ("departure", departure.description), ("tariff", tariffCode), ("quantity", String(quantity)),
            ("supplements", RefugeOrderItem.storageText(supplements)), ("guest_name", guestName ?? ""),
            ("email", email ?? ""), ("language", language ?? ""), ("source", source.rawValue),
            ("status", status.rawValue), ("amount", amount?.description ?? ""),
        ]
    }
}

/// What storing a refuge's bookings did.
package struct RefugeUpsertResult: Sendable {
    /// Bookings new to the store (whatever their status).
    package var created: [RefugeBooking] = []
    /// Stored bookings whose fields changed (cancellations included).
    package var updated: [RefugeBooking] = []
    /// Bookings newly cancelled: their places are released.
    package var cancelled: [RefugeBooking] = []
    package var unchanged = 0
    package var changes: [ChangeRecord] = []
    /// Every stored booking of the refuge after the upsert (all statuses), by reference: what the planning
    /// is computed from (in a dry run, what the store would hold).
    package var all: [RefugeBooking] = []

    package init() {}
}
