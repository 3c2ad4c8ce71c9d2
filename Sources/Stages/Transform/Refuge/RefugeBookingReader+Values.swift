import Foundation
import PasserelleCore

/// The typed values of a booking row: typed by the ingest's column mapping, or read here from text when the
/// pipeline declared a column as plain text.
extension RefugeBookingReader {
    /// The header as written in the user's file (the field's name when unknown).
    func header(_ field: String) -> String {
        table.column(field).flatMap { table.fields[$0].header } ?? field
    }

    func optionalText(_ field: String, _ row: Row) -> String? {
        let value = table.value(field, in: row)
        let text = value.text?.trimmingWhitespace() ?? (value.isNull ? "" : value.storageText)
        return text.isEmpty ? nil : text
    }

    func text(_ field: String, _ row: Row, _ problems: inout Problems) -> String? {
        if let text = optionalText(field, row) { return text }
        problems.reasons.append(RefugeDiagnostics.missingValue(header(field), at: table.location(of: field, in: row)))
        return nil
    }

    func dateTime(_ field: String, _ row: Row, _ problems: inout Problems) -> LocalDateTime? {
        typed(field, row, &problems, accepted: "une date et une heure, par exemple 14/07/2026 17:45") {
            $0.dateTime ?? $0.text.flatMap { ValueParser.dateTime(.text($0)) }
        }
    }

    func date(_ field: String, _ row: Row, _ problems: inout Problems) -> CalendarDate? {
        typed(field, row, &problems, accepted: "une date au format jj/mm/aaaa") {
            $0.date ?? $0.dateTime?.date ?? $0.text.flatMap { CalendarDate.parse($0) }
        }
    }

    func integer(_ field: String, _ row: Row, _ problems: inout Problems) -> Int64? {
        typed(field, row, &problems, accepted: "un nombre entier, par exemple 2") {
            $0.integer ?? $0.text.flatMap { Int64($0.trimmingWhitespace()) }
        }
    }

    /// An optional amount: nil when empty, rejected when unreadable.
    func money(_ field: String, _ row: Row, _ problems: inout Problems) -> Money? {
        guard table.column(field) != nil, !table.value(field, in: row).isNull else { return nil }
        return typed(field, row, &problems, accepted: "un montant en euros, par exemple 64,00") {
            $0.money ?? $0.text.flatMap { Money.parse($0) }
        }
    }

    func source(_ row: Row, _ problems: inout Problems) -> RefugeBookingSource? {
        typed("source", row, &problems, accepted: "En ligne ou Téléphone") { value in
            value.text.flatMap { Self.sourceSpellings[HeaderMatcher.normalize($0)] }
        }
    }

    /// The status if given (nil when the column is absent or empty: derived from the refuge's payment terms).
    func status(_ row: Row, _ problems: inout Problems) -> RefugeBookingStatus? {
        guard optionalText("status", row) != nil else { return nil }
        return typed("status", row, &problems, accepted: "Réservation, Pré-réservation ou Annulée") { value in
            value.text.flatMap { Self.statusSpellings[HeaderMatcher.normalize($0)] }
        }
    }

    /// `PIQUE-NIQUE:2, DRAP` (a code without quantity counts one), items separated by `,` or `+`.
    func supplements(_ row: Row, _ problems: inout Problems) -> [RefugeOrderItem] {
        guard let text = optionalText("supplements", row) else { return [] }
        var items: [RefugeOrderItem] = []
        for piece in text.split(whereSeparator: { $0 == "," || $0 == "+" }) {
            let parts = piece.split(separator: ":", maxSplits: 1).map { $0.trimmingWhitespace() }
            let quantity = parts.count == 2 ? Int64(parts[1]) : 1
            guard let code = parts.first, !code.isEmpty, let quantity else {
                problems.reasons.append(
                    RefugeDiagnostics.unreadableValue(
                        header("supplements"), text,
                        accepted: "les suppléments sous la forme CODE:quantité, par "
                            + "exemple PIQUE-NIQUE:2, DRAP:1", at: table.location(of: "supplements", in: row)))
                return []
            }
            items.append(RefugeOrderItem(code: code, quantity: quantity))
        }
        return items
    }

    /// A required value read by `read`: missing and unreadable values are both reported.
    private func typed<T>(
        _ field: String, _ row: Row, _ problems: inout Problems, accepted: String, _ read: (Value) -> T?
    ) -> T? {
        let value = table.value(field, in: row)
        if let typed = read(value) { return typed }
        let location = table.location(of: field, in: row)
        if value.isNull || value.text?.trimmingWhitespace().isEmpty == true {
            problems.reasons.append(RefugeDiagnostics.missingValue(header(field), at: location))
        } else {
            problems.reasons.append(
                RefugeDiagnostics.unreadableValue(header(field), value.frenchText, accepted: accepted, at: location))
        }
        return nil
    }
}
