import PasserelleCore

/// The prices of one catalogue departure, computed with domain.md's formulas ("Prices and money").
///
/// - public price = stay price + transport price − discounts (sums of cents: exact);
/// - selling price = production price × (100 + extra margin %) / 100;
/// - purchase price = production price × (100 − commission rate %) / 100;
/// - margin = (selling price − purchase price) / selling price, in basis points.
///
/// Rates are basis points (12,5 % = 1 250), so each product is cents × basis points, exact in integers.
/// Rounding: each computed price is rounded once, to the cent, half away from zero (`Money.rounded(_:over:)`),
/// and the margin once, to the basis point, by the same rule, from the rounded prices.
struct DeparturePrices: Sendable, Hashable {
    var publicPrice: Money
    var sellingPrice: Money
    var purchasePrice: Money
    /// Nil when the selling price is zero (no margin to speak of).
    var marginBasisPoints: Int64?

    init(
        production: Money, stay: Money, transport: Money, discount: Money, commissionBasisPoints: Int64,
        extraMarginBasisPoints: Int64
    ) {
        publicPrice = stay + transport - discount
        sellingPrice = Self.scaled(production, by: 10_000 + extraMarginBasisPoints)
        purchasePrice = Self.scaled(production, by: 10_000 - commissionBasisPoints)
        marginBasisPoints = Self.margin(selling: sellingPrice, purchase: purchasePrice)
    }

    /// `amount × factor / 10 000`, rounded half away from zero to the cent.
    static func scaled(_ amount: Money, by factor: Int64) -> Money {
        Money(cents: Money.rounded(amount.cents * factor, over: 10_000))
    }

    /// `(selling − purchase) / selling` in basis points, rounded half away from zero; nil when selling ≤ 0.
    static func margin(selling: Money, purchase: Money) -> Int64? {
        guard selling.cents > 0 else { return nil }
        return Money.rounded((selling - purchase).cents * 10_000, over: selling.cents)
    }
}
