import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Finds stays of the same accommodation whose nights intersect, and raises an alert for each pair.
///
/// Overlaps are accepted, never blocked (domain.md rule 2). Nights run from arrival up to, not including,
/// departure: leaving on the day the next guests arrive is no overlap. Cancelled stays are left aside.
/// The stays of this run (the input's `stays` table) are merged with the stored stays of the same
/// accommodations, so an overlap with a stay imported earlier is found too. A sweep over each
/// accommodation's stays sorted by arrival finds every pair in O(n log n + pairs), not by comparing every pair.
/// Rule: `validate.overlapping_stays.overlap` (warning). Writes the `overlaps` table. Each overlap's alert is owed
/// in the outbox with its finding (`OutboxKind.overlapAlert`); `alerts` is this run's overlaps and those whose
/// alert an earlier run still owes, what an alert batch reads.
///
/// ```yaml
/// find_overlaps: { kind: validate.overlapping_stays, inputs: [store_stays] }
/// ```
struct OverlappingStaysValidation: Stage {
    static let schema = StageKindSchema(
        kind: "validate.overlapping_stays",
        summary: "Alert on stays of one accommodation whose nights intersect (cancelled stays aside).",
        options: [OptionSpec("table", .string, "The input table of stays (default 'stays').")], inputs: 1...1)

    let tableName: String

    init(spec: StageSpec) throws { tableName = spec.options.string("table") ?? "stays" }

    static let columns = [
        "accommodation_code", "first_reference", "first_stay_code", "first_client", "first_arrival", "first_departure",
        "second_reference", "second_stay_code", "second_client", "second_arrival", "second_departure", "nights",
    ]

    var tableReads: TableReads { .inputsOnly }

    /// The types of the fields it hands down that are not text.
    static let fieldTypes: [String: FieldType] = [
        "first_arrival": .date, "first_departure": .date, "nights": .integer, "second_arrival": .date,
        "second_departure": .date,
    ]

    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [
            .rows(Self.columns, types: Self.fieldTypes),
            TableShape("overlaps", fields: Self.columns, types: Self.fieldTypes),
            TableShape("alerts", fields: Self.columns, types: Self.fieldTypes),
        ]
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        guard let table = inputs.direct.first?.output.tables[tableName] else {
            throw StageError(
                stage: context.stageName, message: "input has no '\(tableName)' table",
                fix: "use an output.store_stays stage as input")
        }
        // Only the periods are swept, one accommodation at a time: memory holds the positions of the run's rows
        // by accommodation (4 bytes a stay), then one accommodation's periods; a stay's full record is built (from
        // its row, or read from the store) only when it is in an overlap.
        var incoming: [String: [Int32]] = [:]
        var rowsIn = 0
        let columns = StayTable.Columns(table)
        for (i, row) in table.rows.enumerated() {
            guard let period = StayTable.period(row, columns) else { continue }  // rows without the key fields were rejected upstream
            rowsIn += 1
            incoming[period.accommodationCode, default: []].append(Int32(i))
        }
        var pairs: [(Night, Night)] = []
        try context.store.forEachAccommodationPeriods(Set(incoming.keys)) { code, stored in
            // This run's version of a stay wins over the stored one (a dry run has not stored it).
            let mine = (incoming.removeValue(forKey: code) ?? []).compactMap { i in
                StayTable.period(table.rows[Int(i)], columns).map { Night(period: $0, row: Int(i)) }
            }
            let references = Set(mine.map(\.reference))
            var nights = stored.filter { !references.contains($0.reference) }.map { Night(period: $0, row: nil) }
            nights += mine
            pairs += OverlapSweep.pairs(nights.filter { !$0.period.isCancelled })
                .filter { $0.0.row != nil || $0.1.row != nil }
        }
        let storedReferences = Set(pairs.flatMap { [$0.0, $0.1] }.filter { $0.row == nil }.map(\.reference))
        var stored: [String: StayRecord] = [:]
        for stay in try context.store.stays(references: storedReferences) { stored[stay.reference] = stay }
        func record(_ night: Night) -> StayRecord? {
            night.row.map { StayTable.record(table.rows[$0], columns) } ?? stored[night.reference]
        }
        var out = Table(columns: Self.columns)
        var keys: [String] = []
        for (first, second) in pairs {
            guard let a = record(first), let b = record(second) else { continue }  // read just above
            out.rows.append(overlapRow(a, b))
            keys.append(Self.alertKey(a, b))
            context.report(finding(a, b))
        }
        // The outbox: each overlap's alert is owed with its finding, in the transaction that records the stage.
        context.owe(OutboxKind.overlapAlert, keys: keys)
        var alerts = out
        alerts.rows += try owedAlerts(excluding: Set(keys), in: context)
        return StageOutput(rows: out, rowsIn: rowsIn, extra: ["overlaps": out, "alerts": alerts])
    }

    /// The key an overlap's alert is owed and sent under: both references, then both stays' dates (ISO), as the
    /// daily import's alert batch names its messages (`key_fields`).
    static func alertKey(_ a: StayRecord, _ b: StayRecord) -> String {
        [
            a.reference, b.reference, a.arrival.description, a.departure.description, b.arrival.description,
            b.departure.description,
        ].joined(separator: "/")
    }

    /// The alerts earlier runs owe (a run that found the overlap failed before its alert batch prepared it),
    /// as rows of the overlaps table, when a stage downstream reads `alerts`: they join this run's overlaps there.
    /// An overlap that no longer holds (a stay cancelled, or its dates changed, since) is owed nothing any more.
    private func owedAlerts(excluding found: Set<String>, in context: StageContext) throws -> [Row] {
        guard context.isRead(table: "alerts") else { return [] }
        let pending = try context.store.pendingOutbox(kind: OutboxKind.overlapAlert, createdBefore: context.runID)
            .filter { !found.contains($0) }
        guard !pending.isEmpty else { return [] }
        // A reference may hold '/': every split of the key's first parts is a candidate pair of references.
        func pairs(_ key: String) -> [(String, String)] {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 6 else { return [] }
            let references = parts.dropLast(4)
            return (1..<references.count).map { i in
                (references.prefix(i).joined(separator: "/"), references.dropFirst(i).joined(separator: "/"))
            }
        }
        let candidates = Set(pending.flatMap { key in pairs(key).flatMap { [$0.0, $0.1] } })
        var stays: [String: StayRecord] = [:]
        for stay in try context.store.stays(references: candidates) { stays[stay.reference] = stay }
        var rows: [Row] = []
        var dropped: [String] = []
        for key in pending {
            let pair = pairs(key).lazy.compactMap { p in stays[p.0].flatMap { a in stays[p.1].map { (a, $0) } } }.first
            guard let (a, b) = pair else {
                dropped.append(key)  // a stay of the pair is gone from the store
                continue
            }
            let holds =
                a.status != .cancelled && b.status != .cancelled && a.accommodationCode == b.accommodationCode
                && max(a.arrival, b.arrival) < min(a.departure, b.departure) && Self.alertKey(a, b) == key
            if holds { rows.append(overlapRow(a, b)) } else { dropped.append(key) }
        }
        if !dropped.isEmpty {
            try context.store.markOutboxPrepared(
                kind: OutboxKind.overlapAlert, entityKeys: dropped, scope: context.writeScope)
        }
        if !rows.isEmpty {
            context.note(
                "\(rows.count) overlap(s) found by an earlier run still owed their alert: sent with this run's")
        }
        return rows
    }

    /// A stay's nights, with its row in this run's table (nil: a stay stored by an earlier run).
    private struct Night: StayNights {
        var period: StayPeriod
        var row: Int?
        var reference: String { period.reference }
        var accommodationCode: String { period.accommodationCode }
        var arrival: CalendarDate { period.arrival }
        var departure: CalendarDate { period.departure }
    }

    private func overlapRow(_ a: StayRecord, _ b: StayRecord) -> Row {
        let nights = min(a.departure, b.departure).daysSinceEpoch - max(a.arrival, b.arrival).daysSinceEpoch
        let values: [Value] = [
            .text(a.accommodationCode), .text(a.reference), .text(a.stayCode ?? ""), .text(StayTable.client(a)),
            .date(a.arrival), .date(a.departure), .text(b.reference), .text(b.stayCode ?? ""),
            .text(StayTable.client(b)), .date(b.arrival), .date(b.departure), .integer(Int64(nights)),
        ]
        return Row(location: a.source ?? .file(""), values: values)
    }

    private func finding(_ a: StayRecord, _ b: StayRecord) -> Diagnostic {
        Diagnostic(
            rule: "validate.overlapping_stays.overlap", severity: .warning, location: b.source ?? a.source ?? .file(""),
            message: "séjours qui se chevauchent sur l'hébergement \(a.accommodationCode) : \(a.reference) "
                + "(\(StayTable.client(a)), \(a.arrival.frenchText)–\(a.departure.frenchText)) et \(b.reference) "
                + "(\(StayTable.client(b)), \(b.arrival.frenchText)–\(b.departure.frenchText))",
            found: "\(a.reference) / \(b.reference)",
            fix: "l'exploitant appelle l'hébergeur pour confirmer les deux séjours")
    }
}

/// The sweep that finds intersecting stays, per accommodation.
enum OverlapSweep {
    /// Every pair of stays of one accommodation whose nights intersect, ordered by accommodation then arrival.
    static func pairs<Stay: StayNights>(_ stays: [Stay]) -> [(Stay, Stay)] {
        let sorted = stays.sorted {
            ($0.accommodationCode, $0.arrival, $0.departure, $0.reference)
                < ($1.accommodationCode, $1.arrival, $1.departure, $1.reference)
        }
        var result: [(Stay, Stay)] = []
        var open: [Stay] = []  // stays of the current accommodation still occupying nights
        var current = ""
        for stay in sorted {
            if stay.accommodationCode != current {
                current = stay.accommodationCode
                open.removeAll()
            }
            open.removeAll { $0.departure <= stay.arrival }
            for other in open { result.append((other, stay)) }
            open.append(stay)
        }
        return result
    }
}
