import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Pass Saison extra beds per office (domain.md rule 7): for each accommodation on the season formula, the
/// beds covered, the occupancy of each week, the extra beds above the covered share priced from the dated
/// table of the configuration, and whether the formula pays off (from `break_even_weeks` weeks of rental).
///
/// See `PassSaisonRules` for how weeks, occupancy and prices are counted. A week no price band covers gets
/// no price and a finding (`transform.pass_saison_beds.no_price`). Every row carries its `office`.
/// Writes `weeks` (one row per accommodation and week rented) and `accommodations` (one summary row each).
///
/// ```yaml
/// pass_saison:
///   kind: transform.pass_saison_beds
///   options: { config: ../sample-data/offices.yml }
/// ```
struct PassSaisonBedsTransform: Stage {
    static let schema = StageKindSchema(
        kind: "transform.pass_saison_beds",
        summary: "Pass Saison: weekly occupancy, extra beds at the dated price, break-even, per office.",
        options: [OptionSpec("config", .path(mustExist: true), required: true, "The offices' settings (offices.yml).")],
        inputs: 0...8)

    static let weekColumns = [
        "office", "provider_name", "accommodation_code", "accommodation_name", "week_start", "capacity", "covered",
        "occupancy", "extra_beds", "price", "cost",
    ]
    static let summaryColumns = [
        "office", "provider_code", "provider_name", "contact", "accommodation_code", "accommodation_name", "capacity",
        "covered", "weeks_rented", "weeks_over", "extra_beds", "cost", "break_even",
    ]

    /// The offices' settings, read when the stage is built (so `check` finds their mistakes).
    let settings: OfficeConfiguration

    init(spec: StageSpec) throws { settings = try OfficeConfiguration.load(path: spec.options.string("config") ?? "") }

    /// The types of the fields it hands down that are not text.
    static let fieldTypes: [String: FieldType] = [
        "capacity": .integer, "cost": .money, "covered": .integer, "extra_beds": .integer, "occupancy": .integer,
        "price": .money, "week_start": .date, "weeks_over": .integer, "weeks_rented": .integer,
    ]

    /// One row per accommodation (`rows`, also `accommodations`) and one per accommodation and week.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [
            .rows(Self.summaryColumns, types: Self.fieldTypes),
            TableShape("accommodations", fields: Self.summaryColumns, types: Self.fieldTypes),
            TableShape("weeks", fields: Self.weekColumns, types: Self.fieldTypes),
        ]
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let rules = settings.passSaison
        let index = OfficeIndex(try context.store.officeSnapshot())
        let stays = Dictionary(grouping: index.snapshot.stays, by: \.accommodationCode)
        var weeks = OfficeTable(Self.weekColumns)
        var summary = OfficeTable(Self.summaryColumns)
        for accommodation in index.snapshot.accommodations where accommodation.formula == .passSaison {
            guard let provider = index.providers[accommodation.providerCode],
                let office = OfficeIndex.office(of: provider)
            else { continue }  // no office to report to: listed by the membership report's finding
            let covered = rules.covered(accommodation)
            let rented = rules.weeks(of: stays[accommodation.code] ?? [], covered: covered)
            for week in rented {
                if week.extraBeds > 0 && week.price == nil { context.report(Self.noPrice(accommodation, week)) }
                weeks.append([
                    .text(office), .text(provider.name), .text(accommodation.code), .text(accommodation.name),
                    .date(week.start), Self.capacity(accommodation), .integer(Int64(covered)),
                    .integer(Int64(week.occupancy)), .integer(Int64(week.extraBeds)),
                    week.price.map(Value.money) ?? .null, .money(week.cost),
                ])
            }
            summary.append(Self.summaryRow(office, provider, accommodation, covered, rented, rules))
        }
        return StageOutput(
            rows: summary.table, rowsIn: index.snapshot.accommodations.count,
            extra: ["accommodations": summary.table, "weeks": weeks.table])
    }

    private static func capacity(_ a: AccommodationRecord) -> Value { a.capacity.map(Value.integer) ?? .null }

    private static func summaryRow(
        _ office: String, _ provider: ProviderRecord, _ a: AccommodationRecord, _ covered: Int,
        _ weeks: [PassSaisonRules.Week], _ rules: PassSaisonRules
    ) -> [Value] {
        let over = weeks.filter { $0.extraBeds > 0 }
        let verdict =
            rules.paysOff(weeksRented: weeks.count)
            ? "rentable : \(weeks.count) semaines louées (seuil \(rules.breakEvenWeeks))"
            : "pas encore rentable : \(weeks.count) semaine(s) louée(s) sur \(rules.breakEvenWeeks)"
        return [
            .text(office), .text(provider.code), .text(provider.name), .optionalText(OfficeIndex.contact(provider)),
            .text(a.code), .text(a.name), capacity(a), .integer(Int64(covered)), .integer(Int64(weeks.count)),
            .integer(Int64(over.count)), .integer(Int64(over.map(\.extraBeds).reduce(0, +))),
            .money(weeks.map(\.cost).reduce(.zero, +)), .text(verdict),
        ]
    }

    private static func noPrice(_ a: AccommodationRecord, _ week: PassSaisonRules.Week) -> Diagnostic {
        Diagnostic(
            rule: "transform.pass_saison_beds.no_price", severity: .warning, location: .file(""),
            message: "aucun prix de lit supplémentaire pour la semaine du \(week.start.frenchText) "
                + "(hébergement \(a.code), \(week.extraBeds) lit(s) en plus)",
            found: week.start.frenchText, fix: "ajouter une période couvrant cette date à pass_saison.extra_bed_prices")
    }
}
