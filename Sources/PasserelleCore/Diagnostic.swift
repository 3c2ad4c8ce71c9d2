/// A finding about a user's definition or data: what was found, what was expected, and how to fix it.
///
/// Diagnostics are collected, not thrown: `check` prints them all, and every rejected row is stored
/// with its diagnostic. The `rule` is a stable identifier (`validate.client_email.missing`).
package struct Diagnostic: Sendable, Hashable {
    /// How serious a finding is.
    package enum Severity: String, Sendable, Hashable {
        /// Rejects the row or fails the check.
        case error
        /// Reported, nothing rejected (an overlapping stay, a provider absent from the latest file).
        case warning
    }

    /// Stable rule identifier, `<group>.<kind>.<reason>`.
    package var rule: String
    package var severity: Severity
    package var location: SourceLocation
    /// What is wrong, lowercase, without a final period.
    package var message: String
    /// The raw value found, as the user wrote it, if any.
    package var found: String?
    /// An imperative sentence telling the user what to do.
    package var fix: String?

    package init(
        rule: String, severity: Severity = .error, location: SourceLocation, message: String,
        found: String? = nil, fix: String? = nil
    ) {
        self.rule = rule
        self.severity = severity
        self.location = location
        self.message = message
        self.found = found
        self.fix = fix
    }

    /// The one rendering used everywhere: location, severity, message, rule, then the fix.
    package var rendered: String {
        var text = "\(location.rendered): \(severity.rawValue): \(message) [\(rule)]"
        if let fix { text += "\n  fix: \(fix)" }
        return text
    }

    /// Renders with a caret snippet when the source text of a YAML file is given.
    package func rendered(source: [Substring]?) -> String {
        guard case .yaml(_, let line, let column) = location, let source, line >= 1, line <= source.count else {
            return rendered
        }
        var text = "\(location.rendered): \(severity.rawValue): \(message) [\(rule)]\n"
        let number = String(line)
        let pad = String(repeating: " ", count: number.count)
        let sourceLine = source[line - 1]
        text += " \(number) | \(sourceLine)\n"
        let width = max(1, (found ?? "").count)
        text += " \(pad) | \(String(repeating: " ", count: max(0, column - 1)))^"
        text += String(repeating: "~", count: max(0, width - 1))
        if let fix { text += "\n  fix: \(fix)" }
        return text
    }
}
