/// A typed value of a mapped column, after the column mapping has read the raw cell.
package enum Value: Sendable, Hashable {
    case null
    case text(String)
    case integer(Int64)
    case money(Money)
    case date(CalendarDate)
    /// A Europe/Paris wall-clock date and time (when a booking was taken).
    case dateTime(LocalDateTime)
    /// A percentage in basis points: 17 % is 1700.
    case percent(Int64)
    case bool(Bool)

    package var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    package var date: CalendarDate? {
        if case .date(let value) = self { return value }
        return nil
    }

    package var dateTime: LocalDateTime? {
        if case .dateTime(let value) = self { return value }
        return nil
    }

    package var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    package var money: Money? {
        if case .money(let value) = self { return value }
        return nil
    }

    package var percent: Int64? {
        if case .percent(let value) = self { return value }
        return nil
    }

    package var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    package var isNull: Bool { self == .null }

    /// A stable, locale-free text form: used in the store, manifests and change records.
    package var storageText: String {
        switch self {
        case .null: ""
        case .text(let value): value
        case .integer(let value): String(value)
        case .money(let value): value.description
        case .date(let value): value.description
        case .dateTime(let value): value.description
        case .percent(let value): "\(value / 100).\(String(format2: Int(abs(value) % 100)))"
        case .bool(let value): value ? "true" : "false"
        }
    }

    /// The French display form used in reports: `12/02/2026`, `14/07/2026 17:45`, `1 234,50 €`, `17,00 %`, `Oui`.
    package var frenchText: String {
        switch self {
        case .null: ""
        case .text(let value): value
        case .integer(let value): String(value)
        case .money(let value): value.frenchText
        case .date(let value): value.frenchText
        case .dateTime(let value): value.frenchText
        case .percent(let value): "\(value / 100),\(String(format2: Int(abs(value) % 100)))\u{A0}%"
        case .bool(let value): value ? "Oui" : "Non"
        }
    }
}
