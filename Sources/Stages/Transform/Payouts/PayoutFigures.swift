import Foundation
import PasserelleCore

/// One confirmed stay of a monthly statement: what the client paid, what is kept, and what the provider gets.
struct PayoutLine: Sendable, Hashable {
    var providerCode: String
    var providerName: String
    var providerEmail: String?
    var providerAddress: String? = nil
    var accommodationCode: String
    var accommodationName: String
    var reference: String
    var stayCode: String?
    var client: String
    var arrival: CalendarDate
    var departure: CalendarDate
    var channel: String
    var gross: Money
    var commissionRate: Int64
    var commission: Money
    var chargedOnline: Money
    var fees: Money

    /// What the provider gets for this stay.
    var net: Money { gross - commission - fees }
}

/// One provider's payout for the month: sums of its rounded lines.
struct ProviderPayout: Sendable, Hashable {
    var providerCode: String
    var providerName: String
    var providerEmail: String?
    var providerAddress: String?
    var stays: Int
    var gross: Money
    var commission: Money
    var fees: Money
    var net: Money
    var payoutDate: CalendarDate

    /// The payouts of `lines`, one per provider ordered by provider code; totals are sums of rounded lines.
    static func payouts(of lines: [PayoutLine], paidOn date: CalendarDate) -> [ProviderPayout] {
        var byProvider: [String: ProviderPayout] = [:]
        for line in lines {
            var payout = byProvider[line.providerCode] ?? ProviderPayout(
                providerCode: line.providerCode, providerName: line.providerName, providerEmail: line.providerEmail,
                providerAddress: line.providerAddress, stays: 0, gross: .zero, commission: .zero, fees: .zero, net: .zero, payoutDate: date)
            payout.stays += 1
            payout.gross = payout.gross + line.gross
            payout.commission = payout.commission + line.commission
            payout.fees = payout.fees + line.fees
            payout.net = payout.net + line.net
            byProvider[line.providerCode] = payout
        }
        return byProvider.values.sorted { $0.providerCode < $1.providerCode }
    }
}

/// The month's totals over every provider.
struct PayoutTotals: Sendable, Hashable {
    var stays = 0
    var gross = Money.zero
    var commission = Money.zero
    var fees = Money.zero
    var net = Money.zero

    init(_ payouts: [ProviderPayout]) {
        for p in payouts {
            stays += p.stays
            gross = gross + p.gross
            commission = commission + p.commission
            fees = fees + p.fees
            net = net + p.net
        }
    }
}
