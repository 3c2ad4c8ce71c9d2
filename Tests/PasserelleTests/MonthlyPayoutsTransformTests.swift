import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Testing

@testable import Passerelle
@testable import PasserelleStages

/// Commissions, fees and payouts on the hand-computed April 2027 store (see `FinanceFixture`).
@Suite struct MonthlyPayoutsTransformTests {
    static let pipeline = "name: payouts\nvariables: { month: \"2027-04\" }\n" + FinanceFixture.computeStages

    func april() throws -> RunReport {
        let folder = try TestSupport.temporaryDirectory()
        try FinanceFixture.makeStore(at: TestSupport.options(in: folder).storePath)
        return try FinanceFixture.run(Self.pipeline, month: "2027-04", in: folder)
    }

    @Test func theDomainsDepositExampleCostsOneEuroEighty() throws {
        let fees = try FinanceFixture.result(try april(), "fees")
        let table = try #require(fees.output.tables["rows"])
        let s2 = try #require(table.rows.first { table.value("reference", in: $0) == .text("S2") })
        #expect(table.value("charged_online", in: s2) == .money(Money(cents: 6000)))
        #expect(table.value("payment_fee", in: s2) == .money(Money(cents: 180)))
    }

    @Test func aStayFromMarchToAprilIsPaidAtTheEndOfAprilAtThirteenPercent() throws {
        let detail = try #require(try FinanceFixture.result(try april(), "payouts").output.tables["detail"])
        let s1 = try #require(detail.rows.first { detail.value("reference", in: $0) == .text("S1") })
        #expect(detail.value("commission_rate", in: s1) == .percent(1300))
        #expect(detail.value("commission", in: s1) == .money(Money(cents: 13_000)))
        #expect(detail.value("payout_date", in: s1) == .date(FinanceFixture.date("2027-04-30")))
        #expect(detail.value("net", in: s1) == .money(Money(cents: 84_000)))
    }

    @Test func aRateChangeTakesEffectFromItsDateWithinTheMonth() throws {
        let detail = try #require(try FinanceFixture.result(try april(), "payouts").output.tables["detail"])
        let rates = Dictionary(
            uniqueKeysWithValues: detail.rows.map {
                (detail.value("reference", in: $0).text ?? "", detail.value("commission_rate", in: $0))
            })
        #expect(rates["S8"] == .percent(1300))  // departs 08/04, before the change
        #expect(rates["S7"] == .percent(1400))  // departs 16/04, after the change of 15/04
        let s7 = try #require(detail.rows.first { detail.value("reference", in: $0) == .text("S7") })
        #expect(detail.value("commission", in: s7) == .money(Money(cents: 3500)))
    }

    @Test func roundsEachLineHalfAwayFromZeroAndSumsTheRoundedLines() throws {
        let report = try april()
        let detail = try #require(try FinanceFixture.result(report, "payouts").output.tables["detail"])
        let commissions = Dictionary(
            uniqueKeysWithValues: detail.rows.map {
                (detail.value("reference", in: $0).text ?? "", detail.value("commission", in: $0))
            })
        #expect(commissions["S8"] == .money(Money(cents: 163)))  // 12,50 × 13 % = 1,625
        #expect(commissions["S3"] == .money(Money(cents: 5667)))  // 333,33 × 17 % = 56,6661
        let payouts = try #require(try FinanceFixture.result(report, "payouts").output.tables["rows"])
        #expect(FinanceFixture.column(payouts, "provider_code") == ["H001", "H002"])
        #expect(FinanceFixture.column(payouts, "gross") == ["1\u{202F}212,50\u{A0}€", "583,33\u{A0}€"])
        #expect(FinanceFixture.column(payouts, "commission") == ["131,63\u{A0}€", "91,67\u{A0}€"])
        #expect(FinanceFixture.column(payouts, "fees") == ["31,80\u{A0}€", "0,00\u{A0}€"])
        #expect(FinanceFixture.column(payouts, "net") == ["1\u{202F}049,07\u{A0}€", "491,66\u{A0}€"])
        #expect(FinanceFixture.column(payouts, "payout_date") == ["30/04/2027", "30/04/2027"])
    }

    @Test func cancellationsAreListedApartAndPreReservationsAndOtherMonthsLeftOut() throws {
        let report = try april()
        let payouts = try FinanceFixture.result(report, "payouts")
        let detail = try #require(payouts.output.tables["detail"])
        #expect(FinanceFixture.column(detail, "reference") == ["S1", "S8", "S2", "S3", "S7"])
        let cancellations = try #require(payouts.output.tables["cancellations"])
        #expect(FinanceFixture.column(cancellations, "reference") == ["S4"])
        let totals = try #require(payouts.output.tables["totals"])
        #expect(FinanceFixture.column(totals, "gross") == ["1\u{202F}795,83\u{A0}€"])
        #expect(FinanceFixture.column(totals, "net") == ["1\u{202F}540,73\u{A0}€"])
        #expect(FinanceFixture.column(totals, "commission") == ["223,30\u{A0}€"])
        #expect(FinanceFixture.column(totals, "fees") == ["31,80\u{A0}€"])
        #expect(payouts.notes.contains {
            $0.hasPrefix("2027-04: 5 stay(s) paid to 2 provider(s), 1 cancellation(s) listed apart, 1 pre-reservation(s)")
        })
        let history = try #require(payouts.output.tables["history"])
        #expect(history.rows.count == 12)
        #expect(FinanceFixture.column(history, "month").last == "2027-04")
    }

    /// Issue 20, part 3: the chart's earlier months are summed by the store, so the stays stage reads the month alone.
    @Test func theChartsEarlierMonthsAreSummedByTheStoreNotReadByTheStays() throws {
        let folder = try TestSupport.temporaryDirectory()
        let earlier = [
            FinanceFixture.stay("E1", "H001-A", "Direct", "2027-02-01", "2027-02-05", 100, mode: "cheque"),
            FinanceFixture.stay("E2", "H002-A", "Booking.com", "2027-02-10", "2027-02-14", 40, cents: 5, mode: "cheque"),
            FinanceFixture.stay("E3", "H002-A", "Booking.com", "2027-02-11", "2027-02-13", 70, status: .cancelled),
            FinanceFixture.stay("E4", "H001-A", "Direct", "2026-05-01", "2026-05-31", 60, mode: "cheque"),  // chart's first month
            FinanceFixture.stay("E5", "H001-A", "Direct", "2026-04-01", "2026-04-30", 999, mode: "cheque"),  // a year before
        ]
        try FinanceFixture.makeStore(at: TestSupport.options(in: folder).storePath, stays: FinanceFixture.stays + earlier)
        let monthAlone = Self.pipeline.replacingOccurrences(of: ", months: 12", with: "")
        let report = try FinanceFixture.run(monthAlone, month: "2027-04", in: folder)
        #expect(try FinanceFixture.result(report, "stays").output.rowsOut == 7)  // April's departures, every status
        let history = try #require(try FinanceFixture.result(report, "payouts").output.tables["history"])
        let rows = Dictionary(uniqueKeysWithValues: history.rows.map { row in
            (history.value("month", in: row).text ?? "", row)
        })
        #expect(FinanceFixture.column(history, "month").first == "2026-05")
        #expect(history.rows.count == 12)
        func figures(_ month: String) -> [Value] {
            guard let row = rows[month] else { return [] }
            return [history.value("stays", in: row), history.value("gross", in: row)]
        }
        #expect(figures("2027-02") == [.integer(2), .money(Money(cents: 14_005))])  // E3 cancelled, left out
        #expect(figures("2026-05") == [.integer(1), .money(Money(cents: 6000))])
        #expect(figures("2027-03") == [.integer(0), .money(.zero)])
        #expect(figures("2027-04") == [.integer(5), .money(Money(cents: 179_583))])  // as the month's totals

        // Stays that were never stored: the history is summed from the input (here, its twelve months or April alone).
        func inputHistory(_ pipeline: String) throws -> [String] {
            let yaml = pipeline.replacingOccurrences(
                of: "inputs: [fees], options: { month: \"${month}\" } }",
                with: "inputs: [fees], options: { month: \"${month}\", reconcile_with_store: false } }")
            #expect(yaml != pipeline)
            let report = try FinanceFixture.run(yaml, month: "2027-04", in: folder)
            return FinanceFixture.column(
                try #require(try FinanceFixture.result(report, "payouts").output.tables["history"]), "gross")
        }
        #expect(try inputHistory(Self.pipeline) == FinanceFixture.column(history, "gross"))
        let aprilAlone = try inputHistory(monthAlone)
        #expect(aprilAlone.last == FinanceFixture.column(history, "gross").last)
        #expect(aprilAlone.dropLast().allSatisfy { $0 == "0,00\u{A0}€" })
    }

    @Test func aTamperedFigureFailsNamingTheProviderAndTheDifference() throws {
        let detail = try #require(try FinanceFixture.result(try april(), "payouts").output.tables["detail"])
        let lines = PayoutTables.lines(fromDetail: detail)
        var payouts = ProviderPayout.payouts(of: lines, paidOn: FinanceFixture.date("2027-04-30"))
        #expect(PayoutReconciliation.mismatches(payouts: payouts, lines: lines).isEmpty)
        payouts[0].net = payouts[0].net + Money(cents: 1)
        let error = try #require(throws: StageError.self) {
            try PayoutReconciliation.check(
                payouts: payouts, lines: lines, month: FinanceMonth(year: 2027, month: 4), stage: "payouts")
        }
        #expect(error.message.contains(
            "hébergeur H001 (Chalet Les Aiguilles) : versement = brut − commission − frais : attendu 1\u{202F}049,07\u{A0}€, "
                + "trouvé 1\u{202F}049,08\u{A0}€ (écart 0,01\u{A0}€)"))
        #expect(error.message.contains("total du mois"))
    }

    @Test func anUndeclaredChannelIsRejectedWithItsRuleAndTheDeclaredChannels() throws {
        let folder = try TestSupport.temporaryDirectory()
        var stays = FinanceFixture.stays
        stays.append(FinanceFixture.stay("S9", "H001-A", "Airbnb", "2027-04-01", "2027-04-05", 80, mode: "card"))
        try FinanceFixture.makeStore(at: TestSupport.options(in: folder).storePath, stays: stays)
        let report = try FinanceFixture.run(Self.pipeline, month: "2027-04", in: folder)
        let commissions = try FinanceFixture.result(report, "commissions")
        #expect(commissions.rejected.map(\.rule) == ["transform.channel_commissions.unknown_channel"])
        #expect(commissions.rejected.first?.fix?.contains("Alma Heritage, Booking.com, Direct") == true)
        #expect(commissions.output.rowsIn == commissions.output.rowsOut + commissions.rowsRejected)
    }

    @Test func ratesAreReadAsExactBasisPoints() {
        #expect(Percentage.basisPoints("13 %") == 1300)
        #expect(Percentage.basisPoints("17,5 %") == 1750)
        #expect(Percentage.basisPoints("3") == 300)
        #expect(Percentage.basisPoints("0,125 %") == nil)
        #expect(Percentage.basisPoints("120 %") == nil)
    }
}
