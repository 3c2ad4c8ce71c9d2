import Foundation
import PasserelleCore

/// The encodings an e-mail needs to travel as 7-bit ASCII: header folding, RFC 2047 encoded words,
/// quoted-printable bodies (RFC 2045) and the RFC 5322 date.
///
/// Hand-written: Foundation has none of them on Linux, and each must be deterministic byte for byte.
enum MIMEEncoding {
    /// Header lines aim at 78 characters (RFC 5322 2.1.1); 998 is the hard limit.
    static let lineLength = 78
    /// An encoded word is at most 75 characters (RFC 2047 2).
    static let encodedWordLength = 75

    // MARK: Headers

    /// A header line `Name: token token…`, folded between tokens to stay within 78 characters.
    ///
    /// A fold is CRLF SPACE, so unfolding (removing the CRLFs) gives back the tokens joined by single spaces.
    /// A token longer than a line stays whole.
    static func folded(name: String, tokens: [String]) -> String {
        var lines: [String] = []
        var current = "\(name):"
        for (index, token) in tokens.enumerated() {
            if index > 0, current.utf8.count + 1 + token.utf8.count > lineLength {
                lines.append(current)
                current = " \(token)"
            } else {
                current += " \(token)"
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// An unstructured header (Subject, extra headers), as plain words or RFC 2047 encoded words.
    ///
    /// Plain words when the text is printable ASCII with words that fit on a line, encoded words otherwise.
    /// Whitespace runs become one space.
    static func unstructured(name: String, value: String) -> String {
        if isOneLineOfPlainWords(value, after: name) { return "\(name): \(value)" }  // what the general path gives
        return unstructuredWords(name: name, value: value)
    }

    /// `unstructured(name:value:)` for any value: split into words, then folded, encoded when needed.
    static func unstructuredWords(name: String, value: String) -> String {
        // Text to encode whole (a French subject) need not be split into words first when its words are
        // already single-spaced: the split and the join give it back unchanged.
        if needsEncoding(value), isPlainText(value), isSingleSpaced(value) {
            return folded(name: name, tokens: encodedWords(value, firstLength: firstWordLength(afterName: name)))
        }
        let words = whitespaceSplit(value)
        let text = words.joined(separator: " ")
        let longestWord = words.map(\.utf8.count).max() ?? 0
        guard needsEncoding(text) || longestWord > lineLength - 1 else {
            return folded(name: name, tokens: words)
        }
        return folded(name: name, tokens: encodedWords(text, firstLength: firstWordLength(afterName: name)))
    }

    /// Whether `text` has no tab, no leading or trailing space and no two spaces in a row, and is not empty:
    /// splitting it at whitespace and joining the words with single spaces gives it back (for plain text,
    /// `isPlainText`, where space and tab are the only whitespace).
    private static func isSingleSpaced(_ text: String) -> Bool {
        var previous: UInt8 = 0x20
        for byte in text.utf8 {
            if byte == 0x09 || (byte == 0x20 && previous == 0x20) { return false }
            previous = byte
        }
        return previous != 0x20
    }

    /// Whether `Name: value` is the header line as it stands: printable ASCII without `=?` (nothing to encode),
    /// words between single spaces, fitting on one line (the usual extra header:
    /// `X-Passerelle-Key: stay_code:CR-2026-000001:v1`).
    private static func isOneLineOfPlainWords(_ value: String, after name: String) -> Bool {
        name.utf8.count + 2 + value.utf8.count <= lineLength && !needsEncoding(value) && isSingleSpaced(value)
    }

    /// The tokens of a mailbox list: display names (atoms, a quoted string or encoded words), then the address
    /// (`<a@b>` after a name, bare otherwise); mailboxes are separated by commas.
    static func mailboxTokens(_ mailboxes: [EmailAddress], nameLength: Int) -> [String] {
        var tokens: [String] = []
        for (index, mailbox) in mailboxes.enumerated() {
            let raw = mailbox.displayName ?? ""
            // Whitespace runs become one space; a single-spaced plain name is already that.
            let name = isPlainText(raw) && isSingleSpaced(raw) ? raw : whitespaceSplit(raw).joined(separator: " ")
            let firstLength = index == 0 ? firstWordLength(afterName: String(repeating: "x", count: nameLength)) : 75
            let nameTokens = name.isEmpty ? [] : phraseTokens(name, firstLength: firstLength)
            tokens += nameTokens
            tokens.append(nameTokens.isEmpty ? mailbox.address : "<\(mailbox.address)>")
            if index < mailboxes.count - 1 { tokens[tokens.count - 1] += "," }
        }
        return tokens
    }

    /// A display name: atoms when every character is atext, a quoted string for other printable ASCII
    /// (`"Dupont, Marie"`), encoded words when it has accents or controls (never inside a quoted string).
    private static func phraseTokens(_ name: String, firstLength: Int) -> [String] {
        if needsEncoding(name) { return encodedWords(name, firstLength: firstLength) }
        let isAtoms = name.utf8.allSatisfy { isAtext($0) || $0 == 0x20 }  // ASCII only: needsEncoding said so
        if isAtoms { return name.split(separator: " ").map(String.init) }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return ["\"\(escaped)\""]
    }

    /// Whether header text must be RFC 2047 encoded: non-ASCII, control characters, or text that a decoder
    /// would take for an encoded word (`=?`).
    static func needsEncoding(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte >= 0x7F || byte < 0x20 || (previous == 0x3D && byte == 0x3F) { return true }
            previous = byte
        }
        return false
    }

    /// The words of a header value, split at whitespace (`Character.isWhitespace`).
    ///
    /// Printable ASCII, the usual case, is split at spaces and tabs byte by byte; anything else by characters.
    static func whitespaceSplit(_ text: String) -> [String] {
        guard isPlainText(text) else { return text.split(whereSeparator: \.isWhitespace).map(String.init) }
        return text.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether each scalar of `text` is a character of its own and only space and tab are whitespace: printable
    /// ASCII, tab, Latin-1 signs and letters (U+00A1–U+017F: `«`, `°`, `é`, `ø`, `œ`), the punctuation
    /// U+2010–U+2027 (dashes, quotes, bullet, `…`) and the currency signs (`€`). Names, subjects and keys of
    /// French data, in short; for
    /// those the header encodings work byte by byte, for the rest character by character (grapheme clusters:
    /// a combining accent stays with its letter), which is slower (the e-mail batch at a million messages
    /// spent a fifth of its rendering in `Character` properties).
    static func isPlainText(_ text: String) -> Bool {
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case 0x20...0x7E, 0x09: continue
            case 0xC2:  // U+00A1–U+00BF: « » ° £ §…, not the no-break space U+00A0 nor the C1 controls
                guard let next = iterator.next(), (0xA1...0xBF).contains(next) else { return false }
            case 0xC3...0xC5:
                guard let next = iterator.next(), (0x80...0xBF).contains(next) else { return false }
            case 0xE2:  // U+2010–U+2027 and the currency signs U+20A0–U+20BF (€)
                switch (iterator.next(), iterator.next()) {
                case (0x80, .some(0x90...0xA7)), (0x82, .some(0xA0...0xBF)): continue
                default: return false
                }
            default: return false
            }
        }
        return true
    }

    /// RFC 5322 atext: ASCII letters, digits and `!#$%&'*+-/=?^_`{|}~`.
    static func isAtext(_ byte: UInt8) -> Bool { atextTable[Int(byte)] }

    /// ASCII letters and digits.
    static func isASCIILetterOrDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static let atextTable: [Bool] = (0..<256).map { byte in
        isASCIILetterOrDigit(UInt8(byte)) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(UInt8(byte))
    }

    /// The room left for a first encoded word after `Name: `, within 78 characters and RFC 2047's 75.
    private static func firstWordLength(afterName name: String) -> Int {
        min(encodedWordLength, max(lineLength - name.utf8.count - 2, 30))
    }

    /// The `=?UTF-8?Q?…?=` words of `text`, each at most 75 characters (the first at most `firstLength`).
    ///
    /// Words are split between characters (grapheme clusters, or between scalars for a cluster too long for one
    /// word), so no word ends inside a UTF-8 sequence. Spaces are encoded as `_` inside the words, because a
    /// decoder drops the whitespace between adjacent encoded words.
    static func encodedWords(_ text: String, firstLength: Int) -> [String] {
        guard isPlainText(text) else { return encodedWordsByCharacter(text, firstLength: firstLength) }
        // Plain text: a character is one scalar of one to three bytes (isPlainText), encoded straight to bytes.
        let overhead = "=?UTF-8?Q??=".utf8.count
        let bytes = Array(text.utf8)
        var words: [String] = []
        var payload: [UInt8] = []
        var limit = firstLength - overhead
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let width = lead < 0x80 ? 1 : lead >= 0xE0 ? 3 : 2
            let isLiteral = width == 1 && (lead == 0x20 || isQLiteral(lead))
            if !payload.isEmpty, payload.count + (isLiteral ? 1 : 3 * width) > limit {
                words.append("=?UTF-8?Q?\(String(decoding: payload, as: UTF8.self))?=")
                payload.removeAll(keepingCapacity: true)
                limit = encodedWordLength - overhead
            }
            if isLiteral {
                payload.append(lead == 0x20 ? 0x5F : lead)
            } else {
                for byte in bytes[i..<i + width] { payload += [0x3D, hexDigit(byte >> 4), hexDigit(byte & 0x0F)] }
            }
            i += width
        }
        if !payload.isEmpty { words.append("=?UTF-8?Q?\(String(decoding: payload, as: UTF8.self))?=") }
        return words
    }

    /// `encodedWords` for any text: character by character (grapheme clusters).
    static func encodedWordsByCharacter(_ text: String, firstLength: Int) -> [String] {
        let overhead = "=?UTF-8?Q??=".utf8.count
        var words: [String] = []
        var payload = ""
        var limit = firstLength - overhead
        func add(_ chunk: String) {
            if !payload.isEmpty, payload.utf8.count + chunk.utf8.count > limit {
                words.append("=?UTF-8?Q?\(payload)?=")
                payload = ""
                limit = encodedWordLength - overhead
            }
            payload += chunk
        }
        for character in text {
            let chunk = qEncoded(character.utf8)
            if chunk.utf8.count <= encodedWordLength - overhead {
                add(chunk)
            } else {
                character.unicodeScalars.forEach { add(qEncoded(String($0).utf8)) }
            }
        }
        if !payload.isEmpty { words.append("=?UTF-8?Q?\(payload)?=") }
        return words
    }

    /// RFC 2047 5(3) "Q" for a phrase: letters, digits and `! * + - /` as is, space as `_`, the rest `=XX`.
    private static func qEncoded(_ bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        for byte in bytes {
            if byte == 0x20 {
                output.append(0x5F)
            } else if isQLiteral(byte) {
                output.append(byte)
            } else {
                output += [0x3D, hexDigit(byte >> 4), hexDigit(byte & 0x0F)]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Bytes written as is in a "Q" encoded word: letters, digits and `! * + - /`.
    private static func isQLiteral(_ byte: UInt8) -> Bool {
        isASCIILetterOrDigit(byte) || byte == 0x21 || byte == 0x2A || byte == 0x2B || byte == 0x2D || byte == 0x2F
    }

    // MARK: Bodies

    /// The quoted-printable form of `text` (RFC 2045 6.7), with CRLF line breaks.
    ///
    /// Line breaks (CRLF, CR or LF) become CRLF hard breaks; lines are at most 76 characters with `=` soft
    /// breaks; `=`, controls, non-ASCII bytes and trailing spaces or tabs become `=XX`. A `.` starting a line
    /// is encoded too, so no transport can mistake it for SMTP's end of data.
    static func quotedPrintable(_ text: String) -> String {
        var output: [UInt8] = []
        appendQuotedPrintable(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the quoted-printable form of `text` (see `quotedPrintable(_:)`) to `output`.
    static func appendQuotedPrintable(_ text: String, to output: inout [UInt8]) {
        // Hand-written over UTF-8 bytes: the scalar-by-scalar version was 12 % of a 100 000-message batch, and
        // appending byte by byte to the array 4 % of a million-message import; each line is now encoded into
        // reserved room through a pointer (at most 3 bytes per byte, plus a soft break per 25 encoded bytes).
        var text = text
        text.withUTF8 { bytes in
            var lineStart = 0
            var index = 0
            while index <= bytes.count {
                if index == bytes.count || bytes[index] == 0x0D || bytes[index] == 0x0A {
                    appendQuotedPrintableLine(UnsafeBufferPointer(rebasing: bytes[lineStart..<index]), to: &output)
                    if index == bytes.count { break }
                    if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                    output.append(0x0D)
                    output.append(0x0A)
                    index += 1
                    lineStart = index
                    continue
                }
                index += 1
            }
        }
    }

    /// One line: literal printable ASCII, `=XX` for the rest (all bytes of a character kept together), a soft
    /// break `=` before column 76, trailing space or tab escaped, a leading `.` escaped.
    private static func appendQuotedPrintableLine(_ line: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        // At most 3 output bytes per input byte, and a soft break (3 bytes) per 25 bytes of output or fewer.
        let n = line.count
        let capacity = 3 * n + 3 * (3 * n / 25 + 1)
        output.append(contentsOf: repeatElement(0, count: capacity))
        let base = output.count - capacity
        var written = 0
        output.withUnsafeMutableBufferPointer { buffer in
            guard let input = line.baseAddress, let start = buffer.baseAddress else { return }
            let out = start + base
            func softBreak() {
                out[written] = 0x3D
                out[written + 1] = 0x0D
                out[written + 2] = 0x0A
                written += 3
            }
            var column = 0
            var i = 0
            while i < n {
                let lead = input[i]
                // The usual byte, printable ASCII written as is, first; then the general rule below.
                if lead >= 0x21, lead <= 0x7E, lead != 0x3D, column > 0 || lead != 0x2E {
                    if column + 1 > (i + 1 == n ? 76 : 75) {
                        softBreak()
                        column = 0
                        if lead == 0x2E { continue }  // a dot now starts the line: encoded below
                    }
                    out[written] = lead
                    written += 1
                    column += 1
                    i += 1
                    continue
                }
                let width = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
                let end = min(i + width, n)
                let isLast = end == n
                let literal = width == 1 && (lead == 0x20 || lead == 0x09) && !isLast  // a space or tab inside the line
                let length = literal ? 1 : 3 * (end - i)
                if column + length > (isLast ? 76 : 75) {
                    softBreak()
                    column = 0
                }
                if literal {
                    out[written] = lead
                    written += 1
                    column += 1
                } else {
                    for j in i..<end {
                        out[written] = 0x3D
                        out[written + 1] = hexDigit(input[j] >> 4)
                        out[written + 2] = hexDigit(input[j] & 0x0F)
                        written += 3
                    }
                    column += 3 * (end - i)
                }
                i = end
            }
        }
        output.removeLast(capacity - written)
    }

    /// The uppercase hexadecimal digit of a value below 16 (`=XX` in quoted-printable and "Q" words).
    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x37 + value }

    // MARK: Date and hashing

    /// `Sun, 22 Nov 2026 10:00:00 +0100`: the instant in Paris local time with its numeric offset.
    static func rfc5322Date(_ date: Date) -> String {
        let utc = Int(date.timeIntervalSince1970.rounded(.down))
        let offset = parisOffsetSeconds(atUTC: utc)
        let local = utc + offset
        let day = CalendarDate(daysSinceEpoch: floorDays(local))
        let seconds = local - day.daysSinceEpoch * 86_400
        let (year, month, dayOfMonth) = day.parts
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let time = [seconds / 3600, seconds / 60 % 60, seconds % 60].map { String(format2: $0) }.joined(separator: ":")
        return "\(weekdays[day.weekday - 1]), \(String(format2: dayOfMonth)) \(months[month - 1]) \(year) \(time) "
            + "+0\(offset / 3600)00"
    }

    /// The Europe/Paris offset from UTC, in seconds, at an instant.
    ///
    /// +2 h from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC, +1 h otherwise
    /// (the EU rule since 1996). Computed rather than read from tzdata, which slim containers lack; tests
    /// compare it with Foundation's `TimeZone(identifier: "Europe/Paris")`.
    static func parisOffsetSeconds(atUTC seconds: Int) -> Int {
        let year = CalendarDate(daysSinceEpoch: floorDays(seconds)).parts.year
        let summerStart = lastSunday(year: year, month: 3) * 86_400 + 3_600
        let summerEnd = lastSunday(year: year, month: 10) * 86_400 + 3_600
        return (summerStart..<summerEnd).contains(seconds) ? 7_200 : 3_600
    }

    /// Whole days since 1970-01-01 of a count of seconds, rounding down before 1970 too.
    private static func floorDays(_ seconds: Int) -> Int {
        seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    /// Days since 1970-01-01 of the last Sunday of a 31-day month.
    private static func lastSunday(year: Int, month: Int) -> Int {
        guard let lastDay = CalendarDate(year: year, month: month, day: 31) else {
            preconditionFailure("month \(month) has no 31st day; only March and October are asked for")
        }
        return lastDay.daysSinceEpoch - lastDay.weekday % 7  // ISO weekday: Sunday is 7
    }
}
