import PasserelleCore

/// Byte-level shortcuts for the common all-ASCII cell, so that typing a million rows does not pay for
/// grapheme-cluster and Unicode-property lookups; every shortcut falls back to the general rule when unsure.
enum CellBytes {
    /// Whether the byte is printable ASCII other than space (so neither whitespace nor part of a multi-byte
    /// character).
    @inline(__always)
    static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    /// The text without surrounding whitespace; free when it starts and ends with a visible ASCII byte.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        // Two-byte characters led by 0xC3–0xDF (à, é, œ…) are never whitespace; NBSP is 0xC2 0xA0.
        let startsClean = isVisibleASCII(first) || (0xC3...0xDF).contains(first)
        let endsClean =
            isVisibleASCII(last) || (utf8.count >= 2 && (0xC3...0xDF).contains(utf8[utf8.index(utf8.endIndex, offsetBy: -2)]))
        return startsClean && endsClean ? text : text.trimmingWhitespace()
    }

    /// Whether a cell is blank; a text starting with a visible ASCII byte is decided without scanning it.
    static func isBlank(_ cell: CellValue) -> Bool {
        if case .text(let text) = cell, let first = text.utf8.first, isVisibleASCII(first) { return false }
        return cell.isBlank
    }

    /// Whether every byte is ASCII.
    static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }
}

extension HeaderMatcher {
    /// `normalize` for all-ASCII text, on bytes: lowercased, trimmed, runs of spaces and tabs collapsed.
    static func normalizeASCII(_ text: some StringProtocol) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                pendingSpace = !bytes.isEmpty
                continue
            }
            if pendingSpace { bytes.append(0x20) }
            pendingSpace = false
            bytes.append((0x41...0x5A).contains(byte) ? byte | 0x20 : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension EmailSyntax {
    /// Bytes allowed in an ASCII local part (letters, digits, RFC 5322 atext symbols, the dot).
    private static let localASCII: [Bool] = (0..<128).map { byte in
        let scalar = Unicode.Scalar(UInt8(byte))
        return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || "!#$%&'*+-/=?^_`{|}~.".unicodeScalars.contains(scalar)
    }

    /// The check of `normalized` for an all-ASCII trimmed address, in one pass over its bytes.
    static func normalizedASCII(_ address: String) -> String? {
        var bytes = address
        guard let (at, hasUppercase) = bytes.withUTF8(checkASCII) else { return nil }
        guard hasUppercase else { return address }
        let domainStart = address.utf8.index(address.utf8.startIndex, offsetBy: at + 1)
        return String(address[..<domainStart]) + address[domainStart...].lowercased()
    }

    /// The offset of the `@` and whether the domain has capitals, or nil when the address is malformed.
    private static func checkASCII(_ b: UnsafeBufferPointer<UInt8>) -> (at: Int, hasUppercase: Bool)? {
        guard let at = b.firstIndex(of: UInt8(ascii: "@")), at > 0, at + 1 < b.count else { return nil }
        var previous = UInt8(ascii: ".")  // so that a leading dot fails
        for byte in b[..<at] {
            guard localASCII[Int(byte)], !(byte == UInt8(ascii: ".") && previous == byte) else { return nil }
            previous = byte
        }
        guard previous != UInt8(ascii: ".") else { return nil }
        return checkDomainASCII(b, from: at + 1).map { (at, $0) }
    }

    /// Checks the labels of the domain; returns whether it has capitals, or nil when malformed.
    private static func checkDomainASCII(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool? {
        var labelStart = start
        var hasUppercase = false
        var hasDot = false
        var topIsLetters = true
        for i in start...b.count {
            if i == b.count || b[i] == UInt8(ascii: ".") {
                let length = i - labelStart
                guard length > 0, length <= 63, b[labelStart] != UInt8(ascii: "-"), b[i - 1] != UInt8(ascii: "-")
                else { return nil }
                if i < b.count {
                    hasDot = true
                    labelStart = i + 1
                    topIsLetters = true
                }
                continue
            }
            let byte = (0x41...0x5A).contains(b[i]) ? b[i] | 0x20 : b[i]
            hasUppercase = hasUppercase || byte != b[i]
            let isLetter = (0x61...0x7A).contains(byte)
            guard isLetter || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-") else { return nil }
            topIsLetters = topIsLetters && isLetter
        }
        let top = UnsafeBufferPointer(rebasing: b[labelStart...])
        let isPunycode = top.count > 4 && top.prefix(4).map { $0 | 0x20 } == Array("xn--".utf8)
        guard hasDot, isPunycode || (top.count >= 2 && topIsLetters) else { return nil }
        return hasUppercase
    }
}
