import Foundation
import PasserelleCore
import PasserelleEngine
import Testing

@testable import Passerelle
@testable import PasserelleStages

/// Family, promo and referral discounts on `Fixtures/pricing/commandes.csv`, with hand-computed figures.
///
/// Family code 30 € within 60 days of the account's first order (F-DUPONT: 10/01/2027); promo HIVER2027 20 €
/// and PRINTEMPS 5 %, both for 2027; referral 20 € for the referred client, 15 € credit for 12 months.
///
/// | order | what | outcome |
/// |---|---|---|
/// | C01 | F-DUPONT, 1st child Léa, no code | 0,00 |
/// | C02 | 2nd child Tom, FAMILLE, 41 days after 10/01 | 30,00 → 420,00 |
/// | C03 | 3rd child Zoé, FAMILLE, 64 days after | 0,00 (past 60 days) |
/// | C04 | F-MARTIN's first child, FAMILLE | 0,00 (first child) |
/// | C05, C06 | Paul Martin: HIVER2027 in January, PRINTEMPS in March | 20,00; C06 rejected (one a year) |
/// | C07 | FAMILLE and HIVER2027 on one order | rejected (cumulated) |
/// | C08, C09, C10 | referred by Marie Dupont 15/01/2026, 01/03/2027, 10/03/2027 | 20,00 each (1) |
/// | C11 | Chloé Roux referred a second time | rejected (one-time) |
/// | C12, C13 | reseller with a referrer, group with FAMILLE | rejected (excluded) |
/// | C14 | group with PRINTEMPS on 3 333,33 | 166,67 (166,6665) → 3 166,66 |
/// | C15 | HIVER2027 in 2028 | rejected (out of year) |
///
/// (1) Marie Dupont's credits of 15,00 are valid until 14/01/2027, 29/02/2028 and 09/03/2028: on 15/06/2027 her
/// wallet holds 30,00 (45,00 credited, 15,00 expired).
@Suite struct OrderDiscountsTests {
    static let stages = """
          orders:
            kind: ingest.csv
            options:
              path: \(TestSupport.fixture("pricing/commandes.csv").path)
              columns:
                order: [Commande]
                account: [Compte]
                client: [Client]
                child: [Enfant]
                order_date: { headers: [Date de commande], type: date }
                amount: { headers: [Montant], type: money }
                family_code: [Code famille]
                promo_code: [Code promo]
                referrer: [Parrain]
                client_kind: [Type de client]
          discounts:
            kind: transform.order_discounts
            inputs: [orders]
            options:
              family: { code: FAMILLE, amount: 30 €, within_days: 60 }
              promo_codes:
                - { code: HIVER2027, amount: 20 €, year: 2027 }
                - { code: PRINTEMPS, percent: 5 %, year: 2027 }
              referral: { referred_discount: 20 €, referrer_credit: 15 €, validity_months: 12 }
        """

    func discounts(asOf: String = "2027-06-15") throws -> StageResult {
        try PricingFixture.result(try PricingFixture.run(Self.stages, asOf: asOf), "discounts")
    }

    func value(_ result: StageResult, _ order: String, _ field: String) throws -> Value {
        try PricingFixture.value(try #require(result.output.tables["rows"]), "order", order, field)
    }

    @Test func theFamilyCodeAppliesFromTheSecondChildWithinTheWindow() throws {
        let result = try discounts()
        #expect(try value(result, "C02", "discount_kind") == .text("famille"))
        #expect(try value(result, "C02", "discount") == PricingFixture.euros(3_000))
        #expect(try value(result, "C02", "net_amount") == PricingFixture.euros(42_000))
        #expect(
            try value(result, "C02", "note")
                == .text("enfant n° 2, 41 jour(s) après la première commande du compte (10/01/2027)"))
        #expect(try value(result, "C01", "discount") == PricingFixture.euros(0))
    }

    @Test func theFamilyCodeGivesNothingOutsideTheWindowOrOnAFirstChild() throws {
        let result = try discounts()
        #expect(try value(result, "C03", "discount") == PricingFixture.euros(0))
        #expect(try value(result, "C03", "discount_kind") == .null)
        #expect(
            try value(result, "C03", "note")
                == .text(
                    "code famille sans effet : 64 jours après la première commande du compte (10/01/2027), "
                        + "au-delà de 60 jours"))
        #expect(try value(result, "C04", "discount") == PricingFixture.euros(0))
        #expect(try value(result, "C04", "note") == .text("code famille sans effet : premier enfant du compte"))
    }

    @Test func promoCodesAreNeverCumulatedAndOneAYear() throws {
        let result = try discounts()
        #expect(try value(result, "C05", "discount") == PricingFixture.euros(2_000))
        #expect(try value(result, "C05", "net_amount") == PricingFixture.euros(18_000))
        let rejected = Dictionary(result.rejected.map { ($0.location.line ?? 0, $0) }) { a, _ in a }
        #expect(rejected[8]?.rule == "transform.order_discounts.cumulated_codes")  // C07, line 8 of the file
        #expect(
            rejected[8]?.message
                == "la commande C07 (Julie Blanc) cumule deux codes de réduction : code famille « FAMILLE » et "
                + "code promo « HIVER2027 »")
        #expect(rejected[7]?.rule == "transform.order_discounts.promo_once_a_year")  // C06
        #expect(
            rejected[7]?.message
                == "le client Paul Martin a déjà utilisé un code promo en 2027 (commande C05) : "
                + "un seul code promo par an")
        #expect(rejected[16]?.rule == "transform.order_discounts.promo_out_of_year")  // C15, in 2028
    }

    @Test func aPercentPromoIsRoundedHalfAwayFromZeroAndGroupsMayUseIt() throws {
        let result = try discounts()
        #expect(try value(result, "C14", "discount") == PricingFixture.euros(16_667))  // 3 333,33 × 5 % = 166,6665
        #expect(try value(result, "C14", "net_amount") == PricingFixture.euros(316_666))
    }

    @Test func referralGivesAOneTimeDiscountAndCreditsThatAddUpAndExpire() throws {
        let result = try discounts()
        for order in ["C08", "C09", "C10"] {
            #expect(try value(result, order, "discount") == PricingFixture.euros(2_000))
            #expect(try value(result, order, "discount_kind") == .text("parrainage"))
        }
        #expect(result.rejected.contains { $0.rule == "transform.order_discounts.referral_already_used" })
        let wallets = try #require(result.output.tables["wallets"])
        #expect(wallets.rows.count == 1)
        let marie = try #require(wallets.rows.first)
        #expect(wallets.value("client", in: marie) == .text("Marie Dupont"))
        #expect(wallets.value("credits", in: marie) == .integer(3))
        #expect(wallets.value("credited", in: marie) == PricingFixture.euros(4_500))
        #expect(wallets.value("expired", in: marie) == PricingFixture.euros(1_500))  // C08's, valid to 14/01/2027
        #expect(wallets.value("balance", in: marie) == PricingFixture.euros(3_000))  // C09 + C10
        #expect(wallets.value("next_expiry", in: marie) == .date(try #require(CalendarDate.parse("2028-02-29"))))
        let credits = try #require(result.output.tables["credits"])
        #expect(credits.rows.map { credits.value("status", in: $0).text } == ["expiré", "valable", "valable"])
    }

    @Test func aCreditCountsUntilItsLastValidDayOnly() throws {
        let onLastDay = try #require(try discounts(asOf: "2027-01-14").output.tables["wallets"])
        #expect(onLastDay.rows.map { onLastDay.value("balance", in: $0) } == [PricingFixture.euros(1_500)])
        let dayAfter = try #require(try discounts(asOf: "2027-01-15").output.tables["wallets"])
        #expect(dayAfter.rows.map { dayAfter.value("balance", in: $0) } == [PricingFixture.euros(0)])
        #expect(dayAfter.rows.map { dayAfter.value("expired", in: $0) } == [PricingFixture.euros(1_500)])
        #expect(dayAfter.rows.map { dayAfter.value("credits", in: $0) } == [.integer(1)])
    }

    @Test func resellersAndGroupsMayNotUseFamilyOrReferralCodes() throws {
        let result = try discounts()
        let excluded = result.rejected.filter { $0.rule == "transform.order_discounts.excluded_client" }
        #expect(
            excluded.map(\.message) == [
                "la commande C12 (Agence des Alpes) d'un revendeur utilise un code de parrainage : "
                    + "les revendeurs et les groupes n'y ont pas droit",
                "la commande C13 (CE Renault) d'un groupe utilise un code famille : "
                    + "les revendeurs et les groupes n'y ont pas droit",
            ])
        #expect(excluded.first?.fix == "retirez le code de la commande ; un code promo reste possible")
    }

    @Test func everyOrderIsKeptOrRejected() throws {
        let result = try discounts()
        #expect(result.output.rowsIn == 15)
        #expect(result.output.rowsOut == 9)
        #expect(result.rowsRejected == 6)
        #expect(result.output.rowsIn == result.output.rowsOut + result.rowsRejected)
        #expect(
            result.rejected.map { $0.rule.replacingOccurrences(of: "transform.order_discounts.", with: "") } == [
                "promo_once_a_year", "cumulated_codes", "referral_already_used", "excluded_client", "excluded_client",
                "promo_out_of_year",
            ])
    }
}
