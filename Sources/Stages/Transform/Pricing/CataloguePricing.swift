import Foundation
import PasserelleCore
import PasserelleEngine

/// The pricing of one catalogue, departure by departure: the rows after the rules, the before/after changes
/// and each rule's match count.
struct CataloguePricing {
    let table: Table
    let rules: [PricingRule]
    private(set) var out: Table
    private(set) var changes = Table(columns: CataloguePricingTransform.changeColumns)
    /// Departures matched by each rule, in the rules' order.
    private(set) var matches: [Int]
    /// Output column of each rate and computed field.
    private let slots: [String: Int]

    init(table: Table, rules: [PricingRule]) {
        self.table = table
        self.rules = rules
        matches = Array(repeating: 0, count: rules.count)
        var fields = table.fields
        var slots: [String: Int] = [:]
        for name in ["commission_rate", "extra_margin"] + CataloguePricingTransform.computedColumns {
            if let i = table.column(name) {
                slots[name] = i
            } else {
                slots[name] = fields.count
                fields.append(Field(name: name))
            }
        }
        self.slots = slots
        out = Table(fields: fields)
    }

    /// Prices one departure and adds it to `out`, or returns why it is rejected.
    mutating func add(_ row: Row) -> Diagnostic? {
        let organiser = table.value("organiser", in: row).text ?? ""
        let stay = table.value("stay", in: row).text ?? ""
        let date = table.value("departure_date", in: row).date
        var commission = Self.rate(table.value("commission_rate", in: row))
        var extraMargin = Self.rate(table.value("extra_margin", in: row))
        let before = (commission, extraMargin)
        var applied: [PricingRule] = []
        for (i, rule) in rules.enumerated() where rule.matches(organiser: organiser, stay: stay, date: date) {
            matches[i] += 1
            applied.append(rule)
            commission = rule.commissionBasisPoints ?? commission
            extraMargin = rule.extraMarginBasisPoints ?? extraMargin
        }
        guard let production = Self.money(table.value("production_price", in: row)),
            let stayPrice = Self.money(table.value("stay_price", in: row))
        else { return PricingProblem.missingPrice(table, row) }
        guard let commission, let extraMargin else {
            return PricingProblem.missingRate(table, row, commission: commission == nil)
        }
        let prices = DeparturePrices(
            production: production, stay: stayPrice,
            transport: Self.money(table.value("transport_price", in: row)) ?? .zero,
            discount: Self.money(table.value("discount", in: row)) ?? .zero, commissionBasisPoints: commission,
            extraMarginBasisPoints: extraMargin)
        guard prices.publicPrice.cents >= 0 else { return PricingProblem.negativePublicPrice(table, row, prices) }
        append(row, commission: commission, extraMargin: extraMargin, prices: prices, applied: applied)
        if !applied.isEmpty {
            recordChanges(
                row, rule: applied.map(\.name).joined(separator: " ; "), before: before,
                after: (commission, extraMargin), prices: prices, production: production)
        }
        return nil
    }

    private mutating func append(
        _ row: Row, commission: Int64, extraMargin: Int64, prices: DeparturePrices, applied: [PricingRule]
    ) {
        var values = row.values + Array(repeating: Value.null, count: out.fields.count - row.count)
        let computed: [(String, Value)] = [
            ("commission_rate", .percent(commission)), ("extra_margin", .percent(extraMargin)),
            ("public_price", .money(prices.publicPrice)), ("selling_price", .money(prices.sellingPrice)),
            ("purchase_price", .money(prices.purchasePrice)),
            ("margin", prices.marginBasisPoints.map(Value.percent) ?? .null),
            ("rules_applied", applied.isEmpty ? .null : .text(applied.map(\.name).joined(separator: " ; "))),
        ]
        for (name, value) in computed { if let i = slots[name] { values[i] = value } }
        out.rows.append(Row(values: values, placedAs: row))
    }

    /// Adds a change row for each value the rules changed: the rates, then the prices and margin they move.
    private mutating func recordChanges(
        _ row: Row, rule: String, before: (Int64?, Int64?), after: (Int64, Int64), prices: DeparturePrices,
        production: Money
    ) {
        var pairs: [(String, Value, Value)] = [
            ("Taux de commission", before.0.map(Value.percent) ?? .null, .percent(after.0)),
            ("Marge supplémentaire", before.1.map(Value.percent) ?? .null, .percent(after.1)),
        ]
        if let oldCommission = before.0, let oldExtra = before.1 {
            let old = DeparturePrices(
                production: production, stay: .zero, transport: .zero, discount: .zero,
                commissionBasisPoints: oldCommission, extraMarginBasisPoints: oldExtra)
            pairs += [
                ("Prix de vente", .money(old.sellingPrice), .money(prices.sellingPrice)),
                ("Prix d'achat", .money(old.purchasePrice), .money(prices.purchasePrice)),
                ("Marge", old.marginBasisPoints.map(Value.percent) ?? .null,
                 prices.marginBasisPoints.map(Value.percent) ?? .null),
            ]
        }
        for (field, old, new) in pairs where old != new {
            changes.rows.append(
                Row(
                    location: row.location,
                    values: [
                        .text(PricingProblem.label(table, row)), table.value("organiser", in: row),
                        table.value("stay", in: row), table.value("departure_date", in: row), .text(rule),
                        .text(field), old, new,
                    ]))
        }
    }

    /// A rate cell: a percentage as ingested, or text such as "12,5 %".
    static func rate(_ value: Value) -> Int64? {
        switch value {
        case .percent(let points): points
        case .text(let text): Percentage.basisPoints(text)
        case .integer(let whole) where (0...100).contains(whole): whole * 100
        default: nil
        }
    }

    /// A money cell: an amount as ingested, or text such as "1 080,00 €".
    static func money(_ value: Value) -> Money? {
        switch value {
        case .money(let amount): amount
        case .text(let text): Money.parse(text)
        case .integer(let euros): Money(cents: euros * 100)
        default: nil
        }
    }
}
