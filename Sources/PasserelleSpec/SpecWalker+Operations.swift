import Foundation
import PasserelleCore
import Yams

/// Reads the keys that matter when a pipeline runs unattended: `time_zone:`, `inbox:` and `alerts:`.
extension SpecWalker {
    static let inboxKeys = ["folder", "patterns", "stable_seconds"]
    static let alertKeys = ["to", "from"]

    mutating func readOperations(_ mapping: Node.Mapping, into spec: inout PipelineSpec) {
        if let node = mapping["time_zone"] { spec.timeZone = readTimeZone(node) }
        if let node = mapping["inbox"] { spec.inbox = readInbox(node) }
        if let node = mapping["alerts"] { spec.alerts = readAlerts(node) }
        if let node = mapping["delivery"] { spec.delivery = readDelivery(node) }
    }

    mutating func readTimeZone(_ node: Node) -> TimeZone? {
        guard let name = scalarString(node, expected: "a time zone name") else { return nil }
        if let zone = TimeZone(identifier: name) { return zone }
        report(
            "spec.bad_time_zone", node, "unknown time zone '\(name)'", found: name,
            fix: "use an IANA zone name such as 'Europe/Paris', 'Indian/Reunion' or 'America/Martinique'")
        return nil
    }

    mutating func readInbox(_ node: Node) -> InboxSpec? {
        guard let mapping = node.mapping else {
            report(
                "spec.wrong_type", node, "'inbox' must be a mapping, found \(SpecWalker.describe(node))",
                fix: "write 'inbox: { folder: ../inbox, patterns: { stays_file: \"sejours*.csv\" } }'")
            return nil
        }
        checkKeys(mapping, known: SpecWalker.inboxKeys, context: "in 'inbox'")
        guard let folderNode = mapping["folder"], let folder = scalarString(folderNode, expected: "a folder path")
        else {
            report("spec.missing_key", node, "the inbox has no 'folder'", fix: "add 'folder: ../inbox' to 'inbox'")
            return nil
        }
        let patterns = readPatterns(mapping["patterns"], in: node)
        var stable = 30
        if let stableNode = mapping["stable_seconds"] {
            if let text = stableNode.scalar?.string, let seconds = Int(text), seconds >= 0 {
                stable = seconds
            } else {
                report(
                    "spec.wrong_type", stableNode,
                    "'stable_seconds' must be a whole number of seconds, found "
                        + SpecWalker.describe(stableNode), fix: "write e.g. 'stable_seconds: 30'")
            }
        }
        let resolved =
            folder.hasPrefix("/")
            ? folder
            : URL(fileURLWithPath: baseDirectory).appendingPathComponent(folder)
                .standardizedFileURL.path
        return InboxSpec(folder: resolved, patterns: patterns, stableSeconds: stable)
    }

    private mutating func readPatterns(_ node: Node?, in parent: Node) -> [String: String] {
        guard let node, let mapping = node.mapping, !mapping.isEmpty else {
            report(
                "spec.missing_key", node ?? parent,
                "the inbox needs 'patterns': a mapping of variables to file patterns",
                fix: "write 'patterns: { stays_file: \"sejours*.{xlsx,csv}\" }'; each file is passed as that variable")
            return [:]
        }
        var patterns: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.string, let glob = scalarString(value, expected: "a file pattern") else { continue }
            if !definedVariables.contains(name) {
                report(
                    "spec.unknown_variable", key,
                    "inbox pattern for '\(name)', which is not a variable of the pipeline",
                    found: name,
                    fix: Suggestion.nearest(to: name, in: definedVariables).map { "did you mean '\($0)'?" }
                        ?? "declare '\(name)' under 'variables:' and use it as the stage's path")
            }
            patterns[name] = glob
        }
        return patterns
    }

    mutating func readAlerts(_ node: Node) -> AlertSpec? {
        guard let mapping = node.mapping else {
            report(
                "spec.wrong_type", node, "'alerts' must be a mapping, found \(SpecWalker.describe(node))",
                fix: "write 'alerts: { to: [exploitation@example.fr] }'")
            return nil
        }
        checkKeys(mapping, known: SpecWalker.alertKeys, context: "in 'alerts'")
        var recipients: [String] = []
        if let toNode = mapping["to"] {
            let items = toNode.sequence.map { Array($0) } ?? [toNode]
            recipients = items.compactMap { scalarString($0, expected: "an e-mail address") }
        }
        if recipients.isEmpty {
            report("spec.missing_key", node, "the alerts have no 'to'", fix: "add 'to: [exploitation@example.fr]'")
            return nil
        }
        let from = mapping["from"].flatMap { scalarString($0, expected: "an e-mail address") }
        return from.map { AlertSpec(to: recipients, from: $0) } ?? AlertSpec(to: recipients)
    }

    mutating func readDelivery(_ node: Node) -> DeliverySpec? {
        let fix = "write 'delivery: { batches: [codes-sejour] }', naming output.email_batch folders"
        guard let mapping = node.mapping else {
            report(
                "spec.wrong_type", node, "'delivery' must be a mapping, found \(SpecWalker.describe(node))", fix: fix)
            return nil
        }
        checkKeys(mapping, known: ["batches"], context: "in 'delivery'")
        guard let list = mapping["batches"]?.sequence, !list.isEmpty else {
            report("spec.missing_key", node, "'delivery' needs 'batches': a list of batch folders", fix: fix)
            return nil
        }
        return DeliverySpec(batches: list.compactMap { scalarString($0, expected: "a batch folder name") })
    }
}
