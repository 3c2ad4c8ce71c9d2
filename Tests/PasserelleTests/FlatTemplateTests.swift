import Foundation
import Mustache
import PasserelleCore
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

    @Test func rendersBoundToATableAsByName() throws {
        let source = "{{first_name}} {{arrival}} {{arrival_iso}} {{first_name_iso}} {{missing}} {{missing_iso}}."
        let template = try MessageTemplate(source: source)
        let table = Table(columns: ["first_name", "arrival"])
        let date = try #require(CalendarDate(year: 2027, month: 2, day: 12))
        let place = SourceLocation.csv(file: "sejours.csv", line: 2, field: nil, header: nil)
        let rows = [[.text("Zoë <&>"), .date(date)], [.text("Léo"), .text("pas une date")], []].map { (values: [Value]) in
            Row(location: place, values: values)
        }
        for row in rows {
            let byName = try #require(template.flat).render { name in
                if let column = table.column(name) { return row.value(at: column).frenchText }
                guard name.hasSuffix("_iso"), case .date(let d) = table.value(String(name.dropLast(4)), in: row) else { return "" }
                return d.description
            }
            #expect(template.bound(to: table).render(table, row) == byName)
            #expect(template.render(table, row) == byName)
        }
        #expect(template.bound(to: table).render(table, rows[0]) == "Zoë &lt;&amp;&gt; 12/02/2027 2027-02-12   .")
    }

    @Test(arguments: [
        "{{#a}}x{{/a}}", "{{^a}}x{{/a}}", "{{! note }}", "{{> partial}}", "{{=<% %>=}}", "{{a.b}}", "{{a", "{{}}",
    ])
    func leavesOtherTagsToMustache(source: String) throws {
        let mustache = try? MustacheTemplate(string: source)
        if let mustache { #expect(FlatTemplate(source: source, template: mustache)?.pieces == nil) }
    }
}
