import Foundation
import Mustache

/// A Mustache template made only of text and variable tags, compiled once into literal pieces and field
/// references, rendered per message by concatenation.
///
/// Hand-written: swift-mustache's `render` (a dynamic context lookup and cast per tag) was 15 % of the CPU
/// of a 100 000-stay import (`perf record` on `passerelle-bench --measures daily_import`). Only templates with
/// nothing but `{{name}}`, `{{{name}}}` and `{{& name}}` tags are compiled; any other tag (sections,
/// comments, partials, dotted names, delimiter changes) keeps swift-mustache. The compiled form is checked
/// against swift-mustache once, on values holding every character HTML escaping changes, and dropped if the
/// two disagree, so both always give the same text.
///
/// ```swift
/// let flat = FlatTemplate(source: "Bonjour {{{first_name}}}", template: try MustacheTemplate(string: source))
/// flat?.render { $0 == "first_name" ? "Marie" : "" }  // "Bonjour Marie"
/// ```
struct FlatTemplate: Sendable {
    enum Piece: Sendable, Equatable {
        case literal(String)
        case field(String, escaped: Bool)
    }

    let pieces: [Piece]
    /// The names the template reads, one per field piece, in order.
    let fieldNames: [String]

    /// Compiles `source`, or returns nil when it is not flat or renders differently from `template`.
    init?(source: String, template: MustacheTemplate) {
        guard let pieces = Self.parse(source) else { return nil }
        self.pieces = pieces
        fieldNames = pieces.compactMap { if case .field(let name, _) = $0 { name } else { nil } }
        var probe: [String: String] = [:]
        for (i, name) in fieldNames.enumerated() { probe[name] = "<a&b> \"c\" 'd' é \(i)" }
        guard render({ probe[$0] ?? "" }) == template.render(probe) else { return nil }
    }

    /// The text with each field's value from `value` (HTML-escaped for `{{name}}`, as is for `{{{name}}}`).
    func render(_ value: (String) -> String) -> String { renderByPosition { value(fieldNames[$0]) } }

    /// The text with the value of the template's `n`th field (in `fieldNames` order) from `value(n)`.
    func renderByPosition(_ value: (Int) -> String) -> String {
        var output = ""
        output.reserveCapacity(1024)
        var position = 0
        for piece in pieces {
            switch piece {
            case .literal(let text): output += text
            case .field(_, let escaped):
                let text = value(position)
                position += 1
                if escaped { Self.appendEscaped(text, to: &output) } else { output += text }
            }
        }
        return output
    }

    /// swift-mustache's HTML escaping: `<`, `>`, `&`, `"` and `'`.
    private static func appendEscaped(_ text: String, to output: inout String) {
        guard text.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else {
            output += text
            return
        }
        for character in text {
            switch character {
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "&": output += "&amp;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
    }

    /// The pieces of a template with only variable tags; nil for any other tag.
    private static func parse(_ source: String) -> [Piece]? {
        var pieces: [Piece] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { pieces.append(.literal(String(rest[..<open.lowerBound]))) }
            let afterOpen = rest[open.upperBound...]
            let triple = afterOpen.hasPrefix("{")
            let closing = triple ? "}}}" : "}}"
            guard let close = afterOpen.range(of: closing) else { return nil }
            var tag = afterOpen[afterOpen.startIndex..<close.lowerBound]
            if triple { tag = tag.dropFirst() }
            let ampersand = !triple && tag.hasPrefix("&")
            if ampersand { tag = tag.dropFirst() }
            let name = tag.trimmedSpaces()
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(isNameScalar) else { return nil }
            pieces.append(.field(name, escaped: !triple && !ampersand))
            rest = afterOpen[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.literal(String(rest))) }
        return pieces
    }

    /// Letters, digits and `_`: anything else (`#`, `^`, `/`, `!`, `>`, `=`, `.`) is another kind of tag.
    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}

extension Substring {
    fileprivate func trimmedSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
