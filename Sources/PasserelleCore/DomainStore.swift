/// How a stage's writes to the store are made: which run and stage, and whether to keep them.
package struct WriteScope: Sendable {
    package var runID: Int64
    package var stage: String
    /// False in a dry run: the writes are made in a transaction and rolled back, so counts are exact.
    package var commit: Bool

    package init(runID: Int64, stage: String, commit: Bool) {
        self.runID = runID
        self.stage = stage
        self.commit = commit
    }
}

/// What an upsert of providers and accommodations did.
package struct ProviderUpsertResult: Sendable {
    package var createdProviders: [String] = []
    package var updatedProviders: [String] = []
    package var unchangedProviders = 0
    package var createdAccommodations: [String] = []
    package var updatedAccommodations: [String] = []
    package var unchangedAccommodations = 0
    /// Stored providers absent from this file (reported, never deleted).
    package var absentProviders: [ProviderRecord] = []
    package var changes: [ChangeRecord] = []

    package init() {}
}

/// What an upsert of stays did.
package struct StayUpsertResult: Sendable {
    /// Positions in the upserted array of the new stays, in reference order.
    package var created: [Int] = []
    /// Positions of the changed stays (kept as they are, with their unchanged stay code), in reference order.
    package var updated: [Int] = []
    /// Positions of the stays newly marked cancelled, in reference order.
    package var cancelled: [Int] = []
    package var unchanged = 0
    package var changes: [ChangeRecord] = []
    /// The stay code of each upserted stay, aligned with the upserted array.
    package var stayCodes: [String?] = []

    package init() {}
}

/// The domain operations stages need from the store, so that stage code never touches SQL.
///
/// Implemented by `PasserelleStore`; the engine hands it to stages through their context.
package protocol DomainStore: Sendable {
    /// Creates new providers and accommodations, updates changed ones and records each change.
    func upsertProviders(
        _ providers: [ProviderRecord], accommodations: [AccommodationRecord], scope: WriteScope
    ) throws -> ProviderUpsertResult
    /// Creates new stays with a stay code, updates changed ones, marks cancellations.
    /// Stores `count` stays, each built when it is stored (`stay(i)`; `reference(i)` is its reference), so a
    /// million stays are not held as records at once. Positions in the result are these `i`.
    func upsertStays(
        count: Int, reference: (Int) -> String, stay: (Int) -> StayRecord, scope: WriteScope
    ) throws -> StayUpsertResult
    /// Every accommodation code in the store.
    func accommodationCodes() throws -> Set<String>
    /// Stored stays of these accommodations (all statuses).
    func stays(ofAccommodations codes: Set<String>) throws -> [StayRecord]
    /// The periods of the stored stays of these accommodations (all statuses), without the clients' details:
    /// what an overlap sweep needs. One accommodation at a time in code order (a few hundred to a read), so a
    /// sweep over a million stays holds one accommodation's periods, not all of them.
    func forEachAccommodationPeriods(
        _ codes: Set<String>, _ body: (_ code: String, _ periods: [StayPeriod]) throws -> Void) throws
    /// Stored stays by reference (unknown references are left out), in reference order.
    func stays(references: Set<String>) throws -> [StayRecord]
    /// The entities (stay references) of `kind` still owed a notification, recorded by runs before `runID`: a run
    /// that stored them failed before its e-mail batch prepared them. Sorted.
    func pendingOutbox(kind: String, createdBefore runID: Int64) throws -> [String]
    /// Marks the notifications of `kind` owed to these entities as prepared by this run.
    func markOutboxPrepared(kind: String, entityKeys: [String], scope: WriteScope) throws
    /// Forgets the notifications of `kind` this run claimed, with their kept messages (its batch failed), so that
    /// a later run prepares them again.
    func releaseNotifications(kind: String, scope: WriteScope) throws
    /// Records each message's key as sent (a key recorded before is never sent again, domain.md rule 5) and keeps
    /// each message claimed now in the outbox with its bytes, in the same transaction: the `n`-th message claimed, counting from `firstPosition`, gets the
    /// path `file(n, record)`. Returns the keys claimed before (already sent or prepared), which keep nothing.
    func claimMessages(
        _ messages: [PreparedMessage], firstPosition: Int, file: (Int, NotificationRecord) -> String,
        scope: WriteScope
    ) throws -> Set<String>

    // Finance (issue 4): stays with their provider, and commission invoice numbers.
    /// Stored stays (all statuses) departing on or after `from` and before `before` (either bound may be nil),
    /// with their accommodation's name and their provider, ordered by reference, handed to `body` one at a time
    /// as they are read, none kept by the store.
    func eachProviderStay(
        departingFrom from: CalendarDate?, before: CalendarDate?, _ body: (ProviderStay) throws -> Void) throws
    /// Per month of departure and provider, the confirmed stays (neither cancelled nor pre-reservations)
    /// departing on or after `from` and before `before`, counted and summed by the store itself, ordered by month
    /// then provider code.
    func providerMonthTotals(departingFrom from: CalendarDate, before: CalendarDate) throws -> [ProviderMonthTotal]
    /// The same stays as `providerMonthTotals`, summed per month of departure alone (the statement's chart):
    /// no grouping per provider, so twelve months of a million stays cost one scan.
    func monthTotals(departingFrom from: CalendarDate, before: CalendarDate) throws -> [MonthTotal]
    /// The stored stays (with their accommodation and provider) and how many are cancelled.
    func salesCounts() throws -> SalesCounts
    /// The stored stays' sales summed by the store per period (month or year) of `date` (`booking_date`,
    /// `arrival` or `departure`), provider and accommodation, cancelled stays and stays without `date` left
    /// out, handed to `body` in period, provider and accommodation code order as they are read.
    func eachSalesTotal(by date: String, per period: SalesPeriod, _ body: (SalesCell) throws -> Void) throws
    /// The stored stays not cancelled and without `date`, by reference.
    func undatedSales(by date: String) throws -> [ProviderStay]
    /// The invoice numbers of `month` for these providers in `series`: numbers already given are returned
    /// unchanged; providers without one get the next numbers of the series, in provider-code order, so the
    /// sequence has no gap and a re-run reuses the same numbers. Also returns the month's numbers given to
    /// other providers earlier (an invoice once numbered is never dropped).
    func invoiceNumbers(
        series: String, month: String, providers: [String], scope: WriteScope
    ) throws -> [InvoiceNumberRecord]

    // MARK: Tourist offices (issue 5): office reports' snapshot, membership notices, cheque validations.
    /// Active providers and accommodations and every stored stay, in one read.
    func officeSnapshot() throws -> OfficeSnapshot
    /// Records when each office was told of a non-member provider and returns the stored notices of these
    /// providers: a notice already stored for the same provider and office is kept (the first one wins), so a
    /// grace deadline never moves from one run to the next.
    func membershipNotices(_ notices: [MembershipNotice], scope: WriteScope) throws -> [MembershipNotice]
    /// References of the cheque-paid stays whose tourist office has validated the cheque (domain.md rule 8).
    func validatedCheques() throws -> Set<String>

    // MARK: Channel feeds (issue 6): channel bookings per feed, for the shared planning.
    /// Stores one feed's bookings. A `snapshot` feed (iCalendar) is compared with its previous import by
    /// reservation id: new, changed, and vanished bookings (cancelled). A `messages` feed applies each
    /// booking's action: a commit is stored, a modification cancels the old booking and stores a new one,
    /// a cancellation releases the booking. Storing the same bookings again changes nothing.
    func syncChannelFeed(
        _ feed: String, mode: ChannelFeedMode, bookings: [ChannelBooking], scope: WriteScope
    ) throws -> ChannelSyncResult
    /// The active (not cancelled) channel bookings of these accommodations, ordered by accommodation and arrival.
    func channelBookings(ofAccommodations codes: Set<String>) throws -> [StoredChannelBooking]
    /// The stored channel bookings (all statuses) whose `<channel>/<booking key>` is one of `keys` (the keys
    /// their e-mails are owed under), ordered by feed and booking key.
    func channelBookings(bookingKeys keys: Set<String>) throws -> [StoredChannelBooking]

    // MARK: Mountain refuges (issue 6, items 6–7): refuge bookings keyed by refuge and reference.
    /// Stores a refuge's bookings: new references are created, changed ones updated (a cancellation releases
    /// the booking's places), each change recorded; storing the same bookings again changes nothing. Returns
    /// what was done and every stored booking of the refuge afterwards.
    func upsertRefugeBookings(
        _ bookings: [RefugeBooking], refuge: String, scope: WriteScope
    ) throws -> RefugeUpsertResult
    /// Every stored booking of a refuge (all statuses), ordered by reference.
    func refugeBookings(of refuge: String) throws -> [RefugeBooking]
}

extension DomainStore {
    /// Stores stays held as records.
    package func upsertStays(_ stays: [StayRecord], scope: WriteScope) throws -> StayUpsertResult {
        try upsertStays(count: stays.count, reference: { stays[$0].reference }, stay: { stays[$0] }, scope: scope)
    }
}

/// A notification a stage owes from the transaction that records what it found (an overlap's alert, written
/// with the overlap's finding): pending in the outbox until an e-mail batch of its kind prepares it.
package struct OwedNotification: Sendable, Hashable {
    package var kind: String
    package var key: String

    package init(kind: String, key: String) {
        self.kind = kind
        self.key = key
    }
}

/// The kinds of notification the store owes through its outbox (`DomainStore.pendingOutbox`).
package enum OutboxKind {
    /// A new stay's stay code, owed from the transaction that stores the stay; the e-mail batch of this kind
    /// (keyed by the stay's reference) prepares it.
    package static let stayCode = "stay_code"
    /// A stored stay's new dates, owed from the transaction that changes them; keyed
    /// `reference/arrival/departure` (ISO dates), as the e-mail batch of this kind keys its messages.
    package static let stayUpdate = "stay_update"

    /// The key of a stay's update for its current dates.
    package static func stayUpdateKey(_ stay: StayRecord) -> String {
        "\(stay.reference)/\(stay.arrival.description)/\(stay.departure.description)"
    }

    /// A new booking's e-mail to its client (and the host's copy), owed from the transaction that stores the
    /// booking when it has an e-mail address; keyed `<source>/<reference>` as `output.booking_notifications`
    /// names its subject (the channel and booking key, or `refuge` and the refuge booking's reference).
    package static let booking = "booking_notification"

    /// An overlap's alert to the operator, owed from the transaction that records the overlap's finding; keyed
    /// `first/second reference/first arrival/first departure/second arrival/second departure` (ISO dates), as the
    /// daily import's alert batch keys its messages (`key_fields`).
    package static let overlapAlert = "overlap_alert"

    /// A non-member provider's reminder of its grace deadline, owed with the membership rows the office stage
    /// records; keyed `provider/office/deadline` (Paris time), as the office reports' reminder batch keys its
    /// messages. Due only until the deadline: the stage works out every run which reminders are due.
    package static let membershipReminder = "membership_reminder"

    /// The key a booking's e-mail is owed under.
    package static func bookingKey(source: String, reference: String) -> String { "\(source)/\(reference)" }

    /// The reference of a stay update's key: all but its two dates (a reference may hold `/` itself).
    package static func stayUpdateReference(_ key: String) -> String {
        var parts = key.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(min(2, parts.count))
        return parts.joined(separator: "/")
    }
}
