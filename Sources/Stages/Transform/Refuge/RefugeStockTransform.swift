import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Stores mountain-refuge bookings and computes each refuge's planning: places available per day and stock
/// type, over every stored booking of the refuge (issue 6, items 6–7; domain.md "Mountain refuges").
///
/// Reads one table of bookings (an `ingest.csv` with the fields `reference`, `booked_at` (datetime),
/// `arrival`, `departure`, `tariff`, `quantity`, `source` (online/phone), and optionally `refuge`,
/// `supplements` (`CODE:2, CODE`), `guest_name`, `email`, `language`, `status`
/// (reservation/pre_reservation/cancelled; when empty: a reservation if taken online with online payment
/// set up, else a pre-reservation) and `amount`) and the refuges' definition files
/// (`RefugeDefinition`). Bookings are stored by refuge and reference (`DomainStore.upsertRefugeBookings`):
/// the same file twice changes nothing; a cancellation releases the booking's places.
///
/// Rejects the rows that cannot be read: `transform.refuge_stock.missing_value`, `.unreadable_value`,
/// `.bad_dates` (departure not after arrival), `.unknown_refuge`, `.duplicate_reference`. Alerts (the
/// booking is stored all the same, it exists at the refuge): `.overbooked` (a day where more places are
/// booked than in stock, over all stored bookings), `.closed_day`, `.outside_openings`,
/// `.quantity_out_of_range`, `.unknown_tariff`, `.unknown_supplement`, `.too_late` (fewer days than the
/// minimum between booking and arrival), `.after_cutoff` (same-day booking after the cut-off hour).
///
/// Writes `rows` (= `bookings`, the bookings read), `availability` (per refuge, day and stock type: places,
/// total, booked, available, state `open`/`closed`/`not_open`), `new_bookings` (bookings new to the store
/// this run, cancelled aside, with amount, deposit and basket: the notification stage's input), `alerts`,
/// `sales` (per month: pre-reservations, reservations, total, cancelled apart) and `changes`.
///
/// ```yaml
/// refuge_stock:
///   kind: transform.refuge_stock
///   inputs: [refuge_bookings]
///   options: { definitions: [../sample-data/channels/refuge-des-aiguilles.yml] }
/// ```
struct RefugeStockTransform: Stage {
    static let schema = StageKindSchema(
        kind: "transform.refuge_stock",
        summary: "Store refuge bookings; places per day and stock type, overbooking and booking-rule alerts.",
        options: [
            OptionSpec(
                "definitions", .list(.path(mustExist: true)), required: true,
                "The refuges' definition files (stock types, openings, closures, tariffs, terms).")
        ], inputs: 1...1)

    /// The refuges' definitions, read when the stage is built (so `check` finds their mistakes).
    let refuges: [RefugeDefinition]

    init(spec: StageSpec) throws {
        refuges = try Self.loadDefinitions(spec.options.strings("definitions") ?? [], stage: spec.name)
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { RefugeTables.shapes }

    /// Every booking it reads is stored or rejected: the run checks the bookings file's rows add up.
    var storesRows: Bool { true }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        guard let table = inputs.primary else {
            throw StageError(
                stage: context.stageName, message: "the input has no 'rows' table",
                fix: "give an ingest.csv stage reading the refuge's bookings as input")
        }
        let read = try RefugeBookingReader(table: table, refuges: refuges, context: context).read()
        var tables = RefugeTables()
        var counts = (created: 0, updated: 0, cancelled: 0, unchanged: 0, alerts: 0)
        // Bookings owed their e-mail by earlier runs, handed on when a stage downstream reads `new_bookings`.
        var owed = OwedBookings(
            keys: context.isRead(table: "new_bookings")
                ? try context.store.pendingOutbox(kind: OutboxKind.booking, createdBefore: context.runID) : [])
        for refuge in refuges {
            let mine = read.filter { $0.booking.refugeCode == refuge.code }
            let result = try context.store.upsertRefugeBookings(
                mine.map(\.booking), refuge: refuge.code, scope: context.writeScope)
            context.recordStored(mine.map(\.row.location))
            let alerts = process(refuge, mine, result, owed: owed.take(result), table: table, into: &tables)
            for alert in alerts { context.report(alert) }
            context.recordChanges(result.changes)
            counts.created += result.created.count
            counts.updated += result.updated.count
            counts.cancelled += result.cancelled.count
            counts.unchanged += result.unchanged
            counts.alerts += alerts.count
        }
        if !owed.dropped.isEmpty {
            try context.store.markOutboxPrepared(kind: OutboxKind.booking, entityKeys: owed.dropped, scope: context.writeScope)
        }
        if owed.sent > 0 {
            context.note("\(owed.sent) refuge booking(s) stored by an earlier run still owed their e-mail: sent with this run's")
        }
        let verb = context.isDryRun ? "would store" : "stored"
        context.note(
            "\(verb) \(counts.created) new refuge booking(s), \(counts.updated) changed (\(counts.cancelled) "
                + "cancelled), \(counts.unchanged) unchanged; \(counts.alerts) alert(s)")
        return StageOutput(tables: tables.all, rowsIn: table.rows.count, rowsOut: read.count)
    }

    /// One refuge's planning, alerts and tables; returns the alerts.
    private func process(
        _ refuge: RefugeDefinition, _ read: [RefugeBookingRow], _ result: RefugeUpsertResult, owed: [RefugeBooking],
        table: Table, into tables: inout RefugeTables
    ) -> [Diagnostic] {
        let planning = RefugePlanning(definition: refuge, bookings: result.all)
        let rules = RefugeRules(definition: refuge, planning: planning, table: table)
        var alerts: [Diagnostic] = []
        var references: [String?] = []
        for booking in read {
            let found = rules.alerts(booking)
            alerts += found
            references += found.map { _ in booking.booking.reference }
        }
        let overbooking = rules.overbooking(read: read)
        alerts += overbooking
        references += overbooking.map { _ in nil }
        tables.addBookings(read, refuge)
        tables.addAvailability(planning)
        tables.addNewBookings(result.created + owed, refuge)
        tables.addAlerts(alerts, references: references, refuge)
        tables.sales.rows += RefugeSales(result.all, definition: refuge).rows(refuge)
        tables.addChanges(result.changes)
        return alerts
    }

    /// Every definition, each code once.
    private static func loadDefinitions(_ definitions: [String], stage: String) throws -> [RefugeDefinition] {
        let refuges = try definitions.map { try RefugeDefinition.load(path: $0) }
        var seen: [String: String] = [:]
        for refuge in refuges {
            if let other = seen.updateValue(refuge.path, forKey: refuge.code) {
                throw StageError(
                    stage: stage,
                    message: "refuge code '\(refuge.code)' is defined by both \(other) and \(refuge.path)",
                    fix: "give each refuge its own accommodation code")
            }
        }
        return refuges
    }
}

/// The refuge bookings stored by earlier runs whose e-mail is still owed (the run failed before its notification
/// stage prepared it): they join this run's `new_bookings`. One cancelled since is owed nothing any more; a key
/// of another source (a channel's) is left to its stage.
struct OwedBookings {
    private var references: Set<String>
    private(set) var dropped: [String] = []
    private(set) var sent = 0

    init(keys: [String]) {
        let prefix = OutboxKind.bookingKey(source: RefugeBooking.notificationSource, reference: "")
        references = Set(keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) })
    }

    /// The owed bookings among a refuge's stored ones, this run's new bookings aside (they are sent anyway).
    mutating func take(_ result: RefugeUpsertResult) -> [RefugeBooking] {
        guard !references.isEmpty else { return [] }
        let new = Set(result.created.map(\.reference))
        var owed: [RefugeBooking] = []
        for booking in result.all where references.contains(booking.reference) && !new.contains(booking.reference) {
            if booking.isActive {
                owed.append(booking)
            } else {
                dropped.append(OutboxKind.bookingKey(source: RefugeBooking.notificationSource, reference: booking.reference))
            }
        }
        sent += owed.count
        return owed
    }
}
