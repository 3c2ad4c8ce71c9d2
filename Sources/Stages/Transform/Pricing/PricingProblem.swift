import Foundation
import PasserelleCore

/// The diagnostics of `transform.catalogue_pricing`, as users read them (French messages, rule IDs stable).
enum PricingProblem {
    /// `transform.catalogue_pricing.missing_price`: no production price or no stay price.
    static func missingPrice(_ table: Table, _ row: Row) -> Diagnostic {
        let column = CataloguePricing.money(table.value("production_price", in: row)) == nil
            ? "production_price" : "stay_price"
        let what = column == "production_price" ? "prix de production" : "prix du séjour"
        return Diagnostic(
            rule: "transform.catalogue_pricing.missing_price", location: table.location(of: column, in: row),
            message: "le départ \(label(table, row)) n'a pas de \(what) lisible",
            found: table.value(column, in: row).storageText,
            fix: "saisissez le \(what) en euros (par ex. 1 000,00) dans le catalogue et relancez")
    }

    /// `transform.catalogue_pricing.missing_rate`: no commission rate or extra margin, and no rule sets one.
    static func missingRate(_ table: Table, _ row: Row, commission: Bool) -> Diagnostic {
        let column = commission ? "commission_rate" : "extra_margin"
        let what = commission ? "taux de commission" : "marge supplémentaire"
        return Diagnostic(
            rule: "transform.catalogue_pricing.missing_rate", location: table.location(of: column, in: row),
            message: "le départ \(label(table, row)) n'a pas de \(what) lisible "
                + "et aucune règle du pipeline n'en fixe",
            found: table.value(column, in: row).storageText,
            fix: "saisissez le \(what) (par ex. 12,5 %) dans le catalogue, ou ajoutez une règle dans 'rules'")
    }

    /// `transform.catalogue_pricing.negative_public_price`: the discounts exceed the stay and transport prices.
    static func negativePublicPrice(_ table: Table, _ row: Row, _ prices: DeparturePrices) -> Diagnostic {
        Diagnostic(
            rule: "transform.catalogue_pricing.negative_public_price",
            location: table.location(of: "discount", in: row),
            message: "les réductions du départ \(label(table, row)) dépassent le prix du séjour et du transport "
                + "(tarif public \(prices.publicPrice.frenchText))",
            found: table.value("discount", in: row).storageText,
            fix: "corrigez la réduction ou les prix du départ dans le catalogue")
    }

    /// `transform.catalogue_pricing.unmatched_rule` (warning): a rule that selects no departure.
    static func unmatchedRule(_ rule: PricingRule, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            rule: "transform.catalogue_pricing.unmatched_rule", severity: .warning, location: location,
            message: "la règle '\(rule.name)' (\(rule.selection)) ne sélectionne aucun départ",
            fix: "vérifiez l'organisateur, le séjour et les dates de la règle")
    }

    /// How a departure is named: its code, else "organiser, stay, dd/mm/yyyy".
    static func label(_ table: Table, _ row: Row) -> String {
        let details = [
            table.value("organiser", in: row).text, table.value("stay", in: row).text,
            table.value("departure_date", in: row).date?.frenchText,
        ].compactMap { $0 }.joined(separator: ", ")
        guard let code = table.value("departure", in: row).text else { return details.isEmpty ? "?" : details }
        return details.isEmpty ? code : "\(code) (\(details))"
    }
}
