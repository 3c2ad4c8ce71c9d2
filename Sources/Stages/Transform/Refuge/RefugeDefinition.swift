import Foundation
import PasserelleCore

/// A mountain refuge's stock, openings, tariffs and booking terms, read from its definition file
/// (domain.md "Mountain refuges"); see `RefugeDefinition.load(path:)` for the file's format.
///
/// ```yaml
/// code: REF-AIGUILLES                  # the refuge's accommodation code
/// name: Refuge des Aiguilles
/// host: { name: Jeanne Morel, email: gardienne@refuge-aiguilles.example, phone: "+33 4 50 00 00 00" }
/// online_payment: true                 # false: every booking is a pre-reservation
/// deposit: { percent: 30 }             # none (100 % paid) | { percent: 30 } | { fixed: "50,00" }
/// min_days_before_arrival: 0
/// same_day_cutoff: "16:00"             # Europe/Paris; same-day bookings after it are too late
/// stock_types:
///   DORT: { name: Dortoir, places: 20 }
///   CH4: { name: Chambre de 4, places: 4, blocks_whole_room: true }
/// openings:                            # per stock type, one or more periods; stock per weekday or for all
///   DORT:
///     - { first: 2026-06-13, last: 2026-06-30, stock: { lun: 12, mar: 12, mer: 12, jeu: 12, ven: 20, sam: 20, dim: 20 } }
///     - { first: 2026-07-01, last: 2026-09-20, stock: 20 }
///   CH4:
///     - { first: 2026-06-13, last: 2026-09-20, stock: 4 }
/// closures: [2026-07-14]
/// tariffs:                             # price per place and per night
///   NUIT-DORT: { name: Nuitée dortoir, stock_type: DORT, description: Nuit en dortoir, min_quantity: 1, max_quantity: 12, price: "32,00" }
/// supplements:                         # price per item ordered
///   PIQUE-NIQUE: { name: Pique-nique, description: Panier du midi, min_quantity: 1, max_quantity: 20, price: "12,00" }
/// ```
struct RefugeDefinition: Sendable {
    /// A kind of stock: a dormitory, a room.
    struct StockType: Sendable, Hashable {
        var code: String
        var name: String
        var places: Int
        /// Any booking takes every place of the type that night (a private room).
        var blocksWholeRoom: Bool
    }

    /// A period a stock type is open for booking, with its initial stock per weekday.
    struct Opening: Sendable, Hashable {
        var stockType: String
        var first: CalendarDate
        var last: CalendarDate
        /// Places for sale, indexed by ISO weekday − 1 (Monday first).
        var stock: [Int]

        func covers(_ date: CalendarDate) -> Bool { first <= date && date <= last }
    }

    /// A tariff (a night in a stock type) or a supplement (a packed lunch): what an order line refers to.
    struct Item: Sendable, Hashable {
        var code: String
        var name: String
        /// The stock type the tariff sells (nil for a supplement).
        var stockType: String?
        var description: String
        var minQuantity: Int64
        var maxQuantity: Int64
        var price: Money
    }

    /// What the client pays when booking.
    enum Deposit: Sendable, Hashable {
        /// No deposit: the stay is paid in full (100 %).
        case none
        /// A share of the amount, in basis points.
        case percent(Int64)
        case fixed(Money)
    }

    struct Host: Sendable, Hashable {
        var name: String
        var email: String?
        var phone: String?
    }

    /// The definition file, for alerts that point at it.
    var path: String
    var code: String
    var name: String
    var host: Host
    var hasOnlinePayment: Bool
    var deposit: Deposit
    var minDaysBeforeArrival: Int
    /// Seconds into the day (Paris time) after which a same-day booking is too late.
    var sameDayCutoff: Int?
    /// In the order written.
    var stockTypes: [StockType]
    var openings: [Opening]
    var closures: Set<CalendarDate>
    /// In the order written.
    var tariffs: [Item]
    var supplements: [Item]

    func stockType(_ code: String) -> StockType? { stockTypes.first { $0.code == code } }
    func tariff(_ code: String) -> Item? { tariffs.first { $0.code == code } }
    func supplement(_ code: String) -> Item? { supplements.first { $0.code == code } }

    /// The initial stock of a type on a day, or nil when no opening period of the type covers it.
    func stock(of type: String, on date: CalendarDate) -> Int? {
        openings.first { $0.stockType == type && $0.covers(date) }.map { $0.stock[date.weekday - 1] }
    }

    func isClosed(_ date: CalendarDate) -> Bool { closures.contains(date) }

    /// The deposit due on an amount, rounded to the cent by `Money.applying(basisPoints:)`; a fixed deposit
    /// never exceeds the amount.
    func deposit(on amount: Money) -> Money {
        switch deposit {
        case .none: amount
        case .percent(let points): amount.applying(basisPoints: points)
        case .fixed(let sum): min(sum, amount)
        }
    }
}
