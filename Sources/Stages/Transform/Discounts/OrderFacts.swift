import Foundation
import PasserelleCore

/// What the discount rules need from one order row, read from the orders table.
struct OrderFacts: Sendable {
    /// Who places the order: domain.md "Resellers and groups may not use family or referral codes".
    enum ClientKind: String, Sendable {
        case individual, reseller, group

        /// Reads `individual`/`particulier`, `reseller`/`revendeur`, `group`/`groupe` (empty: individual).
        init?(text: String) {
            switch FinanceRate.key(text) {
            case "", "individual", "particulier", "client": self = .individual
            case "reseller", "revendeur", "distributeur": self = .reseller
            case "group", "groupe": self = .group
            default: return nil
            }
        }

        var frenchName: String {
            switch self {
            case .individual: "particulier"
            case .reseller: "revendeur"
            case .group: "groupe"
            }
        }
    }

    /// The row's position in the input table.
    var index: Int
    var order: String
    var account: String
    var client: String
    var child: String?
    var childRank: Int?
    var date: CalendarDate
    var amount: Money
    var familyCode: String?
    var promoCode: String?
    var referrer: String?
    var kind: ClientKind

    /// The codes the order carries, as (column, code): more than one is a cumulation.
    var codes: [(String, String)] {
        [("family_code", familyCode), ("promo_code", promoCode), ("referrer", referrer)].compactMap { column, code in
            code.map { (column, $0) }
        }
    }

    /// Reads one row, or returns the diagnostic of its missing or unreadable value.
    static func read(_ table: Table, _ row: Row, index: Int) -> Result<OrderFacts, DiscountProblem> {
        func text(_ name: String) -> String? {
            let value = table.value(name, in: row)
            let raw = value.text ?? (value.isNull ? "" : value.storageText)
            let trimmed = raw.trimmingWhitespace()
            return trimmed.isEmpty ? nil : trimmed
        }
        for name in ["order", "account", "client"] where text(name) == nil {
            return .failure(.missingValue(table, row, column: name))
        }
        guard let date = table.value("order_date", in: row).date else {
            return .failure(.missingValue(table, row, column: "order_date"))
        }
        guard let amount = CataloguePricing.money(table.value("amount", in: row)), amount.cents >= 0 else {
            return .failure(.missingValue(table, row, column: "amount"))
        }
        guard let kind = ClientKind(text: text("client_kind") ?? "") else {
            return .failure(.unknownClientKind(table, row))
        }
        let rank = table.value("child_rank", in: row).integer.map { Int($0) } ?? text("child_rank").flatMap { Int($0) }
        return .success(
            OrderFacts(
                index: index, order: text("order") ?? "", account: text("account") ?? "", client: text("client") ?? "",
                child: text("child"), childRank: rank, date: date, amount: amount, familyCode: text("family_code"),
                promoCode: text("promo_code"), referrer: text("referrer"), kind: kind))
    }
}
