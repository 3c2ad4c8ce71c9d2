import Foundation
import Mustache
import Testing

@testable import PasserelleStages

/// The compiled form of the e-mail templates gives exactly swift-mustache's text, and templates it cannot
/// compile are left to swift-mustache.
@Suite struct FlatTemplateTests {
    static let tricky = ["", "Marie-Hélène", "<script>&\"'</script>", "O'Brien & fils", "{{x}}", "a\r\nb", "😀 é"]

    @Test func theDailyImportTemplatesCompileAndRenderLikeMustache() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../reports/emails")
        for folder in ["stay-code", "stay-update", "overlap-alert"] {  // the batches of the daily import
            let folderURL = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: folderURL.path).sorted()
            where name.hasSuffix(".mustache") {
                let source = try String(contentsOf: folderURL.appendingPathComponent(name), encoding: .utf8)
                let mustache = try MustacheTemplate(string: source)
                let flat = try #require(FlatTemplate(source: source, template: mustache), "\(folder)/\(name)")
                for value in Self.tricky {
                    var values: [String: String] = [:]
                    for field in flat.fieldNames { values[field] = "\(value)\(field)" }
                    #expect(flat.render { values[$0] ?? "" } == mustache.render(values), "\(folder)/\(name) with \(value)")
                }
            }
        }
    }

    @Test func escapesDoubleBracesAndNotTripleOrAmpersand() throws {
        let source = "<p>{{a}} {{{a}}} {{& a}} {{ a }}</p>"
        let flat = try #require(FlatTemplate(source: source, template: try MustacheTemplate(string: source)))
        #expect(flat.render { _ in "<&>\"'" } == "<p>&lt;&amp;&gt;&quot;&#39; <&>\"' <&>\"' &lt;&amp;&gt;&quot;&#39;</p>")
        #expect(flat.fieldNames == ["a", "a", "a", "a"])
    }

    @Test(arguments: [
        "{{#a}}x{{/a}}", "{{^a}}x{{/a}}", "{{! note }}", "{{> partial}}", "{{=<% %>=}}", "{{a.b}}", "{{a", "{{}}",
    ])
    func leavesOtherTagsToMustache(source: String) throws {
        let mustache = try? MustacheTemplate(string: source)
        if let mustache { #expect(FlatTemplate(source: source, template: mustache)?.pieces == nil) }
    }
}
