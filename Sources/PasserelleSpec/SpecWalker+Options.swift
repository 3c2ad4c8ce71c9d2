import Foundation
import PasserelleCore
import Yams

extension SpecWalker {
    mutating func readOptions(_ node: Node?, schema: StageKindSchema, stage: String, stageNode: Node) -> OptionValues {
        let context = "in the options of stage '\(stage)' (\(schema.kind))"
        guard let node else {
            for option in schema.options where option.isRequired {
                report(
                    "spec.missing_option", stageNode, "stage '\(stage)' (\(schema.kind)) needs option '\(option.key)'",
                    fix: "add 'options: { \(option.key): ... }' (\(option.summary))")
            }
            return OptionValues()
        }
        optionLocations = [:]
        guard let values = objectValue(node, options: schema.options, context: context, owner: "stage '\(stage)'")
        else {
            return OptionValues()
        }
        return OptionValues(values, locations: optionLocations)
    }

    /// Checks a mapping against known option specs; nil when the node is not a mapping.
    /// `path` is the mapping's own path in the stage's options (empty at the top), for `OptionValues.locations`.
    mutating func objectValue(
        _ node: Node, options: [OptionSpec], context: String, owner: String, path: String = ""
    ) -> [String: OptionValue]? {
        guard let mapping = node.mapping else {
            report("spec.wrong_type", node, "expected a mapping \(context), found \(SpecWalker.describe(node))")
            return nil
        }
        checkKeys(mapping, known: options.map(\.key), context: context)
        var values: [String: OptionValue] = [:]
        for option in options {
            guard let valueNode = mapping[option.key] else {
                if option.isRequired {
                    report(
                        "spec.missing_option", node, "\(owner) needs option '\(option.key)'",
                        fix: "add '\(option.key): ...' (\(option.summary))")
                }
                continue
            }
            let optionPath = path.isEmpty ? option.key : "\(path).\(option.key)"
            if let value = optionValue(valueNode, type: option.type, key: option.key, path: optionPath) {
                values[option.key] = value
            }
        }
        return values
    }

    /// Checks one value against its type, substituting variables in scalars and resolving paths; records where
    /// the value at `path` is written.
    mutating func optionValue(_ node: Node, type: OptionType, key: String = "", path: String = "") -> OptionValue? {
        if !path.isEmpty { optionLocations[path] = location(node) }
        switch type {
        case .string:
            return scalarString(node, expected: "a string").map(OptionValue.string)
        case .path(let mustExist):
            return pathValue(node, mustExist: mustExist, key: key)
        case .integer:
            guard let text = scalarString(node, expected: "an integer") else { return nil }
            guard let number = Int(text) else {
                report("spec.wrong_type", node, "'\(key)' must be an integer, found '\(text)'", found: text)
                return nil
            }
            return .integer(number)
        case .boolean:
            guard let text = scalarString(node, expected: "true or false") else { return nil }
            switch text.lowercased() {
            case "true", "yes", "on": return .boolean(true)
            case "false", "no", "off": return .boolean(false)
            default:
                report("spec.wrong_type", node, "'\(key)' must be true or false, found '\(text)'", found: text)
                return nil
            }
        case .choice(let words):
            guard let text = scalarString(node, expected: type.displayName) else { return nil }
            guard words.contains(text) else {
                let suggestion = Suggestion.nearest(to: text, in: words)
                report(
                    "spec.bad_value", node, "'\(key)' must be \(type.displayName), found '\(text)'", found: text,
                    fix: suggestion.map { "did you mean '\($0)'?" })
                return nil
            }
            return .string(text)
        case .list(let element):
            return listValue(node, element: element, key: key, path: path)
        case .map(let valueType):
            return mapValue(node, valueType: valueType, key: key, path: path)
        case .object(let options):
            guard
                let values = objectValue(node, options: options, context: "in '\(key)'", owner: "'\(key)'", path: path)
            else { return nil }
            let keys = node.mapping?.keys.compactMap(\.string).filter { values[$0] != nil } ?? []
            return .map(keys, values)
        case .columns:
            return columnsValue(node, key: key, path: path)
        case .value(let valueType):
            return typedValue(node, type: valueType, key: key)
        }
    }

    /// A scalar of a value type that parses itself: refused at its place, with the form expected.
    mutating func typedValue(_ node: Node, type: OptionValueType, key: String) -> OptionValue? {
        guard let text = scalarString(node, expected: type.displayName) else { return nil }
        // An empty text comes from a variable already reported as undefined.
        if !text.isEmpty && !type.accepts(text) {
            report(
                "spec.bad_value", node, "'\(key)' must be \(type.displayName), found '\(text)'", found: text,
                fix: "write \(type.example)")
            return nil
        }
        return .string(text)
    }

    mutating func pathValue(_ node: Node, mustExist: Bool, key: String) -> OptionValue? {
        guard let text = scalarString(node, expected: "a path") else { return nil }
        let path =
            text.hasPrefix("/")
            ? text : URL(fileURLWithPath: baseDirectory).appendingPathComponent(text).standardizedFileURL.path
        if mustExist && !FileManager.default.isReadableFile(atPath: path) {
            report(
                "spec.unreadable_path", node, "'\(key)' names '\(text)', which cannot be read (looked for \(path))",
                found: text, fix: "check the path; relative paths start from the definition file's folder")
        }
        return .string(path)
    }

    mutating func listValue(_ node: Node, element: OptionType, key: String, path: String = "") -> OptionValue? {
        if node.scalar != nil {
            return optionValue(node, type: element, key: key, path: path.isEmpty ? "" : "\(path)[0]").map {
                .list([$0])
            }
        }
        guard let sequence = node.sequence else {
            report(
                "spec.wrong_type", node,
                "'\(key)' must be \(OptionType.list(element).displayName), found \(SpecWalker.describe(node))")
            return nil
        }
        var items: [OptionValue] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = path.isEmpty ? "" : "\(path)[\(index)]"
            if let value = optionValue(item, type: element, key: key, path: itemPath) { items.append(value) }
        }
        return .list(items)
    }

    mutating func mapValue(_ node: Node, valueType: OptionType, key: String, path: String = "") -> OptionValue? {
        guard let mapping = node.mapping else {
            report(
                "spec.wrong_type", node,
                "'\(key)' must be \(OptionType.map(valueType).displayName), found \(SpecWalker.describe(node))")
            return nil
        }
        var keys: [String] = []
        var values: [String: OptionValue] = [:]
        for (k, v) in mapping {
            guard let name = k.string else { continue }
            let entryPath = path.isEmpty ? "" : "\(path).\(name)"
            if let value = optionValue(v, type: valueType, key: "\(key).\(name)", path: entryPath) {
                keys.append(name)
                values[name] = value
            }
        }
        return .map(keys, values)
    }
}
