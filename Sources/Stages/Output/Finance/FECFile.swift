import Foundation
import PasserelleCore

/// The text of an FEC file (Fichier des Écritures Comptables, LPF art. L47 A, A47 A-1; formats.md section 3).
///
/// 18 columns in the official order, header line first, tab-separated (a tab inside a label becomes a space, so
/// the separator stays unique), amounts with a decimal comma and no thousands separator, dates `AAAAMMJJ`, lines
/// ending CRLF with none after the last. Encoded ISO 8859-15 by default (characters outside it are written
/// without their accent, or `?`), or UTF-8.
enum FECFile {
    static let header = [
        "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
        "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
        "ValidDate", "Montantdevise", "Idevise",
    ]

    /// One line of an entry.
    struct Line: Sendable, Hashable {
        var journalCode: String
        var journalLabel: String
        var entryNumber: String
        var date: CalendarDate
        var account: String
        var accountLabel: String
        var auxiliaryAccount: String = ""
        var auxiliaryLabel: String = ""
        var pieceReference: String
        var label: String
        var debit: Money = .zero
        var credit: Money = .zero

        var fields: [String] {
            [
                journalCode, journalLabel, entryNumber, FECFile.date(date), account, accountLabel, auxiliaryAccount,
                auxiliaryLabel, pieceReference, FECFile.date(date), label, FECFile.amount(debit),
                FECFile.amount(credit), "", "", FECFile.date(date), "", "",
            ]
        }
    }

    /// The whole file's text.
    static func text(_ lines: [Line]) -> String {
        ([header] + lines.map(\.fields)).map { $0.map(clean).joined(separator: "\t") }.joined(separator: "\r\n")
    }

    /// The file's bytes in the chosen encoding.
    static func data(_ text: String, latin9: Bool) -> Data {
        latin9 ? Data(text.unicodeScalars.map(latin9Byte)) : Data(text.utf8)
    }

    /// `<SIREN>FEC<AAAAMMJJ>.txt`, with the closing date of the fiscal year.
    static func fileName(siren: String, closing: CalendarDate) -> String { "\(siren)FEC\(date(closing)).txt" }

    /// `1293,41`, `-12,00`: decimal comma, sign first, no thousands separator.
    static func amount(_ money: Money) -> String {
        let sign = money.cents < 0 ? "-" : ""
        let value = abs(money.cents)
        return "\(sign)\(value / 100),\(String(format2: Int(value % 100)))"
    }

    /// `20270430`.
    static func date(_ date: CalendarDate) -> String { date.description.replacingOccurrences(of: "-", with: "") }

    /// Whether every entry balances (debits = credits per entry number).
    static func unbalancedEntries(_ lines: [Line]) -> [String] {
        let byEntry = Dictionary(grouping: lines, by: \.entryNumber)
        return byEntry.filter { _, lines in
            lines.reduce(Money.zero) { $0 + $1.debit } != lines.reduce(Money.zero) { $0 + $1.credit }
        }.keys.sorted()
    }

    private static func clean(_ field: String) -> String {
        String(field.map { $0 == "\t" || $0 == "\r" || $0 == "\n" ? " " : $0 })
    }

    /// ISO 8859-15: Latin-1 but for eight code points (€ Š š Ž ž Œ œ Ÿ).
    private static func latin9Byte(_ scalar: Unicode.Scalar) -> UInt8 {
        let special: [UInt32: UInt8] = [
            0x20AC: 0xA4, 0x160: 0xA6, 0x161: 0xA8, 0x17D: 0xB4, 0x17E: 0xB8, 0x152: 0xBC, 0x153: 0xBD, 0x178: 0xBE,
        ]
        if let byte = special[scalar.value] { return byte }
        let replaced: Set<UInt32> = [0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC, 0xBD, 0xBE]
        if scalar.value < 0x100 && !replaced.contains(scalar.value) { return UInt8(scalar.value) }
        let folded = String(scalar).folding(options: .diacriticInsensitive, locale: nil).unicodeScalars
        if folded.count == 1, let first = folded.first, first.value < 0x80 { return UInt8(first.value) }
        return UInt8(ascii: "?")
    }
}
