import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Prices a holiday-stay catalogue: public, selling and purchase price and margin of each departure, after the
/// pipeline's bulk changes of commission rate or extra margin.
///
/// Reads one departure per row: `departure` (its code, optional), `organiser`, `stay`, `departure_date`,
/// `production_price`, `stay_price`, `transport_price` and `discount` (empty: 0), `commission_rate`,
/// `extra_margin`. Each rule of `rules` selects departures by organiser, stay and period and sets their
/// commission rate and/or extra margin; rules apply in order, so a later rule wins. The formulas and the
/// rounding are `DeparturePrices`'s (domain.md "Prices and money").
///
/// Writes `rows` (the departures after the rules, with `public_price`, `selling_price`, `purchase_price`,
/// `margin` and `rules_applied`), `changes` (departure, field, before, after: one row per value a rule changed)
/// and `rules` (each rule with its selection and how many departures it matched). Rules:
/// `transform.catalogue_pricing.missing_price` (no production or stay price),
/// `transform.catalogue_pricing.missing_rate` (no commission rate or extra margin, even after the rules),
/// `transform.catalogue_pricing.negative_public_price` (discounts above stay plus transport); a rule matching
/// no departure is reported as `transform.catalogue_pricing.unmatched_rule` (warning).
///
/// ```yaml
/// pricing:
///   kind: transform.catalogue_pricing
///   inputs: [catalogue]
///   options:
///     rules:
///       - { name: Alpes Évasion 2027, organiser: Alpes Évasion, commission_rate: "12,5 %" }
///       - { stay: Raquettes au Mont-Blanc, from: 2027-02-01, to: 2027-02-28, extra_margin: 8 % }
/// ```
struct CataloguePricingTransform: Stage {
    static let schema = StageKindSchema(
        kind: "transform.catalogue_pricing",
        summary: "Price catalogue departures (public, selling, purchase price, margin) after bulk rate rules.",
        options: [PricingRule.optionSpec], inputs: 1...1)

    /// The columns this stage computes (added, or replaced when the input has them).
    static let computedColumns = ["public_price", "selling_price", "purchase_price", "margin", "rules_applied"]
    static let changeColumns = [
        "departure", "organiser", "stay", "departure_date", "rule", "field", "before", "after",
    ]
    static let ruleColumns = [
        "rule", "selection", "commission_rate", "extra_margin", "matches",
    ]

    let rules: [PricingRule]
    let location: SourceLocation

    init(spec: StageSpec) throws {
        rules = try PricingRule.rules(option: spec.options.values["rules"], stage: spec.name)
        location = spec.location
    }

    /// The types of the fields it hands down that are not text.
    static let fieldTypes: [String: FieldType] = [
        "after": .any, "before": .any, "commission_rate": .percent, "departure_date": .date, "discount": .money,
        "extra_margin": .percent, "margin": .percent, "matches": .integer, "production_price": .money,
        "public_price": .money, "purchase_price": .money, "selling_price": .money, "stay_price": .money,
        "transport_price": .money,
    ]

    /// What a departure is priced from: prices as amounts (or text such as "1 080,00 €", or whole euros), rates
    /// as percentages (or text, or whole percents); its date matches the rules' periods.
    var inputFields: [FieldRequirement] {
        let money: Set<FieldType> = [.text, .integer]
        return [
            .required("organiser", .text), .required("stay", .text), .required("departure_date", .date),
            .required("production_price", .money, alsoReads: money), .required("stay_price", .money, alsoReads: money),
            FieldRequirement("transport_price", .money, alsoReads: money),
            FieldRequirement("discount", .money, alsoReads: money),
            FieldRequirement("commission_rate", .percent, alsoReads: money),
            FieldRequirement("extra_margin", .percent, alsoReads: money),
        ]
    }

    /// Its input's departures priced (the rate and computed columns added unless already there), the price
    /// changes and how often each rule matched.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [
            inputs.primary.adding(["commission_rate", "extra_margin"] + Self.computedColumns, types: Self.fieldTypes),
            TableShape("changes", fields: Self.changeColumns, types: Self.fieldTypes),
            TableShape("rules", fields: Self.ruleColumns, types: Self.fieldTypes),
        ]
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        guard let table = inputs.primary else {
            throw StageError(
                stage: context.stageName, message: "stage '\(context.stageName)' has no input table",
                fix: "list the catalogue's ingest stage under 'inputs'")
        }
        for column in ["production_price", "stay_price"] where table.column(column) == nil {
            throw StageError(
                stage: context.stageName, message: "the catalogue has no '\(column)' column",
                fix: "map the catalogue's '\(column)' column in its ingest stage")
        }
        var pricing = CataloguePricing(table: table, rules: rules)
        for row in table.rows {
            if let problem = pricing.add(row) { context.reject([problem]) }
            context.progress(rows: pricing.out.rows.count)
        }
        for (rule, count) in zip(rules, pricing.matches) {
            context.note("\(rule.name) (\(rule.selection)): \(count) départ(s)")
            if count == 0 { context.report(PricingProblem.unmatchedRule(rule, at: location)) }
        }
        return StageOutput(
            rows: pricing.out, rowsIn: table.rows.count,
            extra: ["changes": pricing.changes, "rules": ruleTable(pricing.matches)])
    }

    /// One row per rule: its name, selection, the rates it sets and its match count.
    func ruleTable(_ matches: [Int]) -> Table {
        var table = Table(columns: Self.ruleColumns)
        for (rule, count) in zip(rules, matches) {
            table.rows.append(
                Row(
                    location: location,
                    values: [
                        .text(rule.name), .text(rule.selection), rule.commissionBasisPoints.map(Value.percent) ?? .null,
                        rule.extraMarginBasisPoints.map(Value.percent) ?? .null, .integer(Int64(count)),
                    ]))
        }
        return table
    }
}
