import Foundation
import PasserelleCore

/// Decides the discount of every order, in order-date order, and the referral credits they earn.
///
/// domain.md "Prices and money": one code per order, never cumulated; the family code gives a fixed amount from
/// the 2nd child on the same account within a set number of days after the account's first order; a promo code
/// is valid on the whole catalogue, one a year per client; the referred client's discount is one-time, the
/// referrer's credits add up and each is valid a set number of months. A discount never exceeds the order amount.
struct DiscountLedger {
    /// What happens to one order.
    enum Decision: Sendable {
        /// The order is kept; `kind` and `code` are nil when no discount applies (`note` says why).
        case kept(kind: String?, code: String?, discount: Money, note: String?)
        case rejected(DiscountProblem)
    }

    /// A referral credit in a referrer's wallet.
    struct Credit: Sendable {
        var referrer: String
        var referred: String
        var order: String
        var creditedOn: CalendarDate
        /// The last day the credit may be spent.
        var validUntil: CalendarDate
        var amount: Money

        /// Whether the credit counts in the wallet on `day`: earned by then and not past its last valid day.
        func isValid(on day: CalendarDate) -> Bool { creditedOn <= day && day <= validUntil }
    }

    let settings: DiscountSettings
    let table: Table
    private(set) var decisions: [Int: Decision] = [:]
    private(set) var credits: [Credit] = []
    /// Account key → date of its first order.
    private var firstOrders: [String: CalendarDate] = [:]
    /// Account key → its children, in order of their first order.
    private var children: [String: [String]] = [:]
    /// "client key/year" → the order that used a promo code.
    private var promoUses: [String: String] = [:]
    /// Referred client key → the order that got the referral discount.
    private var referrals: [String: String] = [:]

    init(settings: DiscountSettings, table: Table) {
        self.settings = settings
        self.table = table
    }

    /// Decides every order: facts are those read from the rows (the others are rejected by the caller).
    mutating func decide(_ orders: [OrderFacts]) {
        for facts in orders {
            let key = FinanceRate.key(facts.account)
            firstOrders[key] = min(firstOrders[key] ?? facts.date, facts.date)
        }
        for facts in orders.sorted(by: { ($0.date, $0.index) < ($1.date, $1.index) }) {
            if let child = facts.child {
                let key = FinanceRate.key(facts.account)
                if !(children[key] ?? []).contains(FinanceRate.key(child)) {
                    children[key, default: []].append(FinanceRate.key(child))
                }
            }
            decisions[facts.index] = decision(facts)
        }
    }

    private mutating func decision(_ facts: OrderFacts) -> Decision {
        let row = table.rows[facts.index]
        let codes = facts.codes
        if codes.count > 1 { return .rejected(.cumulatedCodes(table, row, codes)) }
        guard let (column, code) = codes.first else { return .kept(kind: nil, code: nil, discount: .zero, note: nil) }
        if facts.kind != .individual && column != "promo_code" {
            return .rejected(.excludedClient(table, row, facts, column: column))
        }
        switch column {
        case "family_code": return family(facts, code: code, row: row)
        case "promo_code": return promo(facts, code: code, row: row)
        default: return referral(facts, referrer: code, row: row)
        }
    }

    private func family(_ facts: OrderFacts, code: String, row: Row) -> Decision {
        guard let family = settings.family, family.code.map({ FinanceRate.sameName($0, code) }) ?? true else {
            return .rejected(.unknownCode(table, row, column: "family_code", code: code))
        }
        guard let rank = facts.childRank ?? childRank(facts) else {
            return .rejected(.missingValue(table, row, column: "child"))
        }
        let first = firstOrders[FinanceRate.key(facts.account)] ?? facts.date
        let days = facts.date.daysSinceEpoch - first.daysSinceEpoch
        if rank < 2 {
            return .kept(
                kind: nil, code: code, discount: .zero, note: "code famille sans effet : premier enfant du compte")
        }
        if days > family.withinDays {
            return .kept(
                kind: nil, code: code, discount: .zero,
                note: "code famille sans effet : \(days) jours après la première commande du compte "
                    + "(\(first.frenchText)), au-delà de \(family.withinDays) jours")
        }
        return .kept(
            kind: "famille", code: code, discount: min(family.amount, facts.amount),
            note: "enfant n° \(rank), \(days) jour(s) après la première commande du compte (\(first.frenchText))")
    }

    private mutating func promo(_ facts: OrderFacts, code: String, row: Row) -> Decision {
        guard let promo = settings.promo(code) else {
            return .rejected(.unknownCode(table, row, column: "promo_code", code: code))
        }
        let year = facts.date.parts.year
        if let valid = promo.year, valid != year {
            return .rejected(.promoOutOfYear(table, row, code: code, year: valid))
        }
        let use = "\(FinanceRate.key(facts.client))/\(year)"
        if let first = promoUses[use] { return .rejected(.promoOnceAYear(table, row, facts, firstOrder: first)) }
        promoUses[use] = facts.order
        // Rounding: a percentage of the amount is rounded half away from zero to the cent (Money.applying).
        let discount = promo.amount ?? facts.amount.applying(basisPoints: promo.percentBasisPoints ?? 0)
        return .kept(kind: "promo", code: promo.code, discount: min(discount, facts.amount), note: nil)
    }

    private mutating func referral(_ facts: OrderFacts, referrer: String, row: Row) -> Decision {
        guard let referral = settings.referral else {
            return .rejected(.unknownCode(table, row, column: "referrer", code: referrer))
        }
        let referred = FinanceRate.key(facts.client)
        if FinanceRate.sameName(referrer, facts.client) { return .rejected(.selfReferral(table, row, facts)) }
        if let first = referrals[referred] {
            return .rejected(.referralAlreadyUsed(table, row, facts, firstOrder: first))
        }
        referrals[referred] = facts.order
        let validUntil = Self.adding(months: referral.validityMonths, to: facts.date).adding(days: -1)
        credits.append(
            Credit(
                referrer: referrer, referred: facts.client, order: facts.order, creditedOn: facts.date,
                validUntil: validUntil, amount: referral.referrerCredit))
        return .kept(
            kind: "parrainage", code: referrer, discount: min(referral.referredDiscount, facts.amount),
            note: "parrainé par \(referrer), crédité de \(referral.referrerCredit.frenchText) "
                + "valable jusqu'au \(validUntil.frenchText)")
    }

    /// The child's rank on its account, from the order of the children's first orders.
    private func childRank(_ facts: OrderFacts) -> Int? {
        guard let child = facts.child else { return nil }
        return (children[FinanceRate.key(facts.account)]?.firstIndex(of: FinanceRate.key(child))).map { $0 + 1 }
    }

    /// The same day `months` later, or that month's last day when it is shorter (31/01 + 1 month = 28/02).
    static func adding(months: Int, to date: CalendarDate) -> CalendarDate {
        let (year, month, day) = date.parts
        let total = year * 12 + (month - 1) + months
        let (y, m) = (total / 12, total % 12 + 1)
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.daysIn(month: m, year: y))) ?? date
    }
}
