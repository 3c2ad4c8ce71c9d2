import Foundation

/// One XML token found by `XMLScanner`, as byte offsets into the scanned buffer.
struct XMLToken {
    /// What the token is.
    enum Kind { case start, selfClosing, end, text, cdata }

    var kind: Kind
    /// The element's local name (after any `x:` prefix); empty for text.
    var name: Range<Int>
    /// For tags: the bytes after the name up to `>` (the attributes). For text and CDATA: the content.
    var body: Range<Int>
}

/// Why a part's XML was refused.
enum XMLScanError: Error {
    /// `<!DOCTYPE` or `<!ENTITY`: Office never writes them, and they enable entity-expansion attacks.
    case forbiddenDeclaration
    /// A tag is not closed, or bytes follow that are not XML.
    case malformed(String)
}

/// A byte-level pull scanner for the narrow XML dialect of SpreadsheetML parts.
///
/// Hand-written for speed: Foundation's `XMLParser` builds a `String` and a dictionary for every element
/// and delegate call, which alone costs several seconds on a million-row sheet. This scanner returns byte
/// ranges and leaves decoding to the caller, who decodes only what it keeps. It never expands entities
/// beyond the five predefined ones and numeric references, and refuses any DOCTYPE.
///
/// Callers feed it a buffer that may end mid-token: `next` returns nil when the rest is incomplete and the
/// caller keeps the bytes from `position` for the next chunk.
enum XMLScanner {
    static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
    static let amp = UInt8(ascii: "&"), colon = UInt8(ascii: ":"), quote = UInt8(ascii: "\""), apos = UInt8(ascii: "'")

    /// The next token at or after `i`, advancing `i` past it; nil when the buffer ends inside a token.
    ///
    /// When `isFinal`, trailing text without a following tag is returned as text rather than awaited.
    /// Processing instructions and comments are skipped by looping rather than by recursion, so that the
    /// compiler can inline this into the caller's loop (the token then stays in registers).
    @inline(__always)
    static func next(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, isFinal: Bool) throws -> XMLToken? {
        while i < p.count {
            if p[i] != lt {
                guard let end = find(lt, in: p, from: i) ?? (isFinal ? p.count : partialTextEnd(p, from: i)) else {
                    return nil
                }
                defer { i = end }
                return XMLToken(kind: .text, name: i..<i, body: i..<end)
            }
            guard i + 1 < p.count else { return nil }
            switch p[i + 1] {
            case slash: return endTag(p, &i)
            case UInt8(ascii: "?"):
                guard try skip(p, &i, past: "?>") else { return nil }
            case UInt8(ascii: "!"):
                guard hasPrefix(p, at: i, "<!--") else { return try markupDeclaration(p, &i, isFinal: isFinal) }
                guard try skip(p, &i, past: "-->") else { return nil }
            default: return startTag(p, &i)
            }
        }
        return nil
    }

    /// Where to cut text that runs to the end of the buffer, so that long text (or a run of padding) is
    /// handed over in pieces instead of piling up: before a trailing CR or an unfinished `&…;` reference.
    private static func partialTextEnd(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> Int? {
        var end = p.count
        var k = p.count - 1
        while k >= i, k >= p.count - 12 {
            if p[k] == UInt8(ascii: ";") { break }
            if p[k] == amp { end = k; break }
            k -= 1
        }
        if end > i, p[end - 1] == 0x0D { end -= 1 }
        return end > i ? end : nil
    }

    /// Position of the first `byte` at or after `from`, using `memchr`.
    @inline(__always)
    static func find(_ byte: UInt8, in p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < p.count, let base = p.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), p.count - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    private static func endTag(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> XMLToken? {
        guard let close = find(gt, in: p, from: i + 2) else { return nil }
        let name = localName(p, from: i + 2, to: close)
        i = close + 1
        return XMLToken(kind: .end, name: name, body: close..<close)
    }

    private static func startTag(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> XMLToken? {
        var j = i + 1
        var inQuote: UInt8 = 0
        while j < p.count {
            let b = p[j]
            if inQuote != 0 {
                if b == inQuote { inQuote = 0 }
            } else if b == quote || b == apos {
                inQuote = b
            } else if b == gt {
                break
            }
            j += 1
        }
        guard j < p.count else { return nil }
        let selfClosing = p[j - 1] == slash
        var nameEnd = i + 1
        while nameEnd < j, !isSpace(p[nameEnd]), p[nameEnd] != slash { nameEnd += 1 }
        let name = localName(p, from: i + 1, to: nameEnd)
        i = j + 1
        let body = nameEnd..<(selfClosing ? j - 1 : j)
        return XMLToken(kind: selfClosing ? .selfClosing : .start, name: name, body: body)
    }

    /// `<!` other than a comment: CDATA is returned, DOCTYPE and ENTITY are refused.
    private static func markupDeclaration(
        _ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, isFinal: Bool
    ) throws -> XMLToken? {
        if hasPrefix(p, at: i, "<![CDATA[") {
            let start = i + 9
            guard let end = search(p, for: "]]>", from: start) else { return nil }
            i = end + 3
            return XMLToken(kind: .cdata, name: start..<start, body: start..<end)
        }
        if i + 9 > p.count, !isFinal { return nil }
        throw XMLScanError.forbiddenDeclaration
    }

    /// Moves `i` past the next occurrence of `terminator`; false when it is not in the buffer yet.
    private static func skip(
        _ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, past terminator: StaticString
    ) throws -> Bool {
        guard let end = search(p, for: terminator, from: i + 2) else { return false }
        i = end + terminator.utf8CodeUnitCount
        return true
    }

    static func search(_ p: UnsafeBufferPointer<UInt8>, for needle: StaticString, from: Int) -> Int? {
        let first = needle.utf8Start.pointee
        var k = from
        while let hit = find(first, in: p, from: k) {
            if hasPrefix(p, at: hit, needle) { return hit }
            if hit + needle.utf8CodeUnitCount > p.count { return nil }
            k = hit + 1
        }
        return nil
    }

    static func hasPrefix(_ p: UnsafeBufferPointer<UInt8>, at i: Int, _ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard i + n <= p.count else { return false }
        for k in 0..<n where p[i + k] != prefix.utf8Start[k] { return false }
        return true
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }

    /// The part of `from..<to` after the last `:` (the local name).
    @inline(__always)
    static func localName(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Range<Int> {
        var start = from
        var end = from
        while end < to, !isSpace(p[end]) {
            if p[end] == colon { start = end + 1 }
            end += 1
        }
        return start..<end
    }

    /// Whether the bytes of `range` spell `name`.
    @inline(__always)
    static func equals(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        guard range.count == n else { return false }
        for k in 0..<n where p[range.lowerBound + k] != name.utf8Start[k] { return false }
        return true
    }

    /// Calls `body` with the local name and raw value range of each attribute in a tag body.
    @inline(__always)
    static func forEachAttribute(
        _ p: UnsafeBufferPointer<UInt8>, in body: Range<Int>, _ visit: (Range<Int>, Range<Int>) -> Void
    ) {
        var i = body.lowerBound
        let end = body.upperBound
        while i < end {
            while i < end, isSpace(p[i]) { i += 1 }
            let nameStart = i
            while i < end, p[i] != UInt8(ascii: "="), !isSpace(p[i]) { i += 1 }
            let name = localName(p, from: nameStart, to: i)
            while i < end, p[i] != quote, p[i] != apos { i += 1 }
            guard i < end else { return }
            let q = p[i]
            let valueStart = i + 1
            i = valueStart
            while i < end, p[i] != q { i += 1 }
            visit(name, valueStart..<min(i, end))
            i += 1
        }
    }

    /// The decoded value of the attribute whose local name is `name`, or nil.
    static func attribute(_ p: UnsafeBufferPointer<UInt8>, in body: Range<Int>, _ name: StaticString) -> String? {
        var found: String?
        forEachAttribute(p, in: body) { attr, value in
            if found == nil, equals(p, attr, name) {
                var bytes: [UInt8] = []
                XMLText.appendDecoded(p, value, to: &bytes)
                found = String(decoding: bytes, as: UTF8.self)
            }
        }
        return found
    }
}
