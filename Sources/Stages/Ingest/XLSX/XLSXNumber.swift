import Foundation

/// Parsing of the numbers written in `<v>` elements, without building a `String` per cell.
enum XLSXNumber {
    /// Exact powers of ten up to 10^22, the range where `mantissa / 10^k` is correctly rounded.
    private static let powersOfTen: [Double] = (0...22).map { k in
        var value = 1.0
        for _ in 0..<k { value *= 10 }
        return value
    }

    /// The number spelled by the bytes (surrounding spaces allowed), or nil when they are not a number.
    ///
    /// Plain decimals with at most 15 significant digits take an exact fast path (Clinger's: the mantissa and
    /// the power of ten are both exact doubles, so one division rounds correctly); anything else goes to `strtod`.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var lo = 0
        var hi = bytes.count
        while lo < hi, XMLScanner.isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, XMLScanner.isSpace(bytes[hi - 1]) { hi -= 1 }
        guard lo < hi else { return nil }
        if let fast = fastDecimal(bytes, lo, hi) { return fast }
        return slowParse(bytes, lo, hi)
    }

    @inline(__always)
    private static func fastDecimal(_ p: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Double? {
        var i = lo
        let negative = p[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = -1
        while i < hi {
            let b = p[i]
            if b == UInt8(ascii: "."), fraction < 0 {
                fraction = 0
            } else if b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
                mantissa = mantissa &* 10 &+ UInt64(b &- UInt8(ascii: "0"))
                digits += 1
                if fraction >= 0 { fraction += 1 }
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, digits <= 15, fraction <= 22 else { return nil }
        var value = Double(mantissa)
        if fraction > 0 { value /= powersOfTen[fraction] }
        return negative ? -value : value
    }

    private static func slowParse(_ p: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Double? {
        let count = hi - lo
        guard count < 400 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            for k in 0..<count { buffer[k] = CChar(bitPattern: p[lo + k]) }
            buffer[count] = 0
            guard let base = buffer.baseAddress else { return nil }
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(base, &end)
            guard let end, base.distance(to: end) == count else { return nil }
            return value
        }
    }

    /// The integer spelled by the bytes (a shared-string index or a row number), or nil.
    @inline(__always)
    static func integer(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
        var value = 0
        var seen = false
        for b in p {
            if b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
                guard value < Int.max / 10 - 10 else { return nil }
                value = value * 10 + Int(b - UInt8(ascii: "0"))
                seen = true
            } else if !XMLScanner.isSpace(b) {
                return nil
            }
        }
        return seen ? value : nil
    }
}
