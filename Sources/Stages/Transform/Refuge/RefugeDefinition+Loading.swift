import Foundation
import PasserelleCore
import PasserelleEngine
import Yams

extension RefugeDefinition {
    static let keys = [
        "code", "name", "host", "online_payment", "deposit", "min_days_before_arrival", "same_day_cutoff",
        "stock_types", "openings", "closures", "tariffs", "supplements",
    ]

    /// Reads a definition file; throws a `RefugeDefinitionError` listing every mistake with its line and column
    /// (unknown keys with a did-you-mean, missing keys, wrong values, unknown stock types, overlapping periods).
    static func load(path: String) throws -> RefugeDefinition {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw StageError(
                stage: "", message: "cannot read the refuge definition \(path) (missing, unreadable or not UTF-8)",
                fix: "check the path in the stage's 'definitions' option")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        var reader = RefugeDefinitionReader(path: path)
        let definition = reader.definition(text)
        guard let definition, reader.diagnostics.isEmpty else {
            func place(_ d: Diagnostic) -> (Int, Int, String) {
                (d.location.line ?? 0, d.location.columnLabel.flatMap { Int($0) } ?? 0, d.rule)
            }
            let sorted = reader.diagnostics.sorted { place($0) < place($1) }
            throw RefugeDefinitionError(path: path, diagnostics: sorted, sourceLines: lines)
        }
        return definition
    }
}

extension RefugeDefinitionReader {
    /// The whole file, or nil when it has mistakes (in `diagnostics`).
    mutating func definition(_ source: String) -> RefugeDefinition? {
        guard let root = compose(source) else { return nil }
        guard let top = mapping(root, "the refuge definition", example: "'code: …' then 'name: …'") else { return nil }
        checkKeys(top, known: RefugeDefinition.keys, context: "in the refuge definition")
        let context = "the refuge definition"
        let code = required(top, "code", in: root, context: context).flatMap { text($0, "code") }
        let name = required(top, "name", in: root, context: context).flatMap { text($0, "name") }
        let host = required(top, "host", in: root, context: context).flatMap { self.host($0) }
        let types = required(top, "stock_types", in: root, context: context).map { stockTypes($0) } ?? []
        var definition = RefugeDefinition(
            path: path, code: code ?? "", name: name ?? "", host: host ?? .init(name: ""),
            hasOnlinePayment: top["online_payment"].flatMap { bool($0, "online_payment") } ?? false,
            deposit: top["deposit"].flatMap { deposit($0) } ?? .none,
            minDaysBeforeArrival: top["min_days_before_arrival"].flatMap {
                integer($0, "min_days_before_arrival", in: 0...365)
            } ?? 0,
            sameDayCutoff: top["same_day_cutoff"].flatMap { clock($0, "same_day_cutoff") }, stockTypes: types,
            openings: [], closures: [], tariffs: [], supplements: [])
        definition.openings = top["openings"].map { openings($0, types: types) } ?? []
        definition.closures = Set(top["closures"].map { closures($0) } ?? [])
        definition.tariffs = required(top, "tariffs", in: root, context: context).map { items($0, types: types) } ?? []
        definition.supplements = top["supplements"].map { items($0, types: nil) } ?? []
        return diagnostics.isEmpty ? definition : nil
    }

    /// The YAML tree, or nil after reporting the syntax error with its place.
    private mutating func compose(_ text: String) -> Node? {
        do {
            if let node = try Yams.compose(yaml: text) { return node }
            diagnostics.append(
                Diagnostic(
                    rule: "refuge.definition.empty", location: .file(path), message: "the refuge definition is empty",
                    fix: "start from sample-data/channels/refuge-des-aiguilles.yml"))
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            diagnostics.append(
                Diagnostic(
                    rule: "refuge.definition.duplicate_key",
                    location: .yaml(file: path, line: context.mark.line, column: context.mark.column),
                    message: "key '\(duplicates.joined(separator: "', '"))' is defined twice in this mapping",
                    found: duplicates.first, fix: "keep one of them; codes must be unique"))
        } catch let error as YamlError {
            var location = SourceLocation.file(path)
            var problem = "\(error)"
            if case .scanner(_, let text, let mark, _) = error { (location, problem) = (yaml(mark), text) }
            if case .parser(_, let text, let mark, _) = error { (location, problem) = (yaml(mark), text) }
            diagnostics.append(
                Diagnostic(
                    rule: "refuge.definition.yaml_syntax", location: location,
                    message: "the YAML cannot be read: \(problem)",
                    fix: "check the indentation (spaces, not tabs) and quoting near this line"))
        } catch {
            diagnostics.append(
                Diagnostic(rule: "refuge.definition.yaml_syntax", location: .file(path), message: "\(error)"))
        }
        return nil
    }

    private func yaml(_ mark: Mark) -> SourceLocation { .yaml(file: path, line: mark.line, column: mark.column) }

    private mutating func host(_ node: Node) -> RefugeDefinition.Host? {
        guard let map = mapping(node, "host", example: "{ name: …, email: …, phone: … }") else { return nil }
        checkKeys(map, known: ["name", "email", "phone"], context: "in 'host'")
        let name = required(map, "name", in: node, context: "'host'").flatMap { text($0, "host.name") }
        var host = RefugeDefinition.Host(name: name ?? "")
        if let email = map["email"] {
            host.email = text(email, "host.email")
            if let address = host.email, EmailSyntax.normalized(address) == nil {
                report(
                    "invalid_value", email, "'host.email' is not an e-mail address", fix: "write it as name@domain.fr")
            }
        }
        host.phone = map["phone"].flatMap { text($0, "host.phone") }
        return host
    }

    private mutating func deposit(_ node: Node) -> RefugeDefinition.Deposit? {
        if node.scalar?.string == "none" { return RefugeDefinition.Deposit.none }
        let example = "none, { percent: 30 } or { fixed: \"50,00\" }"
        guard let map = node.mapping, map.count == 1, let (key, value) = map.first, let kind = key.scalar?.string
        else {
            report(
                "invalid_value", node, "'deposit' must be none, a percentage or a fixed sum", fix: "write \(example)")
            return nil
        }
        switch kind {
        case "percent":
            let written = value.scalar?.string.trimmingWhitespace() ?? ""
            let points = ValueParser.percent(.text(written.hasSuffix("%") ? written : written + " %"))
            guard let points, (0...10_000).contains(points) else {
                report(
                    "invalid_value", value, "'deposit.percent' must be a percentage from 0 to 100",
                    fix: "write { percent: 30 }")
                return nil
            }
            return .percent(points)
        case "fixed": return money(value, "deposit.fixed").map(RefugeDefinition.Deposit.fixed)
        default:
            checkKeys(map, known: ["percent", "fixed"], context: "in 'deposit'")
            return nil
        }
    }

    private mutating func closures(_ node: Node) -> [CalendarDate] {
        guard let list = node.sequence else {
            report(
                "wrong_type", node, "'closures' must be a list of dates",
                fix: "write closures: [2026-07-14, 2026-08-15]")
            return []
        }
        return list.compactMap { date($0, "closures") }
    }
}
