import Foundation
import PasserelleCore
import Yams

/// Reads a pipeline definition into a `PipelineSpec`, collecting every mistake as a `Diagnostic`.
///
/// Nothing is thrown for a mistake in the user's YAML: all of them are reported at once, each with its
/// `file:line:column`, what was found, what was expected and a fix where one is likely.
package struct SpecLoader: Sendable {
    /// Every known stage kind, by name.
    package var kinds: [String: StageKindSchema]
    /// `--var name=value` overrides.
    package var overrides: [String: String]
    /// The process environment, for `${env:NAME}` references.
    package var environment: [String: String]

    package init(kinds: [StageKindSchema], overrides: [String: String] = [:], environment: [String: String] = [:]) {
        self.kinds = Dictionary(kinds.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.overrides = overrides
        self.environment = environment
    }

    /// The result of loading: the spec when there was no error, and every diagnostic found.
    package struct Result: Sendable {
        package var spec: PipelineSpec?
        package var diagnostics: [Diagnostic]
        /// The definition's lines, for caret snippets.
        package var sourceLines: [Substring]
        /// The definition file, as given.
        package var file: String = ""
    }

    /// The lines of a text file, for caret snippets (none when it cannot be read).
    package static func lines(ofFileAt path: String) -> [Substring] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { return [] }
        return lines(of: text)
    }

    static func lines(of text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }

    /// Loads and checks one definition file.
    package func load(file: String) -> Result {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
        else {
            let diagnostic = Diagnostic(
                rule: "spec.unreadable_file", location: .file(file),
                message: "cannot read the pipeline definition (missing, unreadable or not UTF-8)",
                fix: "check the path; definitions live under pipelines/ and are UTF-8 YAML")
            return Result(spec: nil, diagnostics: [diagnostic], sourceLines: [], file: file)
        }
        return load(text: text, file: file)
    }

    /// Loads and checks a definition given as text (`file` names it in diagnostics and anchors relative paths).
    package func load(text: String, file: String) -> Result {
        let lines = Self.lines(of: text)
        var walker = SpecWalker(loader: self, file: file)
        let (root, composeDiagnostics) = YAMLComposer.compose(text, file: file)
        walker.diagnostics += composeDiagnostics
        guard let root else { return Result(spec: nil, diagnostics: walker.diagnostics, sourceLines: lines, file: file) }
        let spec = walker.pipeline(from: root)
        let sorted = walker.diagnostics.sorted(by: SpecLoader.order)
        let hasError = sorted.contains { $0.severity == .error }
        return Result(spec: hasError ? nil : spec, diagnostics: sorted, sourceLines: lines, file: file)
    }

    private static func order(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        let la = a.location.line ?? 0
        let lb = b.location.line ?? 0
        if la != lb { return la < lb }
        if case .yaml(_, _, let ca) = a.location, case .yaml(_, _, let cb) = b.location, ca != cb { return ca < cb }
        return a.rule < b.rule
    }
}

/// Composes YAML text into a node tree, turning Yams' errors into diagnostics.
///
/// Duplicate keys make Yams refuse the whole document; to go on reporting the other mistakes, each
/// later duplicate is renamed in a copy of the text and composing is tried again.
enum YAMLComposer {
    static func compose(_ text: String, file: String) -> (Node?, [Diagnostic]) {
        var source = text
        var diagnostics: [Diagnostic] = []
        for _ in 0..<20 {
            do {
                return (try Yams.compose(yaml: source), diagnostics)
            } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
                guard let key = duplicates.first,
                    let (renamed, line, column) = renameSecond(key: key, after: context.mark.line, in: source)
                else { break }
                source = renamed
                diagnostics.append(
                    Diagnostic(
                        rule: "spec.duplicate_key", location: .yaml(file: file, line: line, column: column),
                        message: "'\(key)' is defined twice (first at line \(context.mark.line))", found: key,
                        fix: "rename one of them; stage names and keys must be unique in their mapping"))
            } catch let error as YamlError {
                diagnostics.append(syntaxDiagnostic(error, file: file))
                return (nil, diagnostics)
            } catch {
                diagnostics.append(
                    Diagnostic(rule: "spec.yaml_syntax", location: .file(file), message: "\(error)"))
                return (nil, diagnostics)
            }
        }
        return (nil, diagnostics)
    }

    private static func renameSecond(key: String, after line: Int, in text: String) -> (String, Int, Int)? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard line >= 1, line <= lines.count else { return nil }
        let first = lines[line - 1]
        let indent = first.prefix { $0 == " " }.count
        for i in line..<lines.count {
            let candidate = lines[i]
            let candidateIndent = candidate.prefix { $0 == " " }.count
            let body = candidate.dropFirst(candidateIndent)
            if candidateIndent < indent && !body.isEmpty && !body.hasPrefix("#") { return nil }
            if candidateIndent == indent && (body.hasPrefix("\(key):") || body.hasPrefix("\"\(key)\":")) {
                lines[i] = String(repeating: " ", count: indent) + "\(key)__duplicate_\(i + 1)" + body.dropFirst(key.count)
                return (lines.joined(separator: "\n"), i + 1, indent + 1)
            }
        }
        return nil
    }

    private static func syntaxDiagnostic(_ error: YamlError, file: String) -> Diagnostic {
        var line = 1
        var column = 1
        var problem = "\(error)"
        switch error {
        case .scanner(_, let text, let mark, _), .parser(_, let text, let mark, _):
            line = mark.line
            column = mark.column
            problem = text
        default: break
        }
        return Diagnostic(
            rule: "spec.yaml_syntax", location: .yaml(file: file, line: line, column: column),
            message: "the YAML cannot be read: \(problem)",
            fix: "check the indentation (spaces, not tabs) and quoting near this line")
    }
}
