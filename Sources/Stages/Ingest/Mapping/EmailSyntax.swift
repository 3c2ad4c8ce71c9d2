import PasserelleCore

/// A pragmatic e-mail address check for typing an `email` column.
///
/// Not RFC 5322 (quoted local parts and IP literals never appear in booking exports); what it refuses are the
/// mistakes found in real files and what would break an e-mail header: one `@` exactly; a non-empty local part
/// without spaces; a domain with a dot, no empty label (so no `..`, no leading or trailing dot), labels of
/// letters, digits and inner hyphens (ASCII or IDN letters such as `é`); a top-level label of letters (or
/// `xn--` punycode); no CR, LF, NUL, comma or semicolon anywhere (header injection, two addresses in one cell).
///
/// ```swift
/// EmailSyntax.normalized(" Jean.Dupont@Mail.FR ")   // "Jean.Dupont@mail.fr"
/// EmailSyntax.normalized("jean.dupont@@mail")        // nil
/// ```
enum EmailSyntax {
    /// Characters allowed in a local part besides letters and digits (RFC 5322 atext, and the dot).
    private static let localSymbols = Set("!#$%&'*+-/=?^_`{|}~.".unicodeScalars)

    /// The trimmed address with its domain lowercased, or nil when it is malformed.
    static func normalized(_ text: String) -> String? {
        let address = CellBytes.trimmed(text)
        if CellBytes.isASCII(address) { return normalizedASCII(address) }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, isValidLocalPart(parts[0]) else { return nil }
        let domain = parts[1].lowercased()
        guard isValidDomain(domain) else { return nil }
        return "\(parts[0])@\(domain)"
    }

    private static func isValidLocalPart(_ local: Substring) -> Bool {
        guard !local.isEmpty, local.first != ".", local.last != ".", !local.contains("..") else { return false }
        return local.unicodeScalars.allSatisfy { scalar in
            if scalar.isASCII {
                return scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || localSymbols.contains(scalar)
            }
            return isLetterOrDigit(scalar)
        }
    }

    private static func isValidDomain(_ domain: String) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy(isValidLabel), let top = labels.last else { return false }
        return top.hasPrefix("xn--") || (top.count >= 2 && top.unicodeScalars.allSatisfy(\.properties.isAlphabetic))
    }

    private static func isValidLabel(_ label: Substring) -> Bool {
        guard !label.isEmpty, label.utf8.count <= 63, label.first != "-", label.last != "-" else { return false }
        return label.unicodeScalars.allSatisfy { $0 == "-" || isLetterOrDigit($0) }
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) }
        switch scalar.properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .otherLetter, .modifierLetter, .nonspacingMark,
            .spacingMark, .decimalNumber:
            return true
        default:
            return false
        }
    }
}
