/// 64-bit FNV-1a over UTF-8 bytes: a stable, non-cryptographic fingerprint.
///
/// Used where a value must be derived from text the same way on every run and machine (stay codes,
/// MIME boundaries, Message-ID suffixes); never for security.
package enum FNV1a {
    /// The hash of the text's UTF-8 bytes.
    package static func hash64(_ text: String) -> UInt64 { hash64(text, continuing: 0xcbf2_9ce4_8422_2325) }

    /// The hash of `hash`'s text followed by `text`: `hash64(b, continuing: hash64(a)) == hash64(a + b)`.
    package static func hash64(_ text: String, continuing start: UInt64) -> UInt64 {
        var hash = start
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The hash as 16 lowercase hex digits.
    package static func hex64(_ text: String) -> String {
        let hex = String(hash64(text), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
