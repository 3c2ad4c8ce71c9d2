import Foundation
import PasserelleCore
import Yams

extension SpecWalker {
    /// Reads `variables:`: `name: default` or `name: { default: ..., description: ... }`; `--var` overrides win.
    mutating func readVariables(_ node: Node?) {
        if let node {
            if let mapping = node.mapping {
                for (key, value) in mapping {
                    guard let name = key.string else { continue }
                    definedVariables.append(name)
                    if let scalar = value.scalar {
                        variables[name] = scalar.string
                    } else if let inner = value.mapping {
                        checkKeys(inner, known: ["default", "description"], context: "in variable '\(name)'")
                        if let text = inner["default"]?.scalar?.string { variables[name] = text }
                    } else {
                        report("spec.wrong_type", value, "variable '\(name)' must be a value or { default, description }")
                    }
                }
            } else {
                report("spec.wrong_type", node, "'variables' must be a mapping of names to default values")
            }
        }
        for (name, value) in loader.overrides.sorted(by: { $0.key < $1.key }) {
            guard definedVariables.contains(name) else {
                reportUnknownOverride(name, at: node)
                continue
            }
            variables[name] = value
        }
        // Defaults may use ${env:NAME}; resolve them once, in definition order.
        for name in definedVariables {
            if let text = variables[name], loader.overrides[name] == nil, let node = node?.mapping?[name] {
                variables[name] = substitute(text, at: node)
            }
        }
    }

    /// A `--var name=value` naming no variable of the pipeline: it would be ignored, and the run would go on
    /// with the default (the wrong file, the wrong month), so it is an error.
    private mutating func reportUnknownOverride(_ name: String, at node: Node?) {
        let location = node.map(location) ?? .yaml(file: file, line: 1, column: 1)
        let fix =
            Suggestion.nearest(to: name, in: definedVariables).map { "did you mean '--var \($0)=...'?" }
            ?? (definedVariables.isEmpty
                ? "remove it; this pipeline has no variables"
                : "remove it; the variables of this pipeline are "
                    + definedVariables.map { "'\($0)'" }.joined(separator: ", "))
        diagnostics.append(
            Diagnostic(
                rule: "spec.unknown_variable", location: location,
                message: "--var '\(name)' names no variable of the pipeline", found: name, fix: fix))
    }

    /// Replaces `${name}`, `${env:NAME}` and `${env:NAME:-fallback}` in a scalar; `$${` writes a literal `${`.
    mutating func substitute(_ text: String, at node: Node) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            if start.lowerBound > rest.startIndex, rest[rest.index(before: start.lowerBound)] == "$" {
                result += rest[rest.startIndex..<rest.index(before: start.lowerBound)] + "${"
                rest = rest[start.upperBound...]
                continue
            }
            result += rest[rest.startIndex..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                report(
                    "spec.bad_reference", node, "unclosed '${' in '\(text)'", found: text,
                    fix: "close the reference with '}' or write '$${' for a literal '${'")
                return text
            }
            result += resolve(String(rest[start.upperBound..<end]), in: text, at: node)
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    private mutating func resolve(_ reference: String, in text: String, at node: Node) -> String {
        if reference.hasPrefix("env:") {
            let body = reference.dropFirst(4)
            let parts = body.components(separatedBy: ":-")
            let name = parts[0]
            if let value = loader.environment[name] { return value }
            if parts.count > 1 { return parts.dropFirst().joined(separator: ":-") }
            report(
                "spec.undefined_environment", node, "environment variable '\(name)' is not set (used in '\(text)')",
                found: text, fix: "export \(name) before running, or write '${env:\(name):-default}'")
            return ""
        }
        if let value = variables[reference] { return value }
        let suggestion = Suggestion.nearest(to: reference, in: definedVariables)
        report(
            "spec.undefined_variable", node, "variable '\(reference)' is used but never defined", found: text,
            fix: suggestion.map { "did you mean '\($0)'?" }
                ?? "define it under 'variables:' or pass --var \(reference)=VALUE")
        return ""
    }
}
