import Foundation
import PasserelleCore
import PasserelleSpec
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

    static let topLevelKeys = ["default_grace_hours", "offices", "notified", "pass_saison", "delivery_modes"]
    static let officeKeys = ["email", "grace_hours"]
    static let passSaisonKeys = ["covered_percent", "covered_beds", "break_even_weeks", "extra_bed_prices"]
    static let priceBandKeys = ["from", "until", "price"]

    /// Reads the file when the stage is built, or throws every mistake at its line and column (an unknown key
    /// with a did-you-mean, a grace period outside 48–72 h, a time that is no Paris time).
    static func load(path: String) throws -> OfficeConfiguration {
        var reader = ConfigReader(file: try SideFile(path: path, what: "the offices' configuration"))
        let config = reader.configuration()
        try reader.file.throwIfFailed()
        return config
    }
}

/// Reads typed values from the configuration, recording each mistake at its line and column.
struct ConfigReader {
    var file: SideFile

    mutating func configuration() -> OfficeConfiguration {
        var config = OfficeConfiguration()
        guard let root = file.root.mapping else {
            file.report(
                "offices.not_a_mapping", file.root, "the offices' configuration must be a mapping",
                fix: "start with 'default_grace_hours:' and 'offices:', as in sample-data/offices.yml")
            return config
        }
        file.checkKeys(root, known: OfficeConfiguration.topLevelKeys, context: "in the offices' configuration")
        config.defaultGraceHours = grace(root["default_grace_hours"], key: "default_grace_hours") ?? 48
        for (key, value) in mapping(root["offices"], "offices") {
            let name = key.string ?? ""
            let office = mapping(value, "offices.\(name)")
            if let fields = value.mapping {
                file.checkKeys(fields, known: OfficeConfiguration.officeKeys, context: "in office '\(name)'")
            }
            config.offices.append(
                OfficeConfiguration.Office(
                    name: name, email: office["email"]?.string,
                    graceHours: grace(office["grace_hours"], key: "offices.\(name).grace_hours")
                        ?? config.defaultGraceHours))
        }
        for (key, value) in mapping(root["notified"], "notified") {
            let code = key.string ?? ""
            if let instant = instant(value, key: "notified.\(code)") { config.notified[code] = instant }
        }
        if let pass = root["pass_saison"] { config.passSaison = passSaison(mapping(pass, "pass_saison")) }
        for (key, value) in mapping(root["delivery_modes"], "delivery_modes") {
            config.deliveryModes.append((key.string ?? "", value.sequence?.compactMap(\.string) ?? []))
        }
        return config
    }

    /// The mapping at `node`, or an empty one (and a mistake) when it is something else.
    mutating func mapping(_ node: Node?, _ key: String) -> Node.Mapping {
        guard let node else { return [:] }
        guard let mapping = node.mapping else {
            failure(node, key, "a mapping", fix: "write '\(key):' followed by indented 'name: value' lines")
            return [:]
        }
        return mapping
    }

    mutating func failure(_ node: Node, _ key: String, _ expected: String, fix: String) {
        file.report(
            "offices.bad_value", node, "'\(key)' is '\(node.string ?? "")', expected \(expected)",
            found: node.string, fix: fix)
    }

    mutating func grace(_ node: Node?, key: String) -> Int? {
        guard let node else { return nil }
        guard let hours = node.string.flatMap({ Int($0) }), OfficeConfiguration.graceRange.contains(hours) else {
            failure(node, key, "a number of hours from 48 to 72", fix: "give the office's grace period in hours")
            return nil
        }
        return hours
    }

    mutating func instant(_ node: Node, key: String) -> Date? {
        guard let instant = node.string.flatMap(ParisTime.parse) else {
            failure(node, key, "a Paris time such as 2026-11-20 09:00", fix: "write the date and the time")
            return nil
        }
        return instant
    }

    mutating func integer(_ node: Node?, key: String, default value: Int) -> Int {
        guard let node else { return value }
        guard let number = node.string.flatMap({ Int($0) }), number >= 0 else {
            failure(node, key, "a whole number", fix: "write a number without unit")
            return value
        }
        return number
    }

    mutating func passSaison(_ node: Node.Mapping) -> PassSaisonRules {
        file.checkKeys(node, known: OfficeConfiguration.passSaisonKeys, context: "in 'pass_saison'")
        var rules = PassSaisonRules()
        rules.coveredPercent = integer(node["covered_percent"], key: "pass_saison.covered_percent", default: 60)
        rules.breakEvenWeeks = integer(node["break_even_weeks"], key: "pass_saison.break_even_weeks", default: 5)
        for (key, value) in mapping(node["covered_beds"], "pass_saison.covered_beds") {
            let code = key.string ?? ""
            rules.coveredBeds[code] = integer(value, key: "pass_saison.covered_beds.\(code)", default: 0)
        }
        rules.prices = (node["extra_bed_prices"]?.sequence ?? []).compactMap { priceBand($0) }
        return rules
    }

    private mutating func priceBand(_ node: Node) -> PassSaisonRules.PriceBand? {
        let map = node.mapping
        if let map { file.checkKeys(map, known: OfficeConfiguration.priceBandKeys, context: "in a price band") }
        let from = map?["from"]?.string.flatMap { CalendarDate.parse($0) }
        let until = map?["until"]?.string.flatMap { CalendarDate.parse($0) }
        guard let price = map?["price"]?.string.flatMap({ Money.parse($0) }), from != nil || until != nil else {
            failure(
                node, "pass_saison.extra_bed_prices", "{ from or until: a date, price: an amount }",
                fix: "write each band as { until: 2022-06-30, price: \"40,00\" }")
            return nil
        }
        return PassSaisonRules.PriceBand(from: from, until: until, price: price)
    }
}
