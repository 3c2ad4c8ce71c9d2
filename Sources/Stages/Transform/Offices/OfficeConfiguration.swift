import Foundation
import PasserelleCore
import Yams

/// The tourist offices' settings (`sample-data/offices.yml`), shared by the office report stages.
///
/// ```yaml
/// default_grace_hours: 48
/// offices:
///   Office de Tourisme des Gets: { email: adhesions@ot-lesgets.example, grace_hours: 72 }
/// notified:                      # when an office was told of a non-member (Paris time), if before this run
///   H006: 2026-11-20 09:00
/// pass_saison:
///   covered_percent: 60          # share of the capacity bought with the season formula
///   covered_beds: { H001-A: 4 }  # or the beds themselves, per accommodation
///   break_even_weeks: 5
///   extra_bed_prices:
///     - { until: 2022-06-30, price: "40,00" }
///     - { from: 2022-07-01, price: "60,00" }
/// delivery_modes: { B2B: [Centrale, Booking.com], B2C: [Direct], Caisse: [Caisse] }
/// ```
struct OfficeConfiguration: Sendable {
    struct Office: Sendable, Hashable {
        var name: String
        var email: String?
        /// Between 48 and 72 (domain.md rule 4).
        var graceHours: Int
    }

    /// Configured offices by name, in the order written.
    var offices: [Office] = []
    var defaultGraceHours = 48
    /// Provider code → when its office was told it is not a member.
    var notified: [String: Date] = [:]
    var passSaison = PassSaisonRules()
    /// Delivery mode (`B2B`, `B2C`, `Caisse`) → the channels sold that way, in the order written.
    var deliveryModes: [(mode: String, channels: [String])] = []

    static let graceRange = 48...72

    /// The grace period of an office: its own, or the default for an office not configured.
    func graceHours(of office: String) -> Int {
        offices.first { $0.name == office }?.graceHours ?? defaultGraceHours
    }

    /// The office's settings, or a default one (no address) for an office declared by providers only.
    func office(named name: String) -> Office {
        offices.first { $0.name == name } ?? Office(name: name, email: nil, graceHours: defaultGraceHours)
    }

    /// Reads the file, or throws an error naming the file, the key and the fix.
    static func load(path: String) throws -> OfficeConfiguration {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw ReportError(
                path: path, message: "cannot read the offices' configuration", fix: "check the 'config' path")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw ReportError(
                path: path, message: "the configuration is not valid YAML: \(error)", fix: "fix the YAML syntax")
        }
        guard let root = node?.mapping else {
            throw ReportError(
                path: path, message: "the configuration must be a mapping", fix: "see sample-data/offices.yml")
        }
        var config = OfficeConfiguration()
        let reader = ConfigReader(path: path)
        config.defaultGraceHours = try reader.grace(root["default_grace_hours"], key: "default_grace_hours") ?? 48
        for (key, value) in root["offices"]?.mapping ?? [:] {
            let name = key.string ?? ""
            config.offices.append(
                Office(
                    name: name, email: value.mapping?["email"]?.string,
                    graceHours: try reader.grace(value.mapping?["grace_hours"], key: "offices.\(name).grace_hours")
                        ?? config.defaultGraceHours))
        }
        for (key, value) in root["notified"]?.mapping ?? [:] {
            let code = key.string ?? ""
            config.notified[code] = try reader.instant(value, key: "notified.\(code)")
        }
        if let pass = root["pass_saison"]?.mapping { config.passSaison = try reader.passSaison(pass) }
        for (key, value) in root["delivery_modes"]?.mapping ?? [:] {
            config.deliveryModes.append((key.string ?? "", value.sequence?.compactMap(\.string) ?? []))
        }
        return config
    }
}

/// Reads typed values from the configuration, with errors that name the key and its line.
struct ConfigReader {
    let path: String

    func failure(_ node: Node?, _ key: String, _ expected: String, fix: String) -> ReportError {
        let line = node?.mark.map { ":\($0.line)" } ?? ""
        return ReportError(
            path: path + line, message: "'\(key)' is '\(node?.string ?? "")', expected \(expected)", fix: fix)
    }

    func grace(_ node: Node?, key: String) throws -> Int? {
        guard let node else { return nil }
        guard let hours = node.string.flatMap({ Int($0) }), OfficeConfiguration.graceRange.contains(hours) else {
            throw failure(node, key, "a number of hours from 48 to 72", fix: "give the office's grace period in hours")
        }
        return hours
    }

    func instant(_ node: Node, key: String) throws -> Date {
        guard let instant = node.string.flatMap(ParisTime.parse) else {
            throw failure(node, key, "a Paris time such as 2026-11-20 09:00", fix: "write the date and the time")
        }
        return instant
    }

    func integer(_ node: Node?, key: String, default value: Int) throws -> Int {
        guard let node else { return value }
        guard let number = node.string.flatMap({ Int($0) }), number >= 0 else {
            throw failure(node, key, "a whole number", fix: "write a number without unit")
        }
        return number
    }

    func passSaison(_ node: Node.Mapping) throws -> PassSaisonRules {
        var rules = PassSaisonRules()
        rules.coveredPercent = try integer(node["covered_percent"], key: "pass_saison.covered_percent", default: 60)
        rules.breakEvenWeeks = try integer(node["break_even_weeks"], key: "pass_saison.break_even_weeks", default: 5)
        for (key, value) in node["covered_beds"]?.mapping ?? [:] {
            let code = key.string ?? ""
            rules.coveredBeds[code] = try integer(value, key: "pass_saison.covered_beds.\(code)", default: 0)
        }
        rules.prices = try (node["extra_bed_prices"]?.sequence ?? []).map(priceBand)
        return rules
    }

    private func priceBand(_ node: Node) throws -> PassSaisonRules.PriceBand {
        let map = node.mapping
        let from = map?["from"]?.string.flatMap { CalendarDate.parse($0) }
        let until = map?["until"]?.string.flatMap { CalendarDate.parse($0) }
        guard let price = map?["price"]?.string.flatMap({ Money.parse($0) }), from != nil || until != nil else {
            throw failure(
                node, "pass_saison.extra_bed_prices", "{ from or until: a date, price: an amount }",
                fix: "write each band as { until: 2022-06-30, price: \"40,00\" }")
        }
        return PassSaisonRules.PriceBand(from: from, until: until, price: price)
    }
}
