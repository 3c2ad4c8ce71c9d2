import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Merges the central's stays, direct bookings and channel bookings into one planning per accommodation
/// and raises an alert for each night sold twice.
///
/// For each accommodation touched by this run's channel bookings, reads the stored stays (the central's
/// and direct bookings; cancelled ones aside) and the active channel bookings (cancelled and vanished ones
/// released their nights). Host blocks (Airbnb `Not available`, Abritel `Indisponible`) hold no sold night
/// and are left aside. A stay mirrored in several feeds is one stay (`PlanningMerge`, formats.md 1a quirk 6).
/// Nights run from arrival up to, not including, departure. Rule: `validate.planning.double_sale` (warning),
/// naming both sources. Writes `overlaps` (also `rows`) and `mirrors`.
///
/// ```yaml
/// planning: { kind: validate.planning, inputs: [store_channels] }
/// ```
struct PlanningValidation: Stage {
    static let schema = StageKindSchema(
        kind: "validate.planning",
        summary: "One planning per accommodation (stays, direct and channel bookings): alert on nights sold twice.",
        options: [], inputs: 1...1)

    static let overlapColumns = [
        "accommodation_code", "first_source", "first_arrival", "first_departure",
        "second_source", "second_arrival", "second_departure", "nights",
    ]
    static let mirrorColumns = ["accommodation_code", "arrival", "departure", "kept_source", "mirror_source"]

    init(spec: StageSpec) throws {}
    init() {}

    /// The types of the fields it hands down that are not text.
    static let fieldTypes: [String: FieldType] = [
        "arrival": .date, "departure": .date, "first_arrival": .date, "first_departure": .date, "nights": .integer,
        "second_arrival": .date, "second_departure": .date,
    ]

    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [
            .rows(Self.overlapColumns, types: Self.fieldTypes),
            TableShape("overlaps", fields: Self.overlapColumns, types: Self.fieldTypes),
            TableShape("mirrors", fields: Self.mirrorColumns, types: Self.fieldTypes),
        ]
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        guard let table = inputs.direct.first?.output.tables["rows"] else {
            throw StageError(
                stage: context.stageName, message: "input has no 'rows' table",
                fix: "use an output.store_channel_bookings stage as input")
        }
        let codes = Set(table.rows.compactMap { table.value("accommodation_code", in: $0).text }.filter { !$0.isEmpty })
        let stays = try context.store.stays(ofAccommodations: codes).filter { $0.status != .cancelled }
        let bookings = try context.store.channelBookings(ofAccommodations: codes).filter { $0.booking.holdsSoldNights }
        let occupations = stays.map(PlanningOccupation.init(stay:)) + bookings.map(PlanningOccupation.init(channel:))
        let (kept, mirrors) = PlanningMerge.foldMirrors(occupations)
        var overlaps = Table(columns: Self.overlapColumns)
        for (a, b) in PlanningMerge.doubleSales(kept) {
            let nights = min(a.departure, b.departure).daysSinceEpoch - max(a.arrival, b.arrival).daysSinceEpoch
            overlaps.rows.append(
                Row(
                    location: .file(a.accommodationCode),
                    values: [
                        .text(a.accommodationCode), .text(a.label), .date(a.arrival), .date(a.departure),
                        .text(b.label),
                        .date(b.arrival), .date(b.departure), .integer(Int64(nights)),
                    ]))
            context.report(Self.doubleSale(a, b, nights: nights))
        }
        var mirrorTable = Table(columns: Self.mirrorColumns)
        for (kept, mirror) in mirrors {
            mirrorTable.rows.append(
                Row(
                    location: .file(kept.accommodationCode),
                    values: [
                        .text(kept.accommodationCode), .date(kept.arrival), .date(kept.departure), .text(kept.label),
                        .text(mirror.label),
                    ]))
        }
        context.note(
            "checked the planning of \(codes.count) accommodation(s): \(overlaps.rows.count) night(s) sold twice, \(mirrors.count) mirrored stay(s)"
        )
        return StageOutput(
            rows: overlaps, rowsIn: table.rows.count, extra: ["overlaps": overlaps, "mirrors": mirrorTable])
    }

    static func doubleSale(_ a: PlanningOccupation, _ b: PlanningOccupation, nights: Int) -> Diagnostic {
        Diagnostic(
            rule: "validate.planning.double_sale", severity: .warning, location: .file(a.accommodationCode),
            message: "\(nights) nuit(s) vendue(s) deux fois sur l'hébergement \(a.accommodationCode) : \(a.label) "
                + "(\(a.arrival.frenchText)–\(a.departure.frenchText)) et \(b.label) (\(b.arrival.frenchText)–\(b.departure.frenchText))",
            found: "\(a.label) / \(b.label)",
            fix: "fermez les dates sur le canal concerné et appelez l'hébergeur pour reloger l'un des clients")
    }
}
