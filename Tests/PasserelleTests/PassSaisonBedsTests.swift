import Foundation
import PasserelleCore
import Testing

@testable import PasserelleStages

/// Pass Saison arithmetic (domain.md rule 7) with hand-checked figures.
@Suite struct PassSaisonBedsTests {
    static func day(_ y: Int, _ m: Int, _ d: Int) throws -> CalendarDate {
        try #require(CalendarDate(year: y, month: m, day: d))
    }

    static func rules() throws -> PassSaisonRules {
        var rules = PassSaisonRules()
        rules.coveredPercent = 60
        rules.breakEvenWeeks = 5
        rules.prices = [
            .init(from: nil, until: try day(2022, 6, 30), price: Money(cents: 40_00)),
            .init(from: try day(2022, 7, 1), until: nil, price: Money(cents: 60_00)),
        ]
        return rules
    }

    static func stay(
        _ ref: String, _ from: CalendarDate, _ to: CalendarDate, beds: Int64, status: StayStatus = .confirmed
    ) -> StayRecord {
        StayRecord(
            reference: ref, accommodationCode: "H1-A", lastName: "X", firstName: "Y", email: "x@example.fr",
            arrival: from, departure: to, partySize: beds, status: status)
    }

    @Test func theExtraBedPriceChangesOnTheFirstOfJuly2022() throws {
        let rules = try Self.rules()
        #expect(rules.price(on: try Self.day(2022, 6, 30)) == Money(cents: 40_00))
        #expect(rules.price(on: try Self.day(2022, 7, 1)) == Money(cents: 60_00))
    }

    /// Capacity 10 at 60 %: 6 beds covered. Week of Saturday 25/06/2022: stays of 8 beds (25–28/06) and 7 beds
    /// (28/06–02/07) never share a night, so the busiest night has 8 beds: 2 extra at 40 € (bought 25/06) = 80 €.
    /// Week of Saturday 02/07/2022: 9 beds (a cancelled stay of 5 and a pre-reservation of 4 take none):
    /// 3 extra at 60 € = 180 €.
    @Test func weeklyOccupancyAndExtraBedsOnBothSidesOfTheFirstOfJuly() throws {
        let rules = try Self.rules()
        let accommodation = AccommodationRecord(code: "H1-A", providerCode: "H1", name: "Chalet", capacity: 10)
        #expect(rules.covered(accommodation) == 6)
        let stays = [
            Self.stay("S1", try Self.day(2022, 6, 25), try Self.day(2022, 6, 28), beds: 8),
            Self.stay("S2", try Self.day(2022, 6, 28), try Self.day(2022, 7, 2), beds: 7),
            Self.stay("S3", try Self.day(2022, 7, 2), try Self.day(2022, 7, 9), beds: 9),
            Self.stay("S4", try Self.day(2022, 7, 3), try Self.day(2022, 7, 6), beds: 5, status: .cancelled),
            Self.stay("S5", try Self.day(2022, 7, 4), try Self.day(2022, 7, 8), beds: 4, status: .preBooking),
        ]
        let weeks = rules.weeks(of: stays, covered: 6)
        try #require(weeks.count == 2)
        #expect(weeks[0].start == (try Self.day(2022, 6, 25)))
        #expect(weeks[0].occupancy == 8)
        #expect(weeks[0].extraBeds == 2)
        #expect(weeks[0].price == Money(cents: 40_00))
        #expect(weeks[0].cost == Money(cents: 80_00))
        #expect(weeks[1].start == (try Self.day(2022, 7, 2)))
        #expect(weeks[1].occupancy == 9)
        #expect(weeks[1].extraBeds == 3)
        #expect(weeks[1].price == Money(cents: 60_00))
        #expect(weeks[1].cost == Money(cents: 180_00))
    }

    @Test func aWeekUnderTheCoveredShareCostsNothing() throws {
        let stays = [Self.stay("S1", try Self.day(2026, 12, 19), try Self.day(2026, 12, 26), beds: 6)]
        let weeks = try Self.rules().weeks(of: stays, covered: 6)
        #expect(weeks.map(\.extraBeds) == [0])
        #expect(weeks.map(\.cost) == [.zero])
    }

    /// The season formula pays off from 5 weeks of rental: 4 weeks do not, 5 and 6 do.
    @Test(arguments: [(4, false), (5, true), (6, true)])
    func breakEvenIsReachedFromFiveWeeks(weeksRented: Int, paysOff: Bool) throws {
        let start = try Self.day(2027, 1, 2)  // a Saturday
        let stays = (0..<weeksRented).map { i in
            Self.stay("S\(i)", start.adding(days: 7 * i), start.adding(days: 7 * i + 7), beds: 2)
        }
        let rules = try Self.rules()
        let weeks = rules.weeks(of: stays, covered: 6)
        #expect(weeks.count == weeksRented)
        #expect(rules.paysOff(weeksRented: weeks.count) == paysOff)
    }
}
