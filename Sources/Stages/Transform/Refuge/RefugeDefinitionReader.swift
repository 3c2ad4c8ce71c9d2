import Foundation
import PasserelleCore
import PasserelleSpec
import Yams

/// A refuge definition that cannot be used: every mistake found in the file, each with its line and column.
///
/// Rendered as the pipeline checker renders a definition's mistakes: `file:line:column: error: …`, the line
/// with a caret under the value, then `fix:`.
struct RefugeDefinitionError: DiagnosticConvertible, CustomStringConvertible {
    var path: String
    var diagnostics: [Diagnostic]
    /// The file's lines, for the caret snippets.
    var sourceLines: [Substring]

    var description: String {
        let count = diagnostics.count
        let header = "refuge definition \(path) has \(count) error\(count == 1 ? "" : "s"); fix them and run again"
        return ([header] + diagnostics.map { $0.rendered(source: sourceLines) }).joined(separator: "\n")
    }
}

/// Reads the scalars and mappings of a refuge definition, collecting a `Diagnostic` for each mistake
/// (rules `refuge.definition.*`) instead of stopping at the first.
struct RefugeDefinitionReader {
    let path: String
    var diagnostics: [Diagnostic] = []

    init(path: String) { self.path = path }

    func location(_ node: Node) -> SourceLocation {
        .yaml(file: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func report(_ reason: String, _ node: Node, _ message: String, found: String? = nil, fix: String) {
        diagnostics.append(
            Diagnostic(
                rule: "refuge.definition.\(reason)", location: location(node), message: message,
                found: found ?? node.scalar?.string, fix: fix))
    }

    /// Reports keys of `mapping` not in `known`, with a did-you-mean.
    mutating func checkKeys(_ mapping: Node.Mapping, known: [String], context: String) {
        for (key, _) in mapping {
            guard let name = key.scalar?.string, !known.contains(name) else { continue }
            let fix =
                Suggestion.nearest(to: name, in: known).map { "did you mean '\($0)'?" }
                ?? "remove it; the keys allowed here are " + known.map { "'\($0)'" }.joined(separator: ", ")
            report("unknown_key", key, "unknown key '\(name)' \(context)", found: name, fix: fix)
        }
    }

    /// The value of a key that must be there, or nil after reporting it missing (at `parent`).
    mutating func required(_ mapping: Node.Mapping, _ key: String, in parent: Node, context: String) -> Node? {
        if let node = mapping[key], !Self.isNull(node) { return node }
        report(
            "missing_key", parent, "\(context) has no '\(key)'", found: "",
            fix: "add '\(key):' (see sample-data/channels/refuge-des-aiguilles.yml)")
        return nil
    }

    /// A mapping, or nil after reporting what was found instead.
    mutating func mapping(_ node: Node, _ key: String, example: String) -> Node.Mapping? {
        if let mapping = node.mapping { return mapping }
        report(
            "wrong_type", node, "'\(key)' must be a mapping, found \(Self.describe(node))",
            fix: "write it as \(example)")
        return nil
    }

    /// Non-empty text.
    mutating func text(_ node: Node, _ key: String) -> String? {
        if let text = node.scalar?.string.trimmingWhitespace(), !text.isEmpty { return text }
        report(
            "wrong_type", node, "'\(key)' must be a text, found \(Self.describe(node))",
            fix: "write a text after '\(key):'")
        return nil
    }

    /// A whole number within `range`.
    mutating func integer(
        _ node: Node, _ key: String, in range: ClosedRange<Int>, fix: String = "write a number without unit"
    ) -> Int? {
        if let text = node.scalar?.string, let number = Int(text.trimmingWhitespace()), range.contains(number) {
            return number
        }
        let bounds =
            range.upperBound == Int.max ? "\(range.lowerBound) or more" : "\(range.lowerBound) to \(range.upperBound)"
        report("invalid_value", node, "'\(key)' must be a whole number from \(bounds)", fix: fix)
        return nil
    }

    /// `true`/`false` (also yes/no, oui/non).
    mutating func bool(_ node: Node, _ key: String) -> Bool? {
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "oui": return true
        case "false", "no", "non": return false
        default:
            report("invalid_value", node, "'\(key)' must be true or false", fix: "write \(key): true or \(key): false")
            return nil
        }
    }

    /// A date written `2026-07-14` or `14/07/2026`.
    mutating func date(_ node: Node, _ key: String) -> CalendarDate? {
        if let date = node.scalar.flatMap({ CalendarDate.parse($0.string) }) { return date }
        report("invalid_value", node, "'\(key)' must be a date", fix: "write the date as 2026-07-14 or 14/07/2026")
        return nil
    }

    /// An amount in euros: `"32,00"`, `32.5`, `32`.
    mutating func money(_ node: Node, _ key: String) -> Money? {
        if let money = node.scalar.flatMap({ Money.parse($0.string) }), money >= .zero { return money }
        report(
            "invalid_value", node, "'\(key)' must be an amount in euros", fix: "write it as \"32,00\" (quoted) or 32.00"
        )
        return nil
    }

    /// A time of day `16:00` (Paris time), as seconds into the day.
    mutating func clock(_ node: Node, _ key: String) -> Int? {
        if let seconds = node.scalar.flatMap({ LocalDateTime.clock($0.string.trimmingWhitespace()) }) { return seconds }
        report("invalid_value", node, "'\(key)' must be a time of day", fix: "write it as \"16:00\" (quoted)")
        return nil
    }

    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): "'\(scalar.string)'"
        case .alias: "an alias"
        }
    }
}
