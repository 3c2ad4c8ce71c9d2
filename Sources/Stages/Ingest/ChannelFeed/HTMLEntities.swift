/// Decodes the HTML named entities channel managers leave in free text (formats.md 1b: Weekendesk writes
/// `b&eacute;b&eacute;` inside CDATA, which the XML parser keeps as is).
///
/// Only for free text (comments, special requests, service descriptions), never for names or ids. The table
/// holds the Latin-1 entities (`&nbsp;` to `&yuml;`: French, Italian, German and Spanish accents), the XML
/// five and the typographic ones French text uses (`&euro;`, `&oelig;`, `&rsquo;`, `&hellip;`…); numeric
/// references (`&#233;`, `&#xE9;`) are decoded too. Anything else is left as written.
///
/// ```swift
/// HTMLEntities.decoded("un b&eacute;b&eacute; de 2 mois")  // "un bébé de 2 mois"
/// ```
enum HTMLEntities {
    static func decoded(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let tail = rest[rest.index(after: amp)...]
            if let semicolon = tail.prefix(10).firstIndex(of: ";"), let scalar = scalar(String(tail[..<semicolon])) {
                result.unicodeScalars.append(scalar)
                rest = tail[tail.index(after: semicolon)...]
            } else {
                result += "&"
                rest = tail
            }
        }
        return result + rest
    }

    /// The character of an entity name (`eacute`) or a numeric reference (`#233`, `#xE9`).
    private static func scalar(_ name: String) -> Unicode.Scalar? {
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
        }
        if name.hasPrefix("#") { return UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init) }
        return named[name].flatMap(Unicode.Scalar.init)
    }

    private static let named: [String: UInt32] = [
        "amp": 38, "lt": 60, "gt": 62, "quot": 34, "apos": 39, "euro": 8364, "OElig": 338, "oelig": 339,
        "lsquo": 8216, "rsquo": 8217, "ldquo": 8220, "rdquo": 8221, "ndash": 8211, "mdash": 8212, "hellip": 8230,
        "nbsp": 160, "iexcl": 161, "cent": 162, "pound": 163, "curren": 164, "yen": 165, "brvbar": 166, "sect": 167,
        "uml": 168, "copy": 169, "ordf": 170, "laquo": 171, "not": 172, "shy": 173, "reg": 174, "macr": 175,
        "deg": 176, "plusmn": 177, "sup2": 178, "sup3": 179, "acute": 180, "micro": 181, "para": 182, "middot": 183,
        "cedil": 184, "sup1": 185, "ordm": 186, "raquo": 187, "frac14": 188, "frac12": 189, "frac34": 190,
        "iquest": 191, "Agrave": 192, "Aacute": 193, "Acirc": 194, "Atilde": 195, "Auml": 196, "Aring": 197,
        "AElig": 198, "Ccedil": 199, "Egrave": 200, "Eacute": 201, "Ecirc": 202, "Euml": 203, "Igrave": 204,
        "Iacute": 205, "Icirc": 206, "Iuml": 207, "ETH": 208, "Ntilde": 209, "Ograve": 210, "Oacute": 211,
        "Ocirc": 212, "Otilde": 213, "Ouml": 214, "times": 215, "Oslash": 216, "Ugrave": 217, "Uacute": 218,
        "Ucirc": 219, "Uuml": 220, "Yacute": 221, "THORN": 222, "szlig": 223, "agrave": 224, "aacute": 225,
        "acirc": 226, "atilde": 227, "auml": 228, "aring": 229, "aelig": 230, "ccedil": 231, "egrave": 232,
        "eacute": 233, "ecirc": 234, "euml": 235, "igrave": 236, "iacute": 237, "icirc": 238, "iuml": 239,
        "eth": 240, "ntilde": 241, "ograve": 242, "oacute": 243, "ocirc": 244, "otilde": 245, "ouml": 246,
        "divide": 247, "oslash": 248, "ugrave": 249, "uacute": 250, "ucirc": 251, "uuml": 252, "yacute": 253,
        "thorn": 254, "yuml": 255,
    ]
}
