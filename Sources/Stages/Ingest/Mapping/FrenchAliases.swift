/// Ready-made enumeration tables for the values French booking software writes (canonical key → spellings).
///
/// Pipelines reference them instead of repeating the lists; matching normalises case, accents and spaces
/// (`HeaderMatcher.normalize`), so `Confirmé`, `CONFIRMÉ` and `confirme` are one spelling, and the canonical key
/// itself is always accepted. The first spelling of each key is the one shown to users in fixes.
///
/// ```swift
/// ColumnSpec(name: "status", headers: ["Statut"], type: .enumeration, values: FrenchAliases.stayStatus)
/// ```
package enum FrenchAliases {
    /// Stay status (domain.md: *confirmé*, *annulé*, *pré-réservation*).
    package static let stayStatus: [String: [String]] = [
        "confirmed": ["Confirmé", "Confirmée", "Confirme", "OK"],
        "cancelled": ["Annulé", "Annulée", "Annulation"],
        "pre_booking": ["Pré-réservation", "Pré-résa", "Option", "Prereservation", "Pré réservation"],
    ]

    /// Payment mode (domain.md rule 8: card, PayPal, cheque; transfers also appear in exports).
    package static let paymentMode: [String: [String]] = [
        "card": ["Carte bancaire", "CB", "Carte", "Visa", "Mastercard"],
        "paypal": ["PayPal", "Paypal"],
        "cheque": ["Chèque", "Cheque", "Chq"],
        "transfer": ["Virement"],
    ]

    /// Sale type: business, consumer, or sold at a ticket office desk.
    package static let saleType: [String: [String]] = [
        "b2b": ["B2B"],
        "b2c": ["B2C"],
        "desk": ["Retrait caisse", "Caisse"],
    ]

    /// Yes/no as an enumeration (a `boolean` column accepts the same spellings and yields a Bool).
    package static let yesNo: [String: [String]] = [
        "yes": ["Oui", "O", "Yes", "Y", "Vrai", "True", "1", "X"],
        "no": ["Non", "N", "No", "Faux", "False", "0"],
    ]
}
