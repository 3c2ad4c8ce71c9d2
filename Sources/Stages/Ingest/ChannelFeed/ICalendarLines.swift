import Foundation
import PasserelleCore

/// One unfolded iCalendar content line: `NAME;PARAM=VALUE:value`, with the number of its first physical line.
struct ICalendarLine: Sendable, Hashable {
    var name: String
    var parameters: [String: String]
    var value: String
    /// 1-based number of the line's first physical line in the file.
    var line: Int
}

/// Unfolds and splits an iCalendar file into content lines (RFC 5545 §3.1).
///
/// Hand-written: the format is line-based and tiny. Folding is undone on bytes before decoding, so a
/// multi-byte UTF-8 character split across a fold is rejoined; lines end with CRLF or bare LF; a
/// continuation starts with one space or tab (formats.md 1a, quirk 4). A leading BOM is skipped (quirk 5).
enum ICalendarLines {
    /// A line that is not `NAME[;PARAMS]:value`, with its line number.
    struct Malformed: Error, Sendable, Hashable {
        var line: Int
        var text: String
    }

    /// The content lines of `data`, and the malformed ones (reported, not thrown, so one bad line costs one event).
    static func parse(_ data: Data) -> (lines: [ICalendarLine], malformed: [Malformed]) {
        var lines: [ICalendarLine] = []
        var malformed: [Malformed] = []
        for (number, bytes) in unfold(data) {
            let text = String(decoding: bytes, as: UTF8.self)
            if text.allSatisfy(\.isWhitespace) { continue }
            if let line = contentLine(text, number: number) {
                lines.append(line)
            } else {
                malformed.append(Malformed(line: number, text: text))
            }
        }
        return (lines, malformed)
    }

    /// Physical lines joined with their continuations, each with the number of its first physical line.
    static func unfold(_ data: Data) -> [(Int, [UInt8])] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var result: [(Int, [UInt8])] = []
        var number = 0
        for var physical in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            if physical.last == 0x0D { physical.removeLast() }
            if let first = physical.first, first == 0x20 || first == 0x09, !result.isEmpty {
                result[result.count - 1].1 += physical.dropFirst()
            } else if !physical.isEmpty {
                result.append((number, Array(physical)))
            }
        }
        return result
    }

    /// Splits `NAME;P=V;Q="a:b":value`; the value starts at the first colon outside quotes.
    static func contentLine(_ text: String, number: Int) -> ICalendarLine? {
        var inQuotes = false
        var parts: [String] = []
        var current = ""
        var value: String?
        for (offset, character) in text.enumerated() {
            if character == "\"" { inQuotes.toggle() }
            if !inQuotes && (character == ";" || character == ":") {
                parts.append(current)
                current = ""
                if character == ":" {
                    value = String(text.dropFirst(offset + 1))
                    break
                }
            } else {
                current.append(character)
            }
        }
        guard let value, let name = parts.first, !name.isEmpty,
            name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
        else { return nil }
        var parameters: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { return nil }
            parameters[pair[0].uppercased()] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return ICalendarLine(name: name.uppercased(), parameters: parameters, value: value, line: number)
    }

    /// A TEXT value with its escapes undone: `\,` `\;` `\\` and `\n`/`\N` (a line break).
    static func unescape(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                result.append(character == "n" || character == "N" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        if escaping { result.append("\\") }
        return result
    }
}
