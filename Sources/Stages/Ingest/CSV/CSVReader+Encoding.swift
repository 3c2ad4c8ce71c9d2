/// The character encodings a French CSV arrives in (formats.md section 2).
package enum CSVEncoding: String, Sendable, Equatable, CaseIterable {
    /// UTF-8 without a byte-order mark.
    case utf8
    /// UTF-8 with the `EF BB BF` byte-order mark that Excel's "CSV UTF-8" writes (the mark is skipped).
    case utf8BOM = "utf8_bom"
    /// Windows-1252, what Excel's "CSV (séparateur : point-virgule)" writes on a French Windows.
    case windows1252
}

extension CSVEncoding {
    /// The bytes of a text in this encoding, or nil when the encoding cannot write it.
    func encode(_ text: String) -> [UInt8]? {
        self == .windows1252 ? Windows1252.encode(text) : Array(text.utf8)
    }

    /// Detects the encoding: a UTF-8 BOM wins; else strictly valid UTF-8; else Windows-1252.
    ///
    /// Never ISO-8859-1: its 0x80–0x9F are control characters where Windows-1252 has `€ ’ œ …`.
    /// `isValidUTF8` is asked of the whole file (streamed), as one invalid byte on line 90 000 is enough
    /// to prove the file was not UTF-8.
    static func detect(head: UnsafeRawBufferPointer, isValidUTF8: () throws -> Bool) rethrows -> CSVEncoding {
        if head.starts(with: UTF8Decoding.byteOrderMark) { return .utf8BOM }
        return try isValidUTF8() ? .utf8 : .windows1252
    }
}

/// Strict UTF-8 validation over a buffer that may end in the middle of a sequence.
enum UTF8Validator {
    /// The length of the longest prefix made of complete, valid sequences, or nil when an invalid
    /// sequence appears (a sequence merely cut by the end of `bytes` is not invalid: the caller keeps those
    /// bytes and validates them with the next chunk).
    static func validPrefixLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            i = skipASCII(bytes, from: i)
            guard i < n else { break }
            let width = UTF8Decoding.sequenceWidth(lead: bytes[i])
            guard width > 1 else { return nil }
            guard i + width <= n else { return isValidTruncated(bytes, from: i) ? i : nil }
            guard UTF8Decoding.isValidSequence(bytes, at: i, width: width) else { return nil }
            i += width
        }
        return n
    }

    /// Skips ASCII bytes eight at a time.
    private static func skipASCII(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        let n = bytes.count
        while i + 8 <= n, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
        }
        while i < n, bytes[i] < 0x80 { i += 1 }
        return i
    }

    /// Whether the bytes from `start` to the end can begin a valid sequence.
    private static func isValidTruncated(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Bool {
        for j in (start + 1)..<bytes.count where bytes[j] & 0xC0 != 0x80 { return false }
        return true
    }
}

/// UTF-8 facts shared by the validator and the field decoder.
enum UTF8Decoding {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The length of the sequence a lead byte starts, or 0 for a byte that cannot start one.
    static func sequenceWidth(lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 0
        }
    }

    /// Checks continuation bytes and refuses overlong forms, surrogates and code points above U+10FFFF.
    static func isValidSequence(_ bytes: UnsafeRawBufferPointer, at i: Int, width: Int) -> Bool {
        let lead = bytes[i]
        let second = bytes[i + 1]
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xE0: low = 0xA0
        case 0xED: high = 0x9F
        case 0xF0: low = 0x90
        case 0xF4: high = 0x8F
        default: break
        }
        guard second >= low, second <= high else { return false }
        for j in (i + 2)..<(i + width) where bytes[j] & 0xC0 != 0x80 { return false }
        return true
    }
}

/// Windows-1252 to Unicode, the full table.
enum Windows1252 {
    /// The code points of 0x80–0x9F; the rest of 0xA0–0xFF is Latin-1.
    ///
    /// The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of the
    /// same value (U+0081…), as the WHATWG Encoding Standard and Windows' own `MultiByteToWideChar` do. Python's
    /// `cp1252` codec raises instead; we keep the byte so no row is lost, and a control character in a name or an
    /// e-mail is then caught by the value checks downstream.
    static let high: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80–87: € , ƒ „ … † ‡
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,  // 88–8F: ˆ ‰ Š ‹ Œ · Ž ·
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90–97: · ‘ ’ “ ” • – —
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,  // 98–9F: ˜ ™ š › œ · ž Ÿ
    ]

    /// The Unicode code point of one byte.
    @inline(__always)
    static func scalar(_ byte: UInt8) -> UInt32 {
        if byte < 0x80 || byte >= 0xA0 { return UInt32(byte) }
        return UInt32(high[Int(byte) - 0x80])
    }

    /// The bytes of a text, or nil when it has a character the code page lacks.
    static func encode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            guard let byte = byte(scalar) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// The byte of one character, or nil when the code page lacks it.
    static func byte(_ scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        if value < 0x80 || (0xA0...0xFF).contains(value) { return UInt8(value) }
        guard let wide = UInt16(exactly: value), let index = high.firstIndex(of: wide) else { return nil }
        return UInt8(0x80 + index)
    }

    /// Decodes bytes that contain at least one byte ≥ 0x80, writing UTF-8 straight into the new string.
    ///
    /// The string is made with its exact UTF-8 length, so that a short name (`Maëlle`) is a small string, stored
    /// inline without an allocation.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        var length = 0
        for byte in bytes { length += byte < 0x80 ? 1 : byte >= 0xA0 ? 2 : high[Int(byte) - 0x80] < 0x800 ? 2 : 3 }
        return String(unsafeUninitializedCapacity: length) { utf8 in
            var count = 0
            for byte in bytes {
                let value = scalar(byte)
                if value < 0x80 {
                    utf8[count] = UInt8(value)
                    count += 1
                } else if value < 0x800 {
                    utf8[count] = UInt8(0xC0 | (value >> 6))
                    utf8[count + 1] = UInt8(0x80 | (value & 0x3F))
                    count += 2
                } else {
                    utf8[count] = UInt8(0xE0 | (value >> 12))
                    utf8[count + 1] = UInt8(0x80 | ((value >> 6) & 0x3F))
                    utf8[count + 2] = UInt8(0x80 | (value & 0x3F))
                    count += 3
                }
            }
            return count
        }
    }
}
