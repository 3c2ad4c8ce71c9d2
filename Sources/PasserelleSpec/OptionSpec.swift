import Foundation
import PasserelleCore

/// The schema of one option of a stage kind: its key, type, whether it is required, and its documentation.
///
/// Each stage kind declares its options as a list of these; `check` walks a definition against them,
/// so unknown keys and wrong types are reported with their line and column before anything runs.
package struct OptionSpec: Sendable {
    package var key: String
    package var type: OptionType
    package var isRequired: Bool
    package var summary: String

    package init(_ key: String, _ type: OptionType, required: Bool = false, _ summary: String) {
        self.key = key
        self.type = type
        self.isRequired = required
        self.summary = summary
    }
}

/// The types an option can have.
package indirect enum OptionType: Sendable {
    case string
    /// A file or folder, relative to the definition file; `mustExist` files are checked by `check`.
    case path(mustExist: Bool)
    case integer
    case boolean
    /// One of a fixed set of words.
    case choice([String])
    case list(OptionType)
    /// A mapping with free keys, all values of one type.
    case map(OptionType)
    /// A mapping with known keys.
    case object([OptionSpec])
    /// A column mapping: field → headers list, or field → { headers, type, required, values }.
    case columns
    /// A scalar of a value type that parses itself (a percentage, an amount, a date, a month, a SIREN).
    case value(OptionValueType)

    /// How the type is named in messages.
    package var displayName: String {
        switch self {
        case .string: "a string"
        case .path: "a path"
        case .integer: "an integer"
        case .boolean: "true or false"
        case .choice(let words): "one of " + words.map { "'\($0)'" }.joined(separator: ", ")
        case .list(let element): "a list of \(element.pluralName)"
        case .map(let value): "a mapping of names to \(value.pluralName)"
        case .object: "a mapping"
        case .columns: "a column mapping"
        case .value(let type): type.displayName
        }
    }

    private var pluralName: String {
        switch self {
        case .string: "strings"
        case .path: "paths"
        case .integer: "integers"
        case .boolean: "booleans"
        case .value(.percentage): "percentages"
        case .value(.date): "dates"
        default: "values"
        }
    }
}

/// A checked option value.
package indirect enum OptionValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case list([OptionValue])
    /// Keys in the order written.
    case map([String], [String: OptionValue])
    case columns([ColumnSpec])
}

/// The checked options of one stage, read by the stage's initialiser.
package struct OptionValues: Sendable {
    package var values: [String: OptionValue]
    /// Where each option value is written, by its path: `rate`, `rates[2].from`, `seller.siren`.
    package var locations: [String: SourceLocation]

    package init(_ values: [String: OptionValue] = [:], locations: [String: SourceLocation] = [:]) {
        self.values = values
        self.locations = locations
    }

    /// Where the option at `path` is written, if it is.
    package func location(of path: String) -> SourceLocation? { locations[path] }

    /// A percentage option (`OptionType.value(.percentage)`) as basis points.
    package func basisPoints(_ key: String) -> Int64? { string(key).flatMap(Percentage.basisPoints) }

    package func string(_ key: String) -> String? {
        if case .string(let value)? = values[key] { return value }
        return nil
    }

    package func integer(_ key: String) -> Int? {
        if case .integer(let value)? = values[key] { return value }
        return nil
    }

    package func boolean(_ key: String) -> Bool? {
        if case .boolean(let value)? = values[key] { return value }
        return nil
    }

    package func strings(_ key: String) -> [String]? {
        guard case .list(let items)? = values[key] else { return nil }
        return items.compactMap { item in  // the checker guarantees string elements
            if case .string(let value) = item { return value }
            return nil
        }
    }

    package func columns(_ key: String) -> [ColumnSpec]? {
        if case .columns(let value)? = values[key] { return value }
        return nil
    }

    /// A nested mapping (`object` or `map` option) as its own option values.
    package func object(_ key: String) -> OptionValues? {
        guard case .map(_, let value)? = values[key] else { return nil }
        return OptionValues(value, locations: nested(key))
    }

    /// The locations under `prefix`, with the prefix removed.
    private func nested(_ prefix: String) -> [String: SourceLocation] {
        var inner: [String: SourceLocation] = [:]
        for (path, location) in locations where path.hasPrefix(prefix + ".") {
            inner[String(path.dropFirst(prefix.count + 1))] = location
        }
        return inner
    }

    /// The keys of a `map` option in the order written.
    package func keys(_ key: String) -> [String] {
        if case .map(let keys, _)? = values[key] { return keys }
        return []
    }
}
