import Foundation
import PasserelleCore
import Yams

/// Did-you-mean suggestions by edit distance, with a floor as swift-argument-parser's.
package enum Suggestion {
    /// Distances at or above this are too far to suggest (argument-parser's `kSimilarityFloor`).
    package static let similarityFloor = 4

    /// The closest candidate to `word`, if one is close enough.
    package static func nearest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
        return best.1 < similarityFloor && best.1 < max(word.count, 2) ? best.0 : nil
    }

    /// The diagnostic for a key that is not allowed where it is written: a did-you-mean when one key is close,
    /// else the list of keys allowed (the definition and side files say it the same way).
    package static func unknownKey(_ name: String, known: [String], context: String, at location: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            rule: "spec.unknown_key", location: location, message: "unknown key '\(name)' \(context)", found: name,
            fix: nearest(to: name, in: known).map { "did you mean '\($0)'?" }
                ?? "remove it; the keys allowed here are " + known.map { "'\($0)'" }.joined(separator: ", "))
    }

    /// A diagnostic for each key of `mapping` that is not in `known` (renamed duplicates are reported elsewhere).
    static func unknownKeys(
        in mapping: Node.Mapping, known: [String], context: String, location: (Node) -> SourceLocation
    ) -> [Diagnostic] {
        mapping.compactMap { key, _ in
            guard let name = key.string, !known.contains(name), !name.contains("__duplicate_") else { return nil }
            return unknownKey(name, known: known, context: context, at: location(key))
        }
    }

    /// Levenshtein distance between two strings, by characters.
    package static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
