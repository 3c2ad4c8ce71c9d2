import Foundation
import PasserelleCore
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
