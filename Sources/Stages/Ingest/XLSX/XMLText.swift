import Foundation

/// Decoding of XML text and SpreadsheetML values from raw bytes.
enum XMLText {
    /// Appends the bytes of `range` with entity references replaced (`&amp;`, `&#233;`, `&#xE9;` …) and
    /// line ends normalised (`CR LF` and `CR` become `LF`, as XML 1.0 §2.11 requires; `&#13;` stays a CR).
    ///
    /// An unknown or unterminated reference is kept as written, as Excel itself would show it.
    @inline(__always)
    static func appendDecoded(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to out: inout [UInt8]) {
        guard needsDecoding(p, range) else {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[range]))
            return
        }
        var i = range.lowerBound
        while i < range.upperBound {
            let b = p[i]
            if b == XMLScanner.amp, let semi = semicolon(p, after: i, before: range.upperBound),
                appendEntity(p, (i + 1)..<semi, to: &out)
            {
                i = semi + 1
                continue
            }
            if b == 0x0D {
                out.append(0x0A)
                i += (i + 1 < range.upperBound && p[i + 1] == 0x0A) ? 2 : 1
                continue
            }
            out.append(b)
            i += 1
        }
    }

    /// Appends CDATA content: no entities, but line ends are normalised.
    static func appendCDATA(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to out: inout [UInt8]) {
        var i = range.lowerBound
        while i < range.upperBound {
            if p[i] == 0x0D {
                out.append(0x0A)
                i += (i + 1 < range.upperBound && p[i + 1] == 0x0A) ? 2 : 1
            } else {
                out.append(p[i])
                i += 1
            }
        }
    }

    @inline(__always)
    private static func needsDecoding(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard let base = p.baseAddress, !range.isEmpty else { return false }
        let start = base + range.lowerBound
        return memchr(start, Int32(XMLScanner.amp), range.count) != nil || memchr(start, 0x0D, range.count) != nil
    }

    private static func semicolon(_ p: UnsafeBufferPointer<UInt8>, after i: Int, before end: Int) -> Int? {
        var k = i + 1
        while k < end, k - i <= 10 {
            if p[k] == UInt8(ascii: ";") { return k }
            k += 1
        }
        return nil
    }

    /// Appends the character named by the entity body (between `&` and `;`); false if unknown.
    private static func appendEntity(
        _ p: UnsafeBufferPointer<UInt8>, _ name: Range<Int>, to out: inout [UInt8]
    ) -> Bool {
        if XMLScanner.equals(p, name, "amp") { out.append(UInt8(ascii: "&")); return true }
        if XMLScanner.equals(p, name, "lt") { out.append(UInt8(ascii: "<")); return true }
        if XMLScanner.equals(p, name, "gt") { out.append(UInt8(ascii: ">")); return true }
        if XMLScanner.equals(p, name, "quot") { out.append(UInt8(ascii: "\"")); return true }
        if XMLScanner.equals(p, name, "apos") { out.append(UInt8(ascii: "'")); return true }
        guard name.count >= 2, p[name.lowerBound] == UInt8(ascii: "#") else { return false }
        let isHex = p[name.lowerBound + 1] | 0x20 == UInt8(ascii: "x")
        let digits = (name.lowerBound + (isHex ? 2 : 1))..<name.upperBound
        guard let code = integer(p, digits, radix: isHex ? 16 : 10), let scalar = Unicode.Scalar(code) else {
            return false
        }
        out.append(contentsOf: String(Character(scalar)).utf8)
        return true
    }

    /// The unsigned integer spelled by `range` in `radix`, or nil (also on overflow past 0x10FFFF·16).
    static func integer(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, radix: UInt32 = 10) -> UInt32? {
        guard !range.isEmpty, range.count <= 10 else { return nil }
        var value: UInt64 = 0
        for k in range {
            guard let digit = hexDigit(p[k]), digit < radix else { return nil }
            value = value * UInt64(radix) + UInt64(digit)
        }
        return value <= UInt64(UInt32.max) ? UInt32(value) : nil
    }

    @inline(__always)
    static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// A string from UTF-8 bytes with Excel's `_xHHHH_` escapes (e.g. `_x000D_` for CR) resolved.
    static func string(fromCellBytes bytes: [UInt8]) -> String {
        guard bytes.count >= 7, bytes.contains(UInt8(ascii: "_")) else { return String(decoding: bytes, as: UTF8.self) }
        return bytes.withUnsafeBufferPointer { p in
            var units: [UInt16] = []
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while i < p.count {
                if let unit = escapedUnit(p, at: i) {
                    units.append(unit)
                    i += 7
                    continue
                }
                flush(&units, into: &out)
                out.append(p[i])
                i += 1
            }
            flush(&units, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The UTF-16 unit of an `_xHHHH_` escape starting at `i`, or nil.
    private static func escapedUnit(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt16? {
        guard i + 7 <= p.count, p[i] == UInt8(ascii: "_"), p[i + 1] == UInt8(ascii: "x"), p[i + 6] == UInt8(ascii: "_"),
            let value = integer(p, (i + 2)..<(i + 6), radix: 16)
        else { return nil }
        return UInt16(value)
    }

    /// Appends pending UTF-16 units (escapes may encode surrogate pairs) as UTF-8.
    private static func flush(_ units: inout [UInt16], into out: inout [UInt8]) {
        guard !units.isEmpty else { return }
        out.append(contentsOf: String(decoding: units, as: UTF16.self).utf8)
        units.removeAll(keepingCapacity: true)
    }
}
