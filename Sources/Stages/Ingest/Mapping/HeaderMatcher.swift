import Foundation
import PasserelleCore
import PasserelleSpec

/// Normalises header and enumeration text so that spellings users consider the same compare equal.
///
/// French files carry the same header as `E-mail client`, `e-mail  CLIENT ` or `E-mail\u{A0}client`, and
/// statuses as `Confirmé`, `confirme` or `CONFIRMÉ`: all normalise to `e-mail client` and `confirme`.
package enum HeaderMatcher {
    /// Trims, turns NBSP, narrow NBSP and other spaces into one space, folds case, strips diacritics, expands
    /// `œ`/`æ`, turns typographic apostrophes into `'`, and returns NFC text.
    ///
    /// ```swift
    /// HeaderMatcher.normalize("  Pré-réservation\u{202F}")   // "pre-reservation"
    /// HeaderMatcher.normalize("Cœur  DU Séjour")             // "coeur du sejour"
    /// ```
    package static func normalize(_ text: some StringProtocol) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return normalizeASCII(text) }
        var scalars = String.UnicodeScalarView()
        for scalar in String(text).decomposedStringWithCanonicalMapping.unicodeScalars {
            appendFolded(scalar, to: &scalars)
        }
        return collapseSpaces(String(scalars)).precomposedStringWithCanonicalMapping
    }

    /// Appends one scalar lowercased, without its combining marks, ligatures expanded.
    private static func appendFolded(_ scalar: Unicode.Scalar, to scalars: inout String.UnicodeScalarView) {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return
        default: break
        }
        switch scalar {
        case "œ", "Œ": scalars.append(contentsOf: "oe".unicodeScalars)
        case "æ", "Æ": scalars.append(contentsOf: "ae".unicodeScalars)
        case "\u{2019}", "\u{2018}", "\u{02BC}": scalars.append("'")
        default:
            if scalar.properties.isWhitespace {
                scalars.append(" ")
            } else {
                scalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
    }

    /// Trims and collapses runs of whitespace into one ASCII space.
    private static func collapseSpaces(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for character in text {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.append(character)
        }
        return result
    }
}

/// Where each field of a pipeline's column mapping is in a header row, and which required fields are missing.
///
/// Headers are compared after `HeaderMatcher.normalize`, so order, case, accents and stray spaces do not
/// matter. Each field takes the first column matching one of its accepted headers (tried in the order the
/// pipeline lists them) that no earlier field took.
///
/// ```swift
/// let match = HeaderMatch(specs: [ColumnSpec(name: "email", headers: ["E-mail client", "Courriel"])],
///                         header: ["Code", "COURRIEL "])
/// match.column(of: "email")   // 1
/// ```
package struct HeaderMatch: Sendable, Equatable {
    /// Field name → 0-based index of its column in the header row.
    package var columns: [String: Int]
    /// Required fields that no header matched, in the order of the specs.
    package var missing: [MissingColumn]

    /// A required field without a column, with what was expected, what was found and the closest header.
    package struct MissingColumn: Sendable, Equatable {
        package var field: String
        package var expected: [String]
        package var found: [String]
        /// The unmatched header closest to one of the expected ones, when it is close enough to be a typo.
        package var nearest: String?

        /// `column for 'email' not found: expected one of "E-mail client", "Courriel"; headers found: …`.
        package var message: String {
            let quoted = { (names: [String]) in names.map { "\"\($0)\"" }.joined(separator: ", ") }
            var text = "column for '\(field)' not found: expected one of \(quoted(expected)); "
            text += "headers found: \(quoted(found))"
            if let nearest { text += "; nearest: \"\(nearest)\"" }
            return text
        }

        /// The remedy shown with the message.
        package var fix: String {
            if let nearest {
                return "rename the column \"\(nearest)\" to \"\(expected.first ?? field)\", "
                    + "or add \"\(nearest)\" to the headers of '\(field)' in the pipeline"
            }
            return "add a column \"\(expected.first ?? field)\" to the file, "
                + "or list the file's header for '\(field)' in the pipeline"
        }

        /// The finding, rule `ingest.header.missing_column`, at the header row's location.
        package func diagnostic(at location: SourceLocation) -> Diagnostic {
            Diagnostic(rule: "ingest.header.missing_column", location: location, message: message, fix: fix)
        }
    }

    /// Matches `specs` against one header row.
    package init(specs: [ColumnSpec], header: [String]) {
        let normalized = header.map { HeaderMatcher.normalize($0) }
        let accepted = specs.map { $0.headers.map { HeaderMatcher.normalize($0) } }
        let columns = Self.columns(specs: specs, accepted: accepted, in: normalized)
        let taken = Set(columns.values)
        let unmatched = specs.filter { $0.isRequired && columns[$0.name] == nil }
        self.columns = columns
        let free = header.indices.filter { !taken.contains($0) && !normalized[$0].isEmpty }.map { header[$0] }
        missing = unmatched.map { spec in
            MissingColumn(
                field: spec.name, expected: spec.headers, found: header,
                nearest: Self.nearest(to: spec.headers, among: free))
        }
    }

    /// Whether every required field has a column.
    package var isComplete: Bool { missing.isEmpty }

    /// The 0-based column of a field, if it was found.
    package func column(of field: String) -> Int? { columns[field] }

    /// Field name → column: each field takes the first column matching one of its `accepted` headers (normalised,
    /// in the specs' order) that no earlier field took.
    private static func columns(specs: [ColumnSpec], accepted: [[String]], in normalized: [String]) -> [String: Int] {
        var columns: [String: Int] = [:]
        var taken = Set<Int>()
        for (spec, headers) in zip(specs, accepted) {
            if let index = firstColumn(among: headers, in: normalized, excluding: taken) {
                columns[spec.name] = index
                taken.insert(index)
            }
        }
        return columns
    }

    private static func firstColumn(among accepted: [String], in normalized: [String], excluding taken: Set<Int>)
        -> Int?
    {
        for header in accepted {
            if let index = normalized.indices.first(where: { normalized[$0] == header && !taken.contains($0) }) {
                return index
            }
        }
        return nil
    }

    /// The candidate closest to any expected header, if within a third of its length (at least 2 edits).
    static func nearest(to expected: [String], among candidates: [String]) -> String? {
        var best: (header: String, distance: Int)?
        for candidate in candidates {
            let key = HeaderMatcher.normalize(candidate)
            for name in expected {
                let target = HeaderMatcher.normalize(name)
                let distance = Suggestion.distance(key, target)
                let limit = max(2, target.count / 3)
                if distance <= limit && distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
            }
        }
        return best?.header
    }

    /// The row, among the first `searchDepth`, that matches the most required fields (all fields when none is
    /// required): the header under a title block such as "Export des séjours du 12/02/2026". Nil when no row
    /// matches any field; the first such row wins a tie.
    package static func findHeaderRow(rows: [[String]], specs: [ColumnSpec]) -> Int? {
        let required = specs.filter(\.isRequired)
        let counted = required.isEmpty ? specs : required
        let accepted = counted.map { $0.headers.map { HeaderMatcher.normalize($0) } }
        var best: (row: Int, score: Int)?
        for (index, row) in rows.prefix(searchDepth).enumerated() {
            // Only the count of matched fields: the did-you-mean of a full `HeaderMatch` is not needed here.
            let score = columns(specs: counted, accepted: accepted, in: row.map { HeaderMatcher.normalize($0) }).count
            if score > 0 && score > (best?.score ?? 0) { best = (index, score) }
        }
        return best?.row
    }

    /// How many rows `findHeaderRow` looks at.
    package static let searchDepth = 20
}
