import Foundation
import PasserelleCore
import PasserelleEngine

/// Checks that a month's figures reconcile to the cent before anything is written from them.
///
/// Issue 4, "Money": for every provider gross − commission − fees = net, and each figure is the sum of the
/// provider's rounded lines; over the month the payouts plus the commissions plus the fees equal the gross.
/// A statement that does not reconcile is never issued: the stage fails naming the provider and the difference.
enum PayoutReconciliation {
    /// One figure that does not add up.
    struct Mismatch: Sendable, Hashable, CustomStringConvertible {
        /// The provider concerned, or nil for the month's totals.
        var providerCode: String?
        var providerName: String?
        /// What was compared, in French: "brut − commission − frais ≠ versement".
        var what: String
        var expected: Money
        var found: Money

        var difference: Money { found - expected }

        var description: String {
            let whom = providerCode.map { "hébergeur \($0) (\(providerName ?? ""))" } ?? "total du mois"
            return "\(whom) : \(what) : attendu \(expected.frenchText), trouvé \(found.frenchText) "
                + "(écart \(difference.frenchText))"
        }
    }

    /// Every mismatch between the payouts and their lines; empty when the figures reconcile.
    static func mismatches(payouts: [ProviderPayout], lines: [PayoutLine]) -> [Mismatch] {
        var found: [Mismatch] = []
        let expected = Dictionary(grouping: lines, by: \.providerCode)
        for p in payouts {
            let own = expected[p.providerCode] ?? []
            func compare(_ what: String, _ sum: Money, _ value: Money) {
                if sum != value {
                    found.append(Mismatch(providerCode: p.providerCode, providerName: p.providerName, what: what, expected: sum, found: value))
                }
            }
            compare("brut (somme des séjours)", own.reduce(.zero) { $0 + $1.gross }, p.gross)
            compare("commission (somme des séjours)", own.reduce(.zero) { $0 + $1.commission }, p.commission)
            compare("frais (somme des séjours)", own.reduce(.zero) { $0 + $1.fees }, p.fees)
            compare("versement = brut − commission − frais", p.gross - p.commission - p.fees, p.net)
        }
        let totals = PayoutTotals(payouts)
        let gross = lines.reduce(Money.zero) { $0 + $1.gross }
        if totals.net + totals.commission + totals.fees != gross {
            found.append(
                Mismatch(
                    what: "versements + commissions + frais = brut des séjours", expected: gross,
                    found: totals.net + totals.commission + totals.fees))
        }
        return found
    }

    /// Every difference between the payouts and what the store itself sums over the same month: per provider,
    /// the number of confirmed stays and their gross. A stay lost, duplicated or changed between the store and the
    /// statement shows here, whatever the stages upstream did.
    static func storeMismatches(payouts: [ProviderPayout], store totals: [ProviderMonthTotal]) -> [Mismatch] {
        var found: [Mismatch] = []
        let paid = Dictionary(payouts.map { ($0.providerCode, $0) }, uniquingKeysWith: { first, _ in first })
        let stored = Dictionary(totals.map { ($0.providerCode, $0) }, uniquingKeysWith: { first, _ in first })
        for code in Set(paid.keys).union(stored.keys).sorted() {
            let p = paid[code]
            let s = stored[code]
            let name = p?.providerName ?? s?.providerName
            if (p?.stays ?? 0) != (s?.stays ?? 0) {
                found.append(
                    Mismatch(
                        providerCode: code, providerName: name,
                        what: "séjours au relevé (\(p?.stays ?? 0)) ≠ séjours confirmés du magasin (\(s?.stays ?? 0)), brut",
                        expected: s?.gross ?? .zero, found: p?.gross ?? .zero))
            } else if (p?.gross ?? .zero) != (s?.gross ?? .zero) {
                found.append(
                    Mismatch(
                        providerCode: code, providerName: name, what: "brut au relevé ≠ brut du magasin",
                        expected: s?.gross ?? .zero, found: p?.gross ?? .zero))
            }
        }
        return found
    }

    /// Throws when the payouts differ from the store's own sums over the month, naming each provider and difference.
    static func checkAgainstStore(
        payouts: [ProviderPayout], store totals: [ProviderMonthTotal], month: FinanceMonth, stage: String
    ) throws {
        try fail(
            storeMismatches(payouts: payouts, store: totals), stage: stage,
            what: "les chiffres du mois (\(month.frenchName)) ne se rapprochent pas des séjours du magasin",
            fix: "aucun relevé n'a été écrit : une étape en amont a perdu, doublé ou modifié des séjours ; "
                + "signalez l'anomalie avec l'historique de l'exécution")
    }

    /// Throws when the figures do not reconcile, naming each provider and difference.
    static func check(payouts: [ProviderPayout], lines: [PayoutLine], month: FinanceMonth, stage: String) throws {
        try fail(
            mismatches(payouts: payouts, lines: lines), stage: stage,
            what: "les chiffres de \(month.frenchName) ne se rapprochent pas",
            fix: "aucun relevé n'a été écrit : vérifiez les étapes de commission et de frais en amont, "
                + "puis signalez l'anomalie si elle persiste")
    }

    private static func fail(_ problems: [Mismatch], stage: String, what: String, fix: String) throws {
        guard !problems.isEmpty else { return }
        throw StageError(
            stage: stage, message: "\(what) : " + problems.map(\.description).joined(separator: " ; "), fix: fix)
    }
}
