import Foundation
import PasserelleCore
import Yams

/// A YAML file a stage reads beside its definition (the offices' settings, a refuge's definition, booking
/// accounts, a report layout, e-mail labels), composed with its marks and checked as the definition is:
/// an unknown key is an error at its line and column with a did-you-mean, and every mistake is collected.
///
/// ```swift
/// var file = try SideFile(path: "sample-data/offices.yml", what: "the offices' settings")
/// file.checkKeys(root, known: ["default_grace_hours", "offices"], context: "at the top level")
/// try file.throwIfFailed()
/// ```
package struct SideFile {
    package let path: String
    /// The composed document.
    package let root: Node
    /// Every mistake found so far, in the order found.
    package private(set) var diagnostics: [Diagnostic] = []

    /// Reads and composes the file; throws a `SideFileError` naming the file (and the line of a syntax error).
    package init(path: String, what: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw SideFileError(
                Diagnostic(
                    rule: "spec.side_file_unreadable", location: .file(path),
                    message: "cannot read \(what) (missing, unreadable or not UTF-8)",
                    fix: "check the path in the pipeline; relative paths start from the definition file's folder"))
        }
        let (node, problems) = YAMLComposer.compose(text, file: path)
        guard let node, problems.isEmpty else {
            throw SideFileError(diagnostics: problems.isEmpty ? [Self.empty(path, what)] : problems)
        }
        root = node
    }

    /// Where a node is written.
    package func location(_ node: Node) -> SourceLocation {
        .yaml(file: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// Records an error at `node`.
    package mutating func report(
        _ rule: String, _ node: Node, _ message: String, found: String? = nil, fix: String? = nil
    ) {
        diagnostics.append(Diagnostic(rule: rule, location: location(node), message: message, found: found, fix: fix))
    }

    /// Records every key of `mapping` that is not in `known`, at its place, with a did-you-mean.
    package mutating func checkKeys(_ mapping: Node.Mapping, known: [String], context: String) {
        diagnostics += Suggestion.unknownKeys(in: mapping, known: known, context: context, location: location)
    }

    /// Throws every mistake recorded, if any.
    package func throwIfFailed() throws {
        if !diagnostics.isEmpty { throw SideFileError(diagnostics: diagnostics) }
    }

    private static func empty(_ path: String, _ what: String) -> Diagnostic {
        Diagnostic(
            rule: "spec.side_file_empty", location: .file(path), message: "\(what) is empty",
            fix: "write the settings as a YAML mapping")
    }
}

/// An error that knows its places in the user's files: `check` and `run` report it as diagnostics, each at its
/// file, line and column, rather than as a stage that cannot be built.
package protocol DiagnosticConvertible: Error {
    var diagnostics: [Diagnostic] { get }
}

/// The mistakes found in a side file: the stage reading it cannot be built.
package struct SideFileError: DiagnosticConvertible, CustomStringConvertible {
    package var diagnostics: [Diagnostic]

    package init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    package init(_ diagnostic: Diagnostic) { diagnostics = [diagnostic] }

    package var description: String { diagnostics.map(\.rendered).joined(separator: "\n") }
}
