import Foundation
import PasserelleCore

/// Why an order is rejected by `transform.order_discounts`, as users read it (French messages, stable rule IDs).
struct DiscountProblem: Error, Sendable {
    let diagnostic: Diagnostic

    private init(_ rule: String, _ table: Table, _ row: Row, column: String, _ message: String, fix: String) {
        diagnostic = Diagnostic(
            rule: "transform.order_discounts.\(rule)", location: table.location(of: column, in: row), message: message,
            found: table.value(column, in: row).isNull ? nil : table.value(column, in: row).storageText, fix: fix)
    }

    /// `missing_value`: an order without its id, account, client, date or a readable amount.
    static func missingValue(_ table: Table, _ row: Row, column: String) -> DiscountProblem {
        let names = [
            "order": "numéro de commande", "account": "compte client", "client": "client",
            "order_date": "date de commande",
            "amount": "montant", "child": "enfant",
        ]
        let what = names[column] ?? column
        return DiscountProblem(
            "missing_value", table, row, column: column, "la commande \(label(table, row)) n'a pas de \(what) lisible",
            fix: "renseignez le \(what) de la commande et relancez")
    }

    /// `unknown_client_kind`: a client kind other than individual, reseller or group.
    static func unknownClientKind(_ table: Table, _ row: Row) -> DiscountProblem {
        DiscountProblem(
            "unknown_client_kind", table, row, column: "client_kind",
            "le type de client de la commande \(label(table, row)) n'est ni particulier, ni revendeur, ni groupe",
            fix: "écrivez particulier, revendeur ou groupe")
    }

    /// `cumulated_codes`: more than one code on one order (domain.md: codes are never cumulated).
    static func cumulatedCodes(_ table: Table, _ row: Row, _ codes: [(String, String)]) -> DiscountProblem {
        let list = codes.map { "\(kindName($0.0)) « \($0.1) »" }.joined(separator: " et ")
        return DiscountProblem(
            "cumulated_codes", table, row, column: codes[1].0,
            "la commande \(label(table, row)) cumule deux codes de réduction : \(list)",
            fix: "gardez un seul code par commande : les codes ne se cumulent pas")
    }

    /// `excluded_client`: a reseller or group using a family or referral code.
    static func excludedClient(_ table: Table, _ row: Row, _ facts: OrderFacts, column: String) -> DiscountProblem {
        DiscountProblem(
            "excluded_client", table, row, column: column,
            "la commande \(label(table, row)) d'un \(facts.kind.frenchName) utilise un \(kindName(column)) : "
                + "les revendeurs et les groupes n'y ont pas droit",
            fix: "retirez le code de la commande ; un code promo reste possible")
    }

    /// `unknown_code`: a promo code not declared, a family code other than the declared one, or an offer not made.
    static func unknownCode(_ table: Table, _ row: Row, column: String, code: String) -> DiscountProblem {
        DiscountProblem(
            "unknown_code", table, row, column: column,
            "le \(kindName(column)) « \(code) » de la commande \(label(table, row)) n'est pas proposé",
            fix: "corrigez le code, ou déclarez-le dans les options de l'étape (family, promo_codes, referral)")
    }

    /// `promo_out_of_year`: a promo code used on an order placed outside the code's year.
    static func promoOutOfYear(_ table: Table, _ row: Row, code: String, year: Int) -> DiscountProblem {
        DiscountProblem(
            "promo_out_of_year", table, row, column: "promo_code",
            "le code promo « \(code) » de la commande \(label(table, row)) n'est valable que pour les commandes "
                + "de \(year)",
            fix: "retirez le code de la commande, ou utilisez un code valable cette année")
    }

    /// `promo_once_a_year`: a client's second promo code in one calendar year (domain.md: one per year).
    static func promoOnceAYear(_ table: Table, _ row: Row, _ facts: OrderFacts, firstOrder: String) -> DiscountProblem {
        DiscountProblem(
            "promo_once_a_year", table, row, column: "promo_code",
            "le client \(facts.client) a déjà utilisé un code promo en \(facts.date.parts.year) "
                + "(commande \(firstOrder)) : un seul code promo par an",
            fix: "retirez le code promo de la commande \(facts.order)")
    }

    /// `referral_already_used`: a referred client's second referral discount (it is one-time).
    static func referralAlreadyUsed(
        _ table: Table, _ row: Row, _ facts: OrderFacts, firstOrder: String
    ) -> DiscountProblem {
        DiscountProblem(
            "referral_already_used", table, row, column: "referrer",
            "le client \(facts.client) a déjà bénéficié du parrainage (commande \(firstOrder)) : "
                + "la réduction de parrainage n'est accordée qu'une fois",
            fix: "retirez le parrain de la commande \(facts.order)")
    }

    /// `self_referral`: a client naming themself as referrer.
    static func selfReferral(_ table: Table, _ row: Row, _ facts: OrderFacts) -> DiscountProblem {
        DiscountProblem(
            "self_referral", table, row, column: "referrer",
            "le client \(facts.client) se désigne comme son propre parrain (commande \(facts.order))",
            fix: "indiquez le client qui a parrainé, ou retirez le parrain")
    }

    /// How an order is named: "C-003 (Marie DUPONT)".
    static func label(_ table: Table, _ row: Row) -> String {
        let order = table.value("order", in: row).text ?? "?"
        guard let client = table.value("client", in: row).text else { return order }
        return "\(order) (\(client))"
    }

    private static func kindName(_ column: String) -> String {
        switch column {
        case "family_code": "code famille"
        case "promo_code": "code promo"
        default: "code de parrainage"
        }
    }
}
