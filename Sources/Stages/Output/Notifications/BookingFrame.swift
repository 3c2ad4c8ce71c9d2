import Foundation
import Mustache
import PasserelleCore
import Yams

/// The fixed frame of the booking e-mails, around the host's own text: the basket summary, the client's and
/// the host's details, with their labels (Arrivée, Départ, Nuits…) in the five languages.
///
/// Read from the `template` folder (`reports/emails/bookings/`): `labels.yml` (per language: the labels, the
/// month names, the date and money patterns), `body.txt.mustache` and optionally `body.html.mustache`.
struct BookingFrame: Sendable {
    /// The keys every language of `labels.yml` must have (besides `months`).
    static let labelKeys = [
        "colon", "summary", "pre_reservation", "reservation", "reference", "accommodation", "arrival", "departure",
        "nights", "guests", "basket", "amount", "deposit", "client", "host", "name", "email", "phone", "address",
        "copy_subject", "copy_intro", "date", "money", "decimal_separator", "group_separator",
    ]

    var labels: [String: BookingLabels]
    var text: MustacheTemplate
    var html: MustacheTemplate?

    /// Reads the frame; every language in `languages` must have every label.
    static func load(folder: String, languages: [String]) throws -> BookingFrame {
        let reader = BookingAccountsReader(path: URL(fileURLWithPath: folder).appendingPathComponent("labels.yml").path)
        let root = try reader.root()
        var labels: [String: BookingLabels] = [:]
        for language in languages where labels[language] == nil {
            labels[language] = try self.labels(root[language], language: language, reader: reader)
        }
        guard let text = try template(folder, "body.txt.mustache") else {
            throw BookingNotificationsError(
                code: .badFrame, path: URL(fileURLWithPath: folder).appendingPathComponent("body.txt.mustache").path,
                line: nil, message: "the booking e-mail frame is missing",
                fix: "point 'template' at a folder with labels.yml and body.txt.mustache (reports/emails/bookings)")
        }
        return BookingFrame(labels: labels, text: text, html: try template(folder, "body.html.mustache"))
    }

    private static func labels(_ node: Node?, language: String, reader: BookingAccountsReader) throws -> BookingLabels {
        var words: [String: String] = [:]
        if let mapping = node?.mapping {
            try reader.checkKeys(mapping, known: labelKeys + ["months"], context: "in the labels of '\(language)'")
        }
        for key in labelKeys {
            guard let text = node?.mapping?[key]?.string else {
                throw reader.error(
                    .missingLabel, node, "no label '\(key)' for language '\(language)'",
                    fix: "add '\(key)' under '\(language):' (see the French labels)")
            }
            words[key] = text
        }
        let months = node?.mapping?["months"]?.sequence?.compactMap(\.string) ?? []
        guard months.count == 12 else {
            throw reader.error(
                .missingLabel, node?.mapping?["months"] ?? node, "language '\(language)' needs 'months', 12 names",
                fix: "write months: [January, …, December] in the language")
        }
        return BookingLabels(words: words, months: months)
    }

    /// A template of the folder, nil when the file is absent.
    private static func template(_ folder: String, _ name: String) throws -> MustacheTemplate? {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
        guard let data = FileManager.default.contents(atPath: path), let source = String(data: data, encoding: .utf8)
        else {
            return nil
        }
        do { return try MustacheTemplate(string: source) } catch {
            throw BookingNotificationsError(
                code: .badFrame, path: path, line: nil, message: "not a valid Mustache template: \(error)",
                fix: "close every {{ with }}")
        }
    }
}

/// The labels of one language and how it writes dates and amounts.
struct BookingLabels: Sendable {
    var words: [String: String]
    var months: [String]

    subscript(key: String) -> String { words[key] ?? key }

    /// `19 décembre 2026`, `19. Dezember 2026`, `19 de diciembre de 2026`: the `date` pattern.
    func date(_ date: CalendarDate) -> String {
        let (year, month, day) = date.parts
        return self["date"].replacingOccurrences(of: "{day}", with: String(day))
            .replacingOccurrences(of: "{month}", with: months[month - 1]).replacingOccurrences(
                of: "{year}", with: String(year))
    }

    /// `1 234,50 €` (fr), `€1,234.50` (en): the `money` pattern for euros; another currency follows its code.
    func money(_ money: Money, currency: String? = nil) -> String {
        let value = abs(money.cents)
        var whole = String(value / 100)
        var groups: [String] = []
        while whole.count > 3 {
            groups.insert(String(whole.suffix(3)), at: 0)
            whole.removeLast(3)
        }
        groups.insert(whole, at: 0)
        let cents = String(value % 100).count == 1 ? "0\(value % 100)" : String(value % 100)
        let number =
            (money.cents < 0 ? "-" : "") + groups.joined(separator: self["group_separator"])
            + self["decimal_separator"] + cents
        guard let currency, currency.uppercased() != "EUR" else {
            return self["money"].replacingOccurrences(of: "{amount}", with: number)
        }
        return "\(number) \(currency)"
    }
}
