import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Stores the bookings of channel feeds, feed by feed, and says what changed.
///
/// A snapshot feed (iCalendar) read this run is compared with its previous import by UID: new events are
/// stored, changed ones updated, and a UID absent from the new download (or now `STATUS:CANCELLED`) is a
/// cancellation that releases its nights. A snapshot feed skipped because its file was already imported
/// is left as it was (an unread file is not an empty calendar). Message feeds (OTA XML, JSON Lines) apply
/// each message in order: a modification cancels the old booking and stores a new one. Storing the same
/// feeds again changes nothing. Reports `output.store_channel_bookings.unknown_cancellation` (a
/// cancellation of a reservation never stored; nothing to release). Writes `rows` (the bookings read),
/// `new_bookings`, `changed_bookings`, `cancelled_bookings` (the booking tables' columns are in
/// `ChannelBookingStoreOutput+Tables.swift`; `new_bookings` follows the input contract of
/// `output.booking_notifications`) and `changes`.
///
/// ```yaml
/// store_channels: { kind: output.store_channel_bookings, inputs: [calendars, ota_messages, json_bookings] }
/// ```
struct ChannelBookingStoreOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.store_channel_bookings",
        summary: "Store channel bookings per feed: new, changed, vanished (cancelled); modifications as cancel + new.",
        options: [], inputs: 1...16)

    init(spec: StageSpec) throws {}
    init() {}

    /// Every booking it is given is stored (a cancelled or transparent calendar event as the absence it is);
    /// the run checks the feeds' rows add up.
    var storesRows: Bool { true }

    /// The types of the fields it hands down that are not text.
    static let fieldTypes: [String: FieldType] = [
        "amount": .money, "arrival": .date, "blocking": .boolean, "departure": .date, "guests": .integer,
        "deposit": .money,
    ]

    /// The bookings of its inputs (`rows`), those new, changed and cancelled, and the changes.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [ChannelFeedTable.bookingsShape]
            + ["new_bookings", "changed_bookings", "cancelled_bookings"].map {
                TableShape($0, fields: Self.resultColumns, types: Self.fieldTypes)
            }
            + [ChangeTable.shape]
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        var all = Table(columns: ChannelFeedTable.columns)
        var total = ChannelSyncResult()
        var rowsIn = 0
        for input in inputs.direct {
            guard let table = input.output.tables["rows"], let feeds = input.output.tables["feeds"] else {
                throw StageError(
                    stage: context.stageName, message: "input '\(input.name)' is not a channel feed",
                    fix: "use ingest.ical, ingest.ota_xml or ingest.jsonl stages as inputs")
            }
            rowsIn += table.rows.count
            all.rows += table.rows
            for group in Self.groups(table, feeds: feeds) {
                let result = try context.store.syncChannelFeed(
                    group.feed, mode: group.mode, bookings: group.bookings, scope: context.writeScope)
                Self.merge(result, into: &total)
                context.recordStored(group.bookings.compactMap(\.source) + group.absent)
            }
        }
        let owed = try Self.owedBookings(in: context)
        for unknown in total.unknownCancellations { context.report(Self.unknownCancellation(unknown)) }
        context.recordChanges(total.changes)
        let verb = context.isDryRun ? "would store" : "stored"
        context.note(
            "\(verb) \(total.created.count) new channel booking(s), \(total.changed.count) changed, "
                + "\(total.cancelled.count) cancelled, \(total.unchanged) unchanged")
        return StageOutput(
            rows: all, rowsIn: rowsIn,
            extra: [
                "new_bookings": Self.table(total.created + owed), "changed_bookings": Self.table(total.changed),
                "cancelled_bookings": Self.table(total.cancelled), "changes": Self.changes(total.changes),
            ])
    }

    /// The channel bookings stored by earlier runs whose e-mail is still owed (the run failed before its
    /// notification stage prepared it): they join this run's `new_bookings`. One cancelled since is owed
    /// nothing any more and is marked prepared; a key of another source (a refuge's) is left to its stage.
    /// Handed on only when a stage downstream reads `new_bookings`.
    static func owedBookings(in context: StageContext) throws -> [StoredChannelBooking] {
        guard context.isRead(table: "new_bookings") else { return [] }
        let keys = Set(try context.store.pendingOutbox(kind: OutboxKind.booking, createdBefore: context.runID))
        guard !keys.isEmpty else { return [] }
        let found = try context.store.channelBookings(bookingKeys: keys)
        let owed = found.filter { !$0.isCancelled }
        let active = Set(owed.map { OutboxKind.bookingKey(source: $0.booking.channel, reference: $0.key) })
        let dropped = found.filter(\.isCancelled).map {
            OutboxKind.bookingKey(source: $0.booking.channel, reference: $0.key)
        }
        .filter { !active.contains($0) }
        if !dropped.isEmpty {
            try context.store.markOutboxPrepared(
                kind: OutboxKind.booking, entityKeys: dropped, scope: context.writeScope)
        }
        if !owed.isEmpty {
            context.note(
                "\(owed.count) channel booking(s) stored by an earlier run still owed their e-mail: sent with this run's"
            )
        }
        return owed
    }

    /// The bookings of one feed read this run, in row order, and where its non-blocking calendar events are.
    struct FeedGroup {
        var feed: String
        var mode: ChannelFeedMode
        var bookings: [ChannelBooking] = []
        /// A snapshot's cancelled or transparent events: not stored as bookings, their absence is.
        var absent: [SourceLocation] = []
    }

    /// The bookings of each feed read this run, in row order; a snapshot keeps only its blocking events.
    static func groups(_ table: Table, feeds: Table) -> [FeedGroup] {
        var order: [String] = []
        var modes: [String: ChannelFeedMode] = [:]
        for row in feeds.rows where feeds.value("status", in: row).text == ChannelFeedTable.read {
            guard let feed = feeds.value("feed", in: row).text,
                let mode = feeds.value("mode", in: row).text.flatMap(ChannelFeedMode.init(rawValue:))
            else { continue }
            if modes.updateValue(mode, forKey: feed) == nil { order.append(feed) }
        }
        var groups: [String: FeedGroup] = [:]
        for feed in order { groups[feed] = modes[feed].map { FeedGroup(feed: feed, mode: $0) } }
        for row in table.rows {
            guard let (booking, mode, blocking) = ChannelFeedTable.booking(table, row) else { continue }
            if mode == .snapshot && !blocking {  // cancelled or transparent: absent from the calendar
                groups[booking.feed]?.absent.append(row.location)
            } else {
                groups[booking.feed]?.bookings.append(booking)
            }
        }
        return order.compactMap { groups[$0] }
    }

    private static func merge(_ result: ChannelSyncResult, into total: inout ChannelSyncResult) {
        total.created += result.created
        total.changed += result.changed
        total.cancelled += result.cancelled
        total.unchanged += result.unchanged
        total.unknownCancellations += result.unknownCancellations
        total.changes += result.changes
    }

    private static func changes(_ changes: [ChangeRecord]) -> Table {
        Table(
            columns: ChangeTable.columns,
            rows: changes.map {
                Row(
                    location: .file(""),
                    values: [.text($0.entity), .text($0.key), .text($0.field), .text($0.oldValue), .text($0.newValue)])
            })
    }

    private static func unknownCancellation(_ b: ChannelBooking) -> Diagnostic {
        Diagnostic(
            rule: "output.store_channel_bookings.unknown_cancellation", severity: .warning,
            location: b.source ?? .file(b.feed),
            message: "annulation de la réservation \(b.reservationID) (flux \(b.feed)), jamais reçue : rien à libérer",
            found: b.reservationID,
            fix: "vérifiez auprès du gestionnaire de canaux que la réservation d'origine a bien été envoyée")
    }
}
