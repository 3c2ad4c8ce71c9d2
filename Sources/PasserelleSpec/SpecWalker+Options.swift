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
        guard let values = objectValue(node, options: schema.options, context: context, owner: "stage '\(stage)'") else {
            return OptionValues()
        }
        return OptionValues(values)
    }

    /// Checks a mapping against known option specs; nil when the node is not a mapping.
    mutating func objectValue(_ node: Node, options: [OptionSpec], context: String, owner: String) -> [String: OptionValue]? {
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
            if let value = optionValue(valueNode, type: option.type, key: option.key) { values[option.key] = value }
        }
        return values
    }

    /// Checks one value against its type, substituting variables in scalars and resolving paths.
    mutating func optionValue(_ node: Node, type: OptionType, key: String = "") -> OptionValue? {
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
            return listValue(node, element: element, key: key)
        case .map(let valueType):
            return mapValue(node, valueType: valueType, key: key)
        case .object(let options):
            guard let values = objectValue(node, options: options, context: "in '\(key)'", owner: "'\(key)'") else {
                return nil
            }
            let keys = node.mapping?.keys.compactMap(\.string).filter { values[$0] != nil } ?? []
            return .map(keys, values)
        case .columns:
            return columnsValue(node, key: key)
        }
    }

    mutating func pathValue(_ node: Node, mustExist: Bool, key: String) -> OptionValue? {
        guard let text = scalarString(node, expected: "a path") else { return nil }
        let path = text.hasPrefix("/") ? text : URL(fileURLWithPath: baseDirectory).appendingPathComponent(text).standardizedFileURL.path
        if mustExist && !FileManager.default.isReadableFile(atPath: path) {
            report(
                "spec.unreadable_path", node, "'\(key)' names '\(text)', which cannot be read (looked for \(path))",
                found: text, fix: "check the path; relative paths start from the definition file's folder")
        }
        return .string(path)
    }

    mutating func listValue(_ node: Node, element: OptionType, key: String) -> OptionValue? {
        if node.scalar != nil {
            return optionValue(node, type: element, key: key).map { .list([$0]) }
        }
        guard let sequence = node.sequence else {
            report("spec.wrong_type", node, "'\(key)' must be \(OptionType.list(element).displayName), found \(SpecWalker.describe(node))")
            return nil
        }
        var items: [OptionValue] = []
        for item in sequence {
            if let value = optionValue(item, type: element, key: key) { items.append(value) }
        }
        return .list(items)
    }

    mutating func mapValue(_ node: Node, valueType: OptionType, key: String) -> OptionValue? {
        guard let mapping = node.mapping else {
            report("spec.wrong_type", node, "'\(key)' must be \(OptionType.map(valueType).displayName), found \(SpecWalker.describe(node))")
            return nil
        }
        var keys: [String] = []
        var values: [String: OptionValue] = [:]
        for (k, v) in mapping {
            guard let name = k.string else { continue }
            if let value = optionValue(v, type: valueType, key: "\(key).\(name)") {
                keys.append(name)
                values[name] = value
            }
        }
        return .map(keys, values)
    }
}
