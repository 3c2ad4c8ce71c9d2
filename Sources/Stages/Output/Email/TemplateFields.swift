import Foundation
import PasserelleCore
import PasserelleEngine

/// The fields a Mustache template names, each at its line and column, so that `check` verifies them against
/// the table the messages are made from (a field the table lacks renders as nothing, silently).
///
/// Hand-written: swift-mustache parses a template but does not expose its tags or their places. Reads the tags
/// `{{name}}`, `{{{name}}}`, `{{& name}}`, `{{#name}}` and `{{^name}}` written on one line; comments,
/// partials, closing tags and delimiter changes name no field. `{{date_iso}}` names the date field `date`
/// (its ISO form), `{{a.b}}` the field `a`.
enum TemplateFields {
    static func scan(_ source: String, file: String) -> [FieldReference] {
        var fields: [FieldReference] = []
        for (number, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line[...]
            while let open = rest.range(of: "{{") {
                guard let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else { break }
                var tag = rest[open.upperBound..<close.lowerBound]
                rest = rest[close.upperBound...]
                if rest.first == "}" { rest = rest.dropFirst() }  // the third brace of {{{name}}}
                guard let sigil = tag.first else { continue }
                if "!/>=".contains(sigil) { continue }
                if "{&#^".contains(sigil) { tag = tag.dropFirst() }
                let name = tag.trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, name != "." else { continue }
                var field = String(name.split(separator: ".", maxSplits: 1).first ?? "")
                var expected: FieldType?
                if field.hasSuffix("_iso") {
                    field.removeLast(4)
                    expected = .date
                }
                let offset =
                    line.distance(from: line.startIndex, to: tag.startIndex)
                    + (tag.prefix { $0 == " " }.count)
                fields.append(
                    FieldReference(
                        field, at: .yaml(file: file, line: number + 1, column: offset + 1), role: "template field",
                        expected: expected))
            }
        }
        return fields
    }
}
