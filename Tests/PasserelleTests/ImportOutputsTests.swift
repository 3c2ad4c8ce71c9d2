import Foundation
import PasserelleCore
import PasserelleEngine
import Testing

@testable import Passerelle

/// The daily import's files, read back by independent readers: openpyxl, Python's `email`, html5lib.
@Suite struct ImportOutputsTests {
    static func runFolder() throws -> URL {
        let folder = try TestSupport.temporaryDirectory()
        let report = try DailyImportTests.run(in: folder)
        #expect(report.succeeded)
        return report.outputDirectory
    }

    @Test func theImportReportWorkbookReadsBackWithOpenpyxl() throws {
        let run = try Self.runFolder()
        let script = TestSupport.testsDirectory.appendingPathComponent("Support/dump_xlsx.py").path
        let dump = try python([script, run.appendingPathComponent("rapport-import.xlsx").path])
        let lines = dump.split(separator: "\n").map(String.init)
        #expect(lines.contains("Synthèse par fichier!A3\tFichier\tGeneral"))
        #expect(lines.contains("Synthèse par fichier!D4\t90\tGeneral"))
        #expect(lines.contains("Synthèse par fichier!D5\t300\tGeneral"))
        #expect(lines.contains("Synthèse par fichier!E5\t286\tGeneral"))
        #expect(lines.contains("Synthèse par fichier!F5\t14\tGeneral"))
        #expect(lines.contains { $0.hasPrefix("Lignes rejetées!G") && $0.contains("validate.client_email.missing") })
        #expect(lines.contains { $0.hasPrefix("Séjours créés!") && $0.contains("=HYPERLINK") && $0.hasSuffix("\t@") })
    }

    @Test func stayCodeMessagesParseBackWithPythonEmail() throws {
        let run = try Self.runFolder()
        let folder = run.appendingPathComponent("codes-sejour")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted()
        #expect(files.count == 280)
        let script = """
            import email, email.policy, sys, json
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
            print(json.dumps({"to": str(m["To"]), "subject": str(m["Subject"]), "defects": len(m.defects),
              "text": m.get_body(('plain',)).get_content(), "html": m.get_body(('html',)).get_content()}))
            """
        let output = try python(["-c", script, folder.appendingPathComponent(files[0]).path])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(parsed["defects"] as? Int == 0)
        let subject = try #require(parsed["subject"] as? String)
        #expect(subject.hasPrefix("Votre code séjour ") || subject.hasPrefix("Your stay code "))
        #expect((parsed["to"] as? String)?.contains("@") == true)
        #expect((parsed["text"] as? String)?.contains("CR-2026-") == true)
        #expect((parsed["html"] as? String)?.contains("<strong>") == true)
        let manifest = try String(contentsOf: folder.appendingPathComponent("manifest.csv"), encoding: .utf8)
        #expect(manifest.split(separator: "\r\n").count == 281)
    }

    @Test func theHTMLReportsAreValidHTML() throws {
        let run = try Self.runFolder()
        let script = """
            import html5lib, sys
            for path in sys.argv[1:]:
                html5lib.HTMLParser(strict=True).parse(open(path, 'rb').read())
            print("ok")
            """
        let pages = ["rapport-import.html", "chevauchements.html"].map { run.appendingPathComponent($0).path }
        let output = try python(["-c", script] + pages)
        #expect(output == "ok\n")
        let page = try String(contentsOfFile: pages[0], encoding: .utf8)
        #expect(page.contains("Lignes rejetées"))
        #expect(page.contains("&lt;") || !page.contains("<script"))
    }
}
