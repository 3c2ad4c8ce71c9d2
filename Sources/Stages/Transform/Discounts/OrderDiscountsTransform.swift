import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Applies family, promo and referral discounts to orders and keeps the referrers' wallets.
///
/// Reads one order per row: `order`, `account`, `client`, `child_rank` or `child` (the child's rank on the
/// account, or an id from which ranks follow the order dates), `order_date`, `amount`, and the codes
/// `family_code`, `promo_code`, `referrer` (the referring client, whose name is the referral code), and
/// `client_kind` (individual/particulier, reseller/revendeur, group/groupe; empty: individual). The rules are
/// `DiscountLedger`'s (domain.md "Prices and money"); a family code on a first child or past the window is
/// kept without discount, with the reason in `note`.
///
/// Writes `rows` (each order with `discount_kind`, `discount_code`, `discount`, `net_amount`, `note`), `credits`
/// (one referral credit per row: valid, expired or yet to come on the run's date) and `wallets` (per referrer:
/// credits earned, total credited, expired, balance and next expiry as of the run's clock, Europe/Paris day). Rules
/// (`transform.order_discounts.`): `missing_value`, `unknown_client_kind`, `cumulated_codes` (two codes on one
/// order), `excluded_client` (family or referral code of a reseller or group), `unknown_code`,
/// `promo_out_of_year`, `promo_once_a_year`, `referral_already_used`, `self_referral`.
///
/// ```yaml
/// discounts:
///   kind: transform.order_discounts
///   inputs: [orders]
///   options:
///     family: { code: FAMILLE, amount: 30 €, within_days: 60 }
///     promo_codes:
///       - { code: HIVER2027, amount: 20 €, year: 2027 }
///       - { code: PRINTEMPS, percent: 5 %, year: 2027 }
///     referral: { referred_discount: 20 €, referrer_credit: 15 €, validity_months: 12 }
/// ```
struct OrderDiscountsTransform: Stage {
    static let schema = StageKindSchema(
        kind: "transform.order_discounts",
        summary: "Apply family, promo and referral discounts to orders and compute the referrers' wallets.",
        options: DiscountSettings.optionSpecs, inputs: 1...1)

    static let computedColumns = ["discount_kind", "discount_code", "discount", "net_amount", "note"]
    static let creditColumns = ["referrer", "referred", "order", "credited_on", "valid_until", "amount", "status"]
    static let walletColumns = ["client", "credits", "credited", "expired", "balance", "next_expiry", "as_of"]

    let settings: DiscountSettings

    init(spec: StageSpec) throws {
        settings = try DiscountSettings(options: spec.options, stage: spec.name)
    }

    /// The types of the fields it hands down that are not text.
    static let fieldTypes: [String: FieldType] = [
        "amount": .money, "as_of": .date, "balance": .money, "credited": .money, "credited_on": .date,
        "credits": .integer, "discount": .money, "expired": .money, "net_amount": .money, "next_expiry": .date,
        "order_date": .date, "valid_until": .date,
    ]

    /// What an order is read from (`OrderFacts`): its identifiers as written (of any type), its date, its amount
    /// (or text such as "1 080,00 €", or whole euros) and the child's rank.
    var inputFields: [FieldRequirement] {
        ["order", "account", "client", "client_kind"].map { FieldRequirement.required($0, .any) } + [
            .required("order_date", .date), .required("amount", .money, alsoReads: [.text, .integer]),
            FieldRequirement("child_rank", .integer, alsoReads: [.text]),
        ]
    }

    /// Its input's orders kept, with their discount (the computed columns added unless already there), the
    /// referral credits and the wallets.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [
            inputs.primary.adding(Self.computedColumns, types: Self.fieldTypes),
            TableShape("credits", fields: Self.creditColumns, types: Self.fieldTypes),
            TableShape("wallets", fields: Self.walletColumns, types: Self.fieldTypes),
        ]
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        guard let table = inputs.primary else {
            throw StageError(
                stage: context.stageName, message: "stage '\(context.stageName)' has no input table",
                fix: "list the orders' ingest stage under 'inputs'")
        }
        var orders: [OrderFacts] = []
        var problems: [Int: DiscountProblem] = [:]
        for (i, row) in table.rows.enumerated() {
            switch OrderFacts.read(table, row, index: i) {
            case .success(let facts): orders.append(facts)
            case .failure(let problem): problems[i] = problem
            }
        }
        var ledger = DiscountLedger(settings: settings, table: table)
        ledger.decide(orders)
        let rows = discountedRows(table, ledger: ledger, problems: problems, context: context)
        let day = Self.parisDay(context.asOf)
        let tables = ["credits": creditTable(ledger.credits, on: day), "wallets": walletTable(ledger.credits, on: day)]
        context.note("\(rows.rows.count) commande(s) gardée(s), \(ledger.credits.count) crédit(s) de parrainage")
        return StageOutput(rows: rows, rowsIn: table.rows.count, extra: tables)
    }

    /// The kept orders with their discount, in input order; the others are rejected through the context.
    func discountedRows(
        _ table: Table, ledger: DiscountLedger, problems: [Int: DiscountProblem], context: StageContext
    ) -> Table {
        let slots = Self.computedColumns.map { table.column($0) }
        var fields = table.fields
        for (name, slot) in zip(Self.computedColumns, slots) where slot == nil { fields.append(Field(name: name)) }
        var out = Table(fields: fields)
        for (i, row) in table.rows.enumerated() {
            switch problems[i].map(DiscountLedger.Decision.rejected) ?? ledger.decisions[i] {
            case .rejected(let problem)?: context.reject([problem.diagnostic])
            case .kept(let kind, let code, let discount, let note)?:
                let amount = CataloguePricing.money(table.value("amount", in: row)) ?? .zero
                let computed: [Value] = [
                    kind.map(Value.text) ?? .null, code.map(Value.text) ?? .null, .money(discount),
                    .money(amount - discount), note.map(Value.text) ?? .null,
                ]
                var values = row.values + Array(repeating: Value.null, count: fields.count - row.count)
                var next = table.fields.count
                for (value, slot) in zip(computed, slots) {
                    if let slot { values[slot] = value } else { values[next] = value; next += 1 }
                }
                out.rows.append(Row(values: values, placedAs: row))
            case nil: break  // unreachable: every row is read, then either rejected or decided
            }
        }
        return out
    }

    /// One row per referral credit, in the order they were earned.
    func creditTable(_ credits: [DiscountLedger.Credit], on day: CalendarDate) -> Table {
        var table = Table(columns: Self.creditColumns)
        for c in credits {
            table.rows.append(
                Row(
                    location: .file("credit: \(c.order)"),
                    values: [
                        .text(c.referrer), .text(c.referred), .text(c.order), .date(c.creditedOn), .date(c.validUntil),
                        .money(c.amount), .text(Self.status(of: c, on: day)),
                    ]))
        }
        return table
    }

    /// One row per referrer, sorted by name: valid credits add up; a credit past its last valid day no longer
    /// counts, nor one earned after the run's date.
    func walletTable(_ credits: [DiscountLedger.Credit], on day: CalendarDate) -> Table {
        var table = Table(columns: Self.walletColumns)
        let byReferrer = Dictionary(grouping: credits) { FinanceRate.key($0.referrer) }
        for key in byReferrer.keys.sorted() {
            let list = byReferrer[key] ?? []
            let valid = list.filter { $0.isValid(on: day) }
            let earned = list.filter { $0.creditedOn <= day }
            let credited = earned.reduce(Money.zero) { $0 + $1.amount }
            let balance = valid.reduce(Money.zero) { $0 + $1.amount }
            table.rows.append(
                Row(
                    location: .file("wallet: \(list.first?.referrer ?? key)"),
                    values: [
                        .text(list.first?.referrer ?? key), .integer(Int64(earned.count)), .money(credited),
                        .money(credited - balance), .money(balance),
                        valid.map(\.validUntil).min().map(Value.date) ?? .null, .date(day),
                    ]))
        }
        return table
    }

    /// The calendar day of an instant in Europe/Paris, where the clients' offers are dated.
    static func parisDay(_ instant: Date) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 3600) ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        let day = CalendarDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
        return day ?? CalendarDate(daysSinceEpoch: 0)  // the calendar always gives a real day
    }

    /// "valable", "expiré" or "à venir" (earned after the run's date).
    static func status(of credit: DiscountLedger.Credit, on day: CalendarDate) -> String {
        credit.isValid(on: day) ? "valable" : credit.validUntil < day ? "expiré" : "à venir"
    }
}
