import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// The overlapping stays of each office's providers, both stays named, with the provider's contact to phone.
///
/// Works on every stored stay (not only the day's file), with the sweep of `validate.overlapping_stays`:
/// nights run from arrival up to departure, cancelled stays are left aside (domain.md rule 2). Each row
/// carries the `office` of the accommodation's provider, the key `output.office_reports` partitions on.
/// Writes `overlaps`.
///
/// ```yaml
/// overlaps:
///   kind: transform.office_overlaps
/// ```
struct OfficeOverlapsTransform: Stage {
    static let schema = StageKindSchema(
        kind: "transform.office_overlaps",
        summary: "Overlapping stays per office, both stays named, with the provider's contact.",
        options: [], inputs: 0...8)

    static let columns = [
        "office", "provider_code", "provider_name", "contact", "accommodation_code", "accommodation_name",
        "first_reference", "first_stay_code", "first_client", "first_arrival", "first_departure",
        "second_reference", "second_stay_code", "second_client", "second_arrival", "second_departure", "nights",
    ]

    init(spec: StageSpec) throws {}

    /// The overlap's fields are typed as `validate.overlapping_stays` types them; the office's are text.
    static let fieldTypes = OverlappingStaysValidation.fieldTypes

    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [
            .rows(Self.columns, types: Self.fieldTypes),
            TableShape("overlaps", fields: Self.columns, types: Self.fieldTypes),
        ]
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let index = OfficeIndex(try context.store.officeSnapshot())
        let active = index.snapshot.stays.filter { $0.status != .cancelled }
        var out = OfficeTable(Self.columns)
        for (a, b) in OverlapSweep.pairs(active) {
            guard let provider = index.provider(ofAccommodation: a.accommodationCode),
                let office = OfficeIndex.office(of: provider)
            else { continue }  // no office to tell: the daily import's alert to the operator covers it
            let nights = min(a.departure, b.departure).daysSinceEpoch - max(a.arrival, b.arrival).daysSinceEpoch
            out.append(
                [
                    .text(office), .text(provider.code), .text(provider.name),
                    .optionalText(OfficeIndex.contact(provider)), .text(a.accommodationCode),
                    .optionalText(index.accommodations[a.accommodationCode]?.name),
                ] + Self.stay(a) + Self.stay(b) + [.integer(Int64(nights))])
        }
        return StageOutput(rows: out.table, rowsIn: active.count, extra: ["overlaps": out.table])
    }

    private static func stay(_ s: StayRecord) -> [Value] {
        [
            .text(s.reference), .optionalText(s.stayCode), .text(OfficeIndex.client(s)), .date(s.arrival),
            .date(s.departure),
        ]
    }
}
