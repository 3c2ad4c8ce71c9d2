import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// A bulk change declared in a pipeline: new commission rate and/or extra margin for the departures it selects.
///
/// A rule selects by organiser, stay and period (departure date between `from` and `to`, both included);
/// a selector left out matches every departure. Names compare ignoring case, accents and surrounding spaces.
struct PricingRule: Sendable, Hashable {
    /// How reports name the rule: its `name`, else "règle N".
    var name: String
    var organiser: String?
    var stay: String?
    var from: CalendarDate?
    var to: CalendarDate?
    var commissionBasisPoints: Int64?
    var extraMarginBasisPoints: Int64?

    /// Whether the rule selects a departure of `organiser` and `stay` leaving on `date`.
    func matches(organiser: String, stay: String, date: CalendarDate?) -> Bool {
        if let wanted = self.organiser, !FinanceRate.sameName(wanted, organiser) { return false }
        if let wanted = self.stay, !FinanceRate.sameName(wanted, stay) { return false }
        if from != nil || to != nil {
            guard let date else { return false }
            if let from, date < from { return false }
            if let to, date > to { return false }
        }
        return true
    }

    /// The selection in words, for notes and the report: "organisateur Alpes Évasion, du 01/01/2027 au 31/03/2027".
    var selection: String {
        var parts: [String] = []
        if let organiser { parts.append("organisateur \(organiser)") }
        if let stay { parts.append("séjour \(stay)") }
        switch (from, to) {
        case (let from?, let to?): parts.append("départs du \(from.frenchText) au \(to.frenchText)")
        case (let from?, nil): parts.append("départs à partir du \(from.frenchText)")
        case (nil, let to?): parts.append("départs jusqu'au \(to.frenchText)")
        case (nil, nil): break
        }
        return parts.isEmpty ? "tous les départs" : parts.joined(separator: ", ")
    }

    /// The schema of one rule in the `rules` option.
    static let optionSpec = OptionSpec(
        "rules",
        .list(
            .object([
                OptionSpec("name", .string, "How the report names the rule (default 'règle N')."),
                OptionSpec("organiser", .string, "Selects the departures of this organiser."),
                OptionSpec("stay", .string, "Selects the departures of this stay."),
                OptionSpec("from", .value(.date), "Selects departures on or after this date (yyyy-mm-dd or dd/mm/yyyy)."),
                OptionSpec("to", .value(.date), "Selects departures on or before this date."),
                OptionSpec(
                    "commission_rate", .value(.percentage),
                    "The new commission rate, e.g. '12 %' or \"12,5 %\" (quoted in a flow mapping)."),
                OptionSpec("extra_margin", .value(.percentage), "The new extra margin, e.g. '8 %'."),
            ])),
        "Bulk changes, applied in order (a later rule wins over an earlier one on the same departure).")

    /// Reads the `rules` option, or throws naming the rule and the fix.
    static func rules(option value: OptionValue?, stage: String) throws -> [PricingRule] {
        guard case .list(let items)? = value else { return [] }
        return try items.enumerated().map { index, item in
            guard case .map(_, let fields) = item else {
                throw StageError(stage: stage, message: "rule \(index + 1) is not a mapping", fix: example)
            }
            return try rule(fields, number: index + 1, stage: stage)
        }
    }

    private static func rule(_ fields: [String: OptionValue], number: Int, stage: String) throws -> PricingRule {
        func text(_ key: String) -> String? {
            if case .string(let value)? = fields[key], !value.trimmingWhitespace().isEmpty { return value }
            return nil
        }
        let name = text("name") ?? "règle \(number)"
        func date(_ key: String) throws -> CalendarDate? {
            guard let raw = text(key) else { return nil }
            guard let value = CalendarDate.parse(raw) else {
                throw StageError(
                    stage: stage, message: "'\(key)' of rule '\(name)' is '\(raw)', not a date",
                    fix: "write the date as yyyy-mm-dd or dd/mm/yyyy", option: "rules[\(number - 1)].\(key)")
            }
            return value
        }
        func rate(_ key: String) throws -> Int64? {
            try text(key).map {
                try FinanceRate.option($0, key: "rules[\(number)].\(key)", stage: stage, option: "rules[\(number - 1)].\(key)")
            }
        }
        let rule = PricingRule(
            name: name, organiser: text("organiser"), stay: text("stay"), from: try date("from"), to: try date("to"),
            commissionBasisPoints: try rate("commission_rate"), extraMarginBasisPoints: try rate("extra_margin"))
        guard rule.commissionBasisPoints != nil || rule.extraMarginBasisPoints != nil else {
            throw StageError(
                stage: stage, message: "rule '\(name)' changes nothing", fix: example, option: "rules[\(number - 1)]")
        }
        if let from = rule.from, let to = rule.to, to < from {
            throw StageError(
                stage: stage, message: "rule '\(name)' ends (\(to.frenchText)) before it starts (\(from.frenchText))",
                fix: "swap 'from' and 'to'", option: "rules[\(number - 1)].to")
        }
        return rule
    }

    private static let example =
        "give each rule a selection and 'commission_rate' or 'extra_margin', e.g. "
        + "'{ organiser: Alpes Évasion, from: 2027-01-01, to: 2027-03-31, commission_rate: \"12,5 %\" }' "
        + "(quote a rate with a comma)"
}
