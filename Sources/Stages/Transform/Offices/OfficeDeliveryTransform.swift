import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Delivery modes (B2B, B2C, ticket office) and pass formulas per office: counts, and the lists behind them.
///
/// A stay's mode comes from its channel through the configuration's `delivery_modes` (a channel no mode
/// names counts as `autre`); cancelled stays are left aside. Formulas are counted over the office's
/// accommodations (Pass Séjour, Pass Saison, none). Every row carries its `office`.
/// Writes `counts` (office, what, label, count) and `stays` (one row per stay with its mode).
///
/// ```yaml
/// delivery:
///   kind: transform.office_delivery
///   options: { config: ../sample-data/offices.yml }
/// ```
struct OfficeDeliveryTransform: Stage {
    static let schema = StageKindSchema(
        kind: "transform.office_delivery",
        summary: "Delivery modes (B2B, B2C, ticket office) and formulas per office: counts and lists.",
        options: [OptionSpec("config", .path(mustExist: true), required: true, "The offices' settings (offices.yml).")],
        inputs: 0...8)

    static let countColumns = ["office", "what", "label", "count"]
    static let stayColumns = [
        "office", "mode", "channel", "reference", "stay_code", "client", "accommodation_code", "formula", "arrival",
    ]

    /// The offices' settings, read when the stage is built (so `check` finds their mistakes).
    let settings: OfficeConfiguration

    init(spec: StageSpec) throws { settings = try OfficeConfiguration.load(path: spec.options.string("config") ?? "") }

    /// The types of the fields it hands down that are not text.
    static let fieldTypes: [String: FieldType] = ["arrival": .date, "count": .integer]

    /// The counts per office (`rows`, also `counts`) and the stays with their mode and formula.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [
            .rows(Self.countColumns, types: Self.fieldTypes),
            TableShape("counts", fields: Self.countColumns, types: Self.fieldTypes),
            TableShape("stays", fields: Self.stayColumns, types: Self.fieldTypes),
        ]
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let modes = settings.deliveryModes
        let index = OfficeIndex(try context.store.officeSnapshot())
        var counts: [String: [String: Int]] = [:]  // office → "what|label" → count
        var list = OfficeTable(Self.stayColumns)
        for stay in index.snapshot.stays where stay.status != .cancelled {
            guard let provider = index.provider(ofAccommodation: stay.accommodationCode),
                let office = OfficeIndex.office(of: provider)
            else { continue }  // no office: in no office's report
            let mode = Self.mode(of: stay.channel, modes)
            let formula = Self.label(index.accommodations[stay.accommodationCode]?.formula)
            counts[office, default: [:]]["Mode de vente|\(mode)", default: 0] += 1
            list.append([
                .text(office), .text(mode), .optionalText(stay.channel), .text(stay.reference),
                .optionalText(stay.stayCode), .text(OfficeIndex.client(stay)), .text(stay.accommodationCode),
                .text(formula), .date(stay.arrival),
            ])
        }
        for a in index.snapshot.accommodations {
            guard let provider = index.providers[a.providerCode], let office = OfficeIndex.office(of: provider) else {
                continue
            }
            counts[office, default: [:]]["Formule|\(Self.label(a.formula))", default: 0] += 1
        }
        let table = Self.countTable(counts, modes: modes.map(\.mode))
        return StageOutput(
            rows: table, rowsIn: index.snapshot.stays.count, extra: ["counts": table, "stays": list.table])
    }

    static func mode(of channel: String?, _ modes: [(mode: String, channels: [String])]) -> String {
        let name = channel?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return modes.first { $0.channels.contains { $0.lowercased() == name } }?.mode ?? "autre"
    }

    static func label(_ formula: PassFormula?) -> String {
        switch formula {
        case .passSejour: "Pass Séjour"
        case .passSaison: "Pass Saison"
        case nil: "aucune"
        }
    }

    /// Every configured mode and every formula for each office, zeros included, in a fixed order.
    private static func countTable(_ counts: [String: [String: Int]], modes: [String]) -> Table {
        var out = OfficeTable(countColumns)
        let labels =
            (modes + ["autre"]).map { "Mode de vente|\($0)" }
            + ["Pass Séjour", "Pass Saison", "aucune"].map { "Formule|\($0)" }
        for office in counts.keys.sorted() {
            for key in labels {
                let parts = key.split(separator: "|").map(String.init)
                out.append([
                    .text(office), .text(parts[0]), .text(parts[1]), .integer(Int64(counts[office]?[key] ?? 0)),
                ])
            }
        }
        return out.table
    }
}
