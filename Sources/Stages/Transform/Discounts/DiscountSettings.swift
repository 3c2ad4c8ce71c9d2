import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// The discount offers a pipeline declares: family code, promo codes and referral (domain.md "Prices and money").
struct DiscountSettings: Sendable {
    /// Family code: a fixed amount from the 2nd child on the same account, within `withinDays` of its first order.
    struct Family: Sendable {
        /// The code clients enter; nil accepts any non-empty family code.
        var code: String?
        var amount: Money
        var withinDays: Int
    }

    /// A promo code, valid on the whole catalogue, for orders placed in `year` (any year when nil).
    struct Promo: Sendable {
        var code: String
        var amount: Money?
        var percentBasisPoints: Int64?
        var year: Int?
    }

    /// Referral: a one-time discount for the referred client, a credit for the referrer valid `validityMonths`.
    struct Referral: Sendable {
        var referredDiscount: Money
        var referrerCredit: Money
        var validityMonths: Int
    }

    var family: Family?
    var promos: [Promo]
    var referral: Referral?

    /// The promo code named `code`, ignoring case and surrounding spaces.
    func promo(_ code: String) -> Promo? { promos.first { FinanceRate.sameName($0.code, code) } }

    static let optionSpecs = [
        OptionSpec(
            "family",
            .object([
                OptionSpec("code", .string, "The family code clients enter (default: any family code)."),
                OptionSpec("amount", .value(.money), required: true, "The fixed discount, e.g. '30 €'."),
                OptionSpec(
                    "within_days", .integer, required: true, "Days after the account's first order it stays valid."),
            ]), "The family code (from the 2nd child on one account); not offered when absent."),
        OptionSpec(
            "promo_codes",
            .list(
                .object([
                    OptionSpec("code", .string, required: true, "The code as clients enter it."),
                    OptionSpec("amount", .value(.money), "A fixed discount, e.g. '20 €'."),
                    OptionSpec("percent", .value(.percentage), "Or a share of the order amount, e.g. '10 %'."),
                    OptionSpec("year", .integer, "The year of the orders it is valid for (default: any)."),
                ])), "The promo codes (one per order, at most one a year per client)."),
        OptionSpec(
            "referral",
            .object([
                OptionSpec("referred_discount", .value(.money), required: true, "The referred client's one-time discount."),
                OptionSpec("referrer_credit", .value(.money), required: true, "The credit put in the referrer's wallet."),
                OptionSpec("validity_months", .integer, required: true, "Months a credit stays valid."),
            ]), "The referral offer; not offered when absent."),
    ]

    /// Reads the options, or throws naming the option and the fix.
    init(options: OptionValues, stage: String) throws {
        family = try options.object("family").map { try Self.family($0, stage: stage) }
        referral = try options.object("referral").map { try Self.referral($0, stage: stage) }
        guard case .list(let items)? = options.values["promo_codes"] else {
            promos = []
            return
        }
        promos = try items.map { item in
            guard case .map(_, let fields) = item else {
                throw Self.error(stage, "'promo_codes'", "a list of { code, amount }")
            }
            return try Self.promo(OptionValues(fields), stage: stage)
        }
    }

    private static func family(_ o: OptionValues, stage: String) throws -> Family {
        Family(
            code: o.string("code"), amount: try money(o.string("amount"), key: "family.amount", stage: stage),
            withinDays: max(0, o.integer("within_days") ?? 0))
    }

    private static func referral(_ o: OptionValues, stage: String) throws -> Referral {
        Referral(
            referredDiscount: try money(o.string("referred_discount"), key: "referral.referred_discount", stage: stage),
            referrerCredit: try money(o.string("referrer_credit"), key: "referral.referrer_credit", stage: stage),
            validityMonths: max(0, o.integer("validity_months") ?? 0))
    }

    private static func promo(_ o: OptionValues, stage: String) throws -> Promo {
        let code = o.string("code") ?? ""
        let amount = try o.string("amount").map { try money($0, key: "amount of promo code '\(code)'", stage: stage) }
        let percent = try o.string("percent").map {
            try FinanceRate.option($0, key: "percent of promo code '\(code)'", stage: stage)
        }
        guard (amount == nil) != (percent == nil) else {
            throw error(stage, "promo code '\(code)'", "either 'amount' (e.g. '20 €') or 'percent' (e.g. '10 %')")
        }
        return Promo(code: code, amount: amount, percentBasisPoints: percent, year: o.integer("year"))
    }

    private static func money(_ text: String?, key: String, stage: String) throws -> Money {
        guard let text, let value = Money.parse(text), value.cents >= 0 else {
            throw error(stage, "'\(key)' ('\(text ?? "")')", "an amount in euros such as '30 €' or '12,50 €'")
        }
        return value
    }

    private static func error(_ stage: String, _ what: String, _ expected: String) -> StageError {
        StageError(stage: stage, message: "\(what) is not valid", fix: "write \(expected)")
    }
}
