import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import PasserelleStore
import Testing

@testable import Passerelle

/// A small store of hand-made stays with hand-computed figures, and a runner for finance pipelines.
///
/// April 2027, rates Alma Heritage 13 % then 14 % from 15/04/2027, Booking.com 17 %, Direct 0 %; fees 3 % per
/// online charge (card, paypal):
///
/// | stay | provider | channel | departure | amount | deposit, mode | commission | fees | net |
/// |---|---|---|---|---|---|---|---|---|
/// | S1 28/03–02/04 | H001 | Alma Heritage 13 % | 02/04 | 1 000,00 | 100 %, card | 130,00 | 30,00 | 840,00 |
/// | S2 | H001 | Direct 0 % | 15/04 | 200,00 | 30 %, card (60,00 charged) | 0,00 | 1,80 | 198,20 |
/// | S8 | H001 | Alma Heritage 13 % | 08/04 | 12,50 | cheque | 1,63 (162,5 c → 163) | 0,00 | 10,87 |
/// | S3 | H002 | Booking.com 17 % | 12/04 | 333,33 | cheque | 56,67 (5 666,61 c) | 0,00 | 276,66 |
/// | S7 | H002 | Alma Heritage 14 % (from 15/04) | 16/04 | 250,00 | transfer | 35,00 | 0,00 | 215,00 |
/// | S4 cancelled | H002 | Booking.com | 20/04 | 500,00 | | listed apart | | |
/// | S5 pre-reservation | H001 | Direct | 22/04 | 90,00 | | excluded | | |
/// | S6 | H002 | Booking.com 17 % | 03/05 | 100,00 | cheque | May: 17,00 | | |
///
/// H001: gross 1 212,50, commission 131,63, fees 31,80, net 1 049,07. H002: gross 583,33, commission 91,67,
/// fees 0,00, net 491,66. April: gross 1 795,83 = payouts 1 540,73 + commissions 223,30 + fees 31,80.
enum FinanceFixture {
    static func date(_ text: String) -> CalendarDate {
        CalendarDate.parse(text) ?? CalendarDate(daysSinceEpoch: 0)
    }

    static func stay(
        _ reference: String, _ accommodation: String, _ channel: String, _ arrival: String, _ departure: String,
        _ euros: Int64, cents: Int64 = 0, status: StayStatus = .confirmed, deposit: Int64? = nil,
        mode: String? = nil
    ) -> StayRecord {
        StayRecord(
            reference: reference, accommodationCode: accommodation, lastName: "Client \(reference)", firstName: "Anne",
            email: "\(reference.lowercased())@example.fr", arrival: date(arrival), departure: date(departure),
            amount: Money(cents: euros * 100 + cents), channel: channel, status: status,
            bookingDate: date("2027-01-10"), depositBasisPoints: deposit, paymentMode: mode)
    }

    static let stays = [
        stay("S1", "H001-A", "Alma Heritage", "2027-03-28", "2027-04-02", 1000, deposit: 10_000, mode: "card"),
        stay("S2", "H001-A", "Direct", "2027-04-10", "2027-04-15", 200, deposit: 3000, mode: "card"),
        stay("S3", "H002-A", "Booking.com", "2027-04-05", "2027-04-12", 333, cents: 33, mode: "cheque"),
        stay("S4", "H002-A", "Booking.com", "2027-04-17", "2027-04-20", 500, status: .cancelled, mode: "card"),
        stay("S5", "H001-A", "Direct", "2027-04-20", "2027-04-22", 90, status: .preBooking, mode: "cheque"),
        stay("S6", "H002-A", "Booking.com", "2027-04-28", "2027-05-03", 100, mode: "cheque"),
        stay("S7", "H002-A", "Alma Heritage", "2027-04-12", "2027-04-16", 250, mode: "transfer"),
        stay("S8", "H001-A", "Alma Heritage", "2027-04-06", "2027-04-08", 12, cents: 50, mode: "cheque"),
    ]

    /// Fills a new store at `path` with two providers (one whose name needs escaping) and the stays.
    static func makeStore(at path: String, stays: [StayRecord] = stays) throws {
        let store = try Store(path: path)
        let scope = WriteScope(runID: 1, stage: "fixture", commit: true)
        _ = try store.upsertProviders(
            [
                ProviderRecord(code: "H001", name: "Chalet Les Aiguilles", email: "h001@example.fr"),
                ProviderRecord(
                    code: "H002", name: "Gîte <Bellevue> & Fils", email: "h002@example.fr",
                    address: "3 route du Col, 74110 Morzine"),
            ],
            accommodations: [
                AccommodationRecord(code: "H001-A", providerCode: "H001", name: "Chalet A"),
                AccommodationRecord(code: "H002-A", providerCode: "H002", name: "Gîte \"Le Refuge\""),
            ], scope: scope)
        _ = try store.upsertStays(stays, scope: scope)
    }

    /// The stages of the month-end pipeline up to the payouts.
    static let computeStages = """
        stages:
          stays: { kind: ingest.stored_stays, options: { month: "${month}", months: 12 } }
          commissions:
            kind: transform.channel_commissions
            inputs: [stays]
            options:
              rates:
                - { channel: Alma Heritage, rate: 13 % }
                - { channel: Alma Heritage, rate: 14 %, from: 2027-04-15 }
                - { channel: Booking.com, rate: 17 % }
                - { channel: Direct, rate: 0 % }
          fees: { kind: transform.payment_fees, inputs: [commissions], options: { rate: 3 % } }
          payouts: { kind: transform.monthly_payouts, inputs: [fees], options: { month: "${month}" } }
        """

    /// Runs `yaml` (with variable `month`) on the store under `folder`.
    static func run(_ yaml: String, month: String, in folder: URL) throws -> RunReport {
        let file = folder.appendingPathComponent("pipeline.yml")
        try Data(yaml.utf8).write(to: file)
        let passerelle = Passerelle(environment: [:])
        let loaded = passerelle.load(file.path, overrides: ["month": month])
        let spec = try #require(loaded.spec, "\(loaded.diagnostics.map(\.rendered))")
        return try passerelle.run(
            spec, options: TestSupport.options(in: folder), observer: nil, logger: TestSupport.quietLogger)
    }

    static func result(_ report: RunReport, _ stage: String) throws -> StageResult {
        try #require(report.results.first { $0.name == stage }, "no result for \(stage): \(report.summary)")
    }

    /// A table's column as French text, row by row.
    static func column(_ table: Table, _ name: String) -> [String] {
        table.rows.map { table.value(name, in: $0).frenchText }
    }
}
