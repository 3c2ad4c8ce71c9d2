import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Testing

@testable import Passerelle

/// One mistake per definition: the rule and the `line:column` it must be reported at.
struct SpecMistake: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var rule: String
    var line: Int
    var column: Int
    var fix: String?

    var testDescription: String { name }

    static let all: [SpecMistake] = [
        .init(name: "unknown key", yaml: "name: x\nstages:\n  a:\n    kind: test.pass\n    inptus: []\n",
              rule: "spec.unknown_key", line: 5, column: 5, fix: "did you mean 'inputs'?"),
        .init(name: "unknown option", yaml: "name: x\nstages:\n  a:\n    kind: test.opts\n    options: { colums: 3 }\n",
              rule: "spec.unknown_key", line: 5, column: 16, fix: "did you mean 'columns'?"),
        .init(name: "wrong type", yaml: "name: x\nstages:\n  a:\n    kind: test.opts\n    options:\n      columns: many\n",
              rule: "spec.wrong_type", line: 6, column: 16, fix: nil),
        .init(name: "unknown kind", yaml: "name: x\nstages:\n  a:\n    kind: test.pas\n",
              rule: "spec.unknown_kind", line: 4, column: 11, fix: "did you mean 'test.pass'?"),
        .init(name: "misspelt input", yaml: "name: x\nstages:\n  load: { kind: test.pass }\n  b: { kind: test.pass, inputs: [lod] }\n",
              rule: "spec.unknown_input", line: 4, column: 34, fix: "did you mean 'load'?"),
        .init(name: "cycle", yaml: "name: x\nstages:\n  a: { kind: test.pass, inputs: [b] }\n  b: { kind: test.pass, inputs: [a] }\n",
              rule: "spec.cycle", line: 3, column: 3, fix: nil),
        .init(name: "duplicate stage", yaml: "name: x\nstages:\n  a: { kind: test.pass }\n  a: { kind: test.pass }\n",
              rule: "spec.duplicate_key", line: 4, column: 3, fix: nil),
        .init(name: "unreadable path", yaml: "name: x\nstages:\n  a:\n    kind: test.opts\n    options: { path: nowhere.xlsx }\n",
              rule: "spec.unreadable_path", line: 5, column: 22, fix: nil),
        .init(name: "bad cron", yaml: "name: x\nschedule: \"61 6 * * *\"\nstages:\n  a: { kind: test.pass }\n",
              rule: "spec.bad_cron", line: 2, column: 11, fix: nil),
        .init(name: "undefined variable", yaml: "name: x\nvariables: { folder: data }\nstages:\n  a:\n    kind: test.opts\n    options: { label: \"${fodler}/a\" }\n",
              rule: "spec.undefined_variable", line: 6, column: 23, fix: "did you mean 'folder'?"),
        .init(name: "missing required option", yaml: "name: x\nstages:\n  a:\n    kind: test.required\n",
              rule: "spec.missing_option", line: 3, column: 3, fix: nil),
        .init(name: "missing kind", yaml: "name: x\nstages:\n  a:\n    inputs: []\n",
              rule: "spec.missing_key", line: 3, column: 3, fix: nil),
        .init(name: "yaml syntax", yaml: "name: x\nstages:\n  a: { kind: test.pass\n",
              rule: "spec.yaml_syntax", line: 4, column: 1, fix: nil),
    ]
}

/// A stage with typed options, for checking definitions.
struct OptionsStage: Stage {
    static let schema = StageKindSchema(
        kind: "test.opts", summary: "Options.",
        options: [
            OptionSpec("columns", .integer, "A number."), OptionSpec("path", .path(mustExist: true), "A file."),
            OptionSpec("label", .string, "Text."),
        ], inputs: 0...8)
    init(spec: StageSpec) throws {}
    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput { StageOutput() }
}

/// A stage with a required option.
struct RequiredStage: Stage {
    static let schema = StageKindSchema(
        kind: "test.required", summary: "Required.", options: [OptionSpec("path", .string, required: true, "A file.")],
        inputs: 0...8)
    init(spec: StageSpec) throws {}
    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput { StageOutput() }
}

@Suite struct SpecCheckTests {
    let catalog: [any Stage.Type] = [PassStage.self, OptionsStage.self, RequiredStage.self]

    @Test(arguments: SpecMistake.all)
    func reportsEachMistakeWithLineAndColumn(_ mistake: SpecMistake) throws {
        let result = SpecLoader(kinds: catalog.map { $0.schema }).load(text: mistake.yaml, file: "p.yml")
        #expect(result.spec == nil)
        let diagnostic = try #require(result.diagnostics.first { $0.rule == mistake.rule }, "\(result.diagnostics)")
        #expect(diagnostic.location == .yaml(file: "p.yml", line: mistake.line, column: mistake.column), "\(diagnostic.rendered)")
        if let fix = mistake.fix { #expect(diagnostic.fix == fix) }
    }

    @Test func reportsEveryMistakeAtOnce() {
        let yaml = "name: x\nschedul: daily\nstages:\n  a: { kind: test.pas }\n  b: { kind: test.pass, inputs: [c] }\n"
        let result = SpecLoader(kinds: catalog.map { $0.schema }).load(text: yaml, file: "p.yml")
        #expect(result.diagnostics.map(\.rule) == ["spec.unknown_key", "spec.unknown_kind", "spec.unknown_input"])
    }

    @Test func rendersADiagnosticWithACaretSnippet() {
        let yaml = "name: x\nstages:\n  a:\n    kind: test.opts\n    options:\n      colums: 3\n"
        let result = SpecLoader(kinds: catalog.map { $0.schema }).load(text: yaml, file: "pipelines/p.yml")
        let text = result.diagnostics.map { $0.rendered(source: result.sourceLines) }.joined(separator: "\n")
        #expect(
            text == """
                pipelines/p.yml:6:7: error: unknown key 'colums' in the options of stage 'a' (test.opts) [spec.unknown_key]
                 6 |       colums: 3
                   |       ^~~~~~
                  fix: did you mean 'columns'?
                """)
    }

    @Test func variablesTakeDefaultsOverridesAndEnvironment() throws {
        let yaml = """
            name: x
            variables:
              folder: data
              sender: ${env:SENDER:-nobody@example.fr}
            stages:
              a: { kind: test.opts, options: { label: "${folder}/${sender}" } }
            """
        let loader = SpecLoader(kinds: catalog.map { $0.schema }, overrides: ["folder": "in"], environment: ["SENDER": "ot@example.fr"])
        let spec = try #require(loader.load(text: yaml, file: "p.yml").spec)
        #expect(spec.stages[0].options.string("label") == "in/ot@example.fr")
    }

    @Test func checkIsCleanOnTheProjectPipelines() throws {
        let folder = TestSupport.repositoryRoot.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yml") }.sorted()
        try #require(!files.isEmpty)
        for file in files {
            let result = Passerelle(environment: [:]).load(folder.appendingPathComponent(file).path)
            #expect(result.diagnostics.isEmpty, "\(file): \(result.diagnostics.map(\.rendered))")
        }
    }

    @Test func cronExpressionsAreParsed() throws {
        let cron = try CronExpression(parsing: "0 6 * * 1-6")
        #expect(cron.matches(minute: 0, hour: 6, day: 24, month: 11, weekday: 2))
        #expect(!cron.matches(minute: 0, hour: 6, day: 29, month: 11, weekday: 7))
        #expect(throws: CronExpression.Problem.self) { try CronExpression(parsing: "0 25 * * *") }
    }
}
