import Foundation

/// A provider (*hébergeur*) as the booking central's file describes it.
package struct ProviderRecord: Sendable, Hashable {
    package var code: String
    package var name: String
    package var email: String?
    package var phone: String?
    /// The tourist office (*office de tourisme*) the provider declared.
    package var office: String?
    /// Whether the provider is a paying member (*adhérent*) of that office.
    package var isMember: Bool
    package var membershipPaidOn: CalendarDate?
    /// The postal address (the billing address of the provider's commission invoices).
    package var address: String?

    package init(
        code: String, name: String, email: String? = nil, phone: String? = nil, office: String? = nil,
        isMember: Bool = true, membershipPaidOn: CalendarDate? = nil, address: String? = nil
    ) {
        self.code = code
        self.name = name
        self.email = email
        self.phone = phone
        self.office = office
        self.isMember = isMember
        self.membershipPaidOn = membershipPaidOn
        self.address = address
    }

    /// Field name → stable text, in a fixed order, for change records.
    package var fields: [(String, String)] {
        [
            ("name", name), ("email", email ?? ""), ("phone", phone ?? ""), ("office", office ?? ""),
            ("is_member", isMember ? "true" : "false"), ("membership_paid_on", membershipPaidOn?.description ?? ""),
            ("address", address ?? ""),
        ]
    }
}

/// The pass formula of an accommodation: at most one (domain.md rule 3).
package enum PassFormula: String, Sendable, Hashable {
    case passSejour = "pass_sejour"
    case passSaison = "pass_saison"
}

/// An accommodation (*hébergement*) of a provider.
package struct AccommodationRecord: Sendable, Hashable {
    package var code: String
    package var providerCode: String
    package var name: String
    package var type: String?
    package var capacity: Int64?
    package var formula: PassFormula?
    /// True when the file asked for both formulas: the stored formula is left as it was.
    package var hasFormulaConflict: Bool

    package init(
        code: String, providerCode: String, name: String, type: String? = nil, capacity: Int64? = nil,
        formula: PassFormula? = nil, hasFormulaConflict: Bool = false
    ) {
        self.code = code
        self.providerCode = providerCode
        self.name = name
        self.type = type
        self.capacity = capacity
        self.formula = formula
        self.hasFormulaConflict = hasFormulaConflict
    }

    package var fields: [(String, String)] {
        [
            ("provider_code", providerCode), ("name", name), ("type", type ?? ""),
            ("capacity", capacity.map(String.init) ?? ""), ("formula", formula?.rawValue ?? ""),
        ]
    }
}

/// The status of a stay (*confirmé*, *annulé*, *pré-réservation*).
package enum StayStatus: String, Sendable, Hashable, CaseIterable {
    case confirmed
    case cancelled
    case preBooking = "pre_booking"
}

/// What an overlap sweep reads of a stay: its accommodation and its nights (arrival up to, not including,
/// departure).
package protocol StayNights {
    var reference: String { get }
    var accommodationCode: String { get }
    var arrival: CalendarDate { get }
    var departure: CalendarDate { get }
}

/// A stored stay's period and status, without the client's details.
package struct StayPeriod: StayNights, Sendable, Hashable {
    package var reference: String
    package var accommodationCode: String
    package var arrival: CalendarDate
    package var departure: CalendarDate
    package var isCancelled: Bool

    package init(reference: String, accommodationCode: String, arrival: CalendarDate, departure: CalendarDate, isCancelled: Bool) {
        self.reference = reference
        self.accommodationCode = accommodationCode
        self.arrival = arrival
        self.departure = departure
        self.isCancelled = isCancelled
    }

    package init(_ stay: StayRecord) {
        self.init(
            reference: stay.reference, accommodationCode: stay.accommodationCode, arrival: stay.arrival,
            departure: stay.departure, isCancelled: stay.status == .cancelled)
    }
}

/// A stay (*séjour*): one accommodation, one client, calendar dates (nights run from arrival up to departure).
package struct StayRecord: StayNights, Sendable, Hashable {
    /// The central's own reference, the key for re-imports.
    package var reference: String
    /// The stay code (*code séjour*) given on first import; never changes afterwards.
    package var stayCode: String?
    package var accommodationCode: String
    package var lastName: String
    package var firstName: String
    package var email: String
    /// The client's language (`fr`, `en`…), when known.
    package var language: String?
    package var arrival: CalendarDate
    package var departure: CalendarDate
    package var partySize: Int64?
    package var amount: Money?
    package var channel: String?
    package var status: StayStatus
    package var bookingDate: CalendarDate?
    /// Deposit share in basis points (30 % = 3000).
    package var depositBasisPoints: Int64?
    package var paymentMode: String?
    /// Where the stay was read, for reports (not stored).
    package var source: SourceLocation?

    package init(
        reference: String, stayCode: String? = nil, accommodationCode: String, lastName: String, firstName: String,
        email: String, language: String? = nil, arrival: CalendarDate, departure: CalendarDate,
        partySize: Int64? = nil, amount: Money? = nil, channel: String? = nil, status: StayStatus = .confirmed,
        bookingDate: CalendarDate? = nil, depositBasisPoints: Int64? = nil, paymentMode: String? = nil,
        source: SourceLocation? = nil
    ) {
        self.reference = reference
        self.stayCode = stayCode
        self.accommodationCode = accommodationCode
        self.lastName = lastName
        self.firstName = firstName
        self.email = email
        self.language = language
        self.arrival = arrival
        self.departure = departure
        self.partySize = partySize
        self.amount = amount
        self.channel = channel
        self.status = status
        self.bookingDate = bookingDate
        self.depositBasisPoints = depositBasisPoints
        self.paymentMode = paymentMode
        self.source = source
    }

    /// Whether every stored field (those of `fields`) is the same as `other`'s; the reference, the stay code and
    /// the source are not compared. When true, `fields` are the same texts too.
    ///
    /// Written by hand because a benchmark showed it must be faster: a daily re-import finds most stays unchanged,
    /// and learning it from both stays' `fields` texts builds 28 strings and two arrays a stay. For a million
    /// unchanged stays (`passerelle run pipelines/daily-import.yml --only store_stays --force --verbose` on a store
    /// holding them), `store_stays` took 8 and 10 s with this comparison and 10 and 14 s without.
    package func hasSameStoredFields(as other: StayRecord) -> Bool {
        accommodationCode == other.accommodationCode && lastName == other.lastName && firstName == other.firstName
            && email == other.email && language == other.language && arrival == other.arrival
            && departure == other.departure && partySize == other.partySize && amount == other.amount
            && channel == other.channel && status == other.status && bookingDate == other.bookingDate
            && depositBasisPoints == other.depositBasisPoints && paymentMode == other.paymentMode
    }

    /// Field name → stable text, in a fixed order, for change records and comparisons.
    package var fields: [(String, String)] {
        [
            ("accommodation_code", accommodationCode), ("last_name", lastName), ("first_name", firstName),
            ("email", email), ("language", language ?? ""), ("arrival", arrival.description),
            ("departure", departure.description), ("party_size", partySize.map(String.init) ?? ""),
            ("amount", amount?.description ?? ""), ("channel", channel ?? ""), ("status", status.rawValue),
            ("booking_date", bookingDate?.description ?? ""),
            ("deposit_percent", depositBasisPoints.map { Value.percent($0).storageText } ?? ""),
            ("payment_mode", paymentMode ?? ""),
        ]
    }
}

/// One field changed by an import, recorded in the run.
package struct ChangeRecord: Sendable, Hashable {
    package var entity: String
    package var key: String
    package var field: String
    package var oldValue: String
    package var newValue: String

    package init(entity: String, key: String, field: String, oldValue: String, newValue: String) {
        self.entity = entity
        self.key = key
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
    }
}

/// A notification to be sent once: its deduplication key and what it is about.
package struct NotificationRecord: Sendable, Hashable {
    package var key: String
    package var kind: String
    package var recipient: String
    package var subjectKey: String

    package init(key: String, kind: String, recipient: String, subjectKey: String) {
        self.key = key
        self.kind = kind
        self.recipient = recipient
        self.subjectKey = subjectKey
    }
}

/// A message an e-mail batch has rendered, to be claimed and kept in the outbox (`DomainStore.claimMessages`).
package struct PreparedMessage: Sendable {
    package var record: NotificationRecord
    /// The template folder's name (`stay-code`).
    package var template: String
    /// The message's bytes (RFC 5322, CRLF).
    package var data: Data

    package init(record: NotificationRecord, template: String, data: Data) {
        self.record = record
        self.template = template
        self.data = data
    }
}
