import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Testing

@testable import Passerelle
@testable import PasserelleStages

/// `output.csv_report` writes a layout's section as a French Excel saves a CSV: `;`, CRLF, values as displayed,
/// formula-looking text neutralised, UTF-8 with its mark or Windows-1252.
@Suite struct CSVReportTests {
    static let section = ReportData.Section(
        title: "Lignes rejetées", headers: ["Référence", "Montant", "Taux", "Arrivée", "Nom", "Payé"],
        rows: [
            [.text("CR-1"), .money(Money(cents: 123_456)), .percent(1_750), .date(CalendarDate(year: 2027, month: 1, day: 5)!),
             .text("Lambert ; \"Giraud\""), .bool(true)],
            [.text("CR-2"), .money(Money(cents: -5)), .percent(0), .null, .text("=HYPERLINK(\"x\")"), .bool(false)],
            [.text("CR-3"), .null, .null, .null, .text("Lecœur\nVallée ✈"), .null],
        ], empty: "Aucune ligne.")

    static func written(_ encoding: CSVEncoding) throws -> (bytes: [UInt8], replaced: Int, url: URL) {
        let url = try TestSupport.temporaryFile(named: "rejets.csv")
        let replaced = try FrenchCSVWriter.write(section, to: url, encoding: encoding)
        return (Array(try Data(contentsOf: url)), replaced, url)
    }

    @Test func valuesAreWrittenAsAFrenchExcelShowsThemAndQuotedWhenTheyMustBe() throws {
        let (bytes, replaced, _) = try Self.written(.utf8BOM)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(replaced == 0)
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(
            text == "Référence;Montant;Taux;Arrivée;Nom;Payé\r\n"
                + "CR-1;1234,56;17,50%;05/01/2027;\"Lambert ; \"\"Giraud\"\"\";Oui\r\n"
                + "CR-2;-0,05;0,00%;;\"'=HYPERLINK(\"\"x\"\")\";Non\r\n"
                + "CR-3;;;;\"Lecœur\nVallée ✈\";\r\n")
    }

    @Test func windows1252WritesTheCodePageAndCountsWhatItLacks() throws {
        let (bytes, replaced, _) = try Self.written(.windows1252)
        #expect(bytes.first == UInt8(ascii: "R"))  // no byte-order mark
        #expect(bytes.contains(0xE9))  // é
        #expect(bytes.contains(0x9C))  // œ, where ISO-8859-1 has a control character
        #expect(replaced == 1)  // ✈
        #expect(!bytes.contains(0xC3))  // nothing left in UTF-8
    }

    /// Python's csv module, an independent reader, finds the same fields (skipped without python3).
    @Test func pythonsCSVReaderReadsTheSameFields() throws {
        let (_, _, url) = try Self.written(.utf8BOM)
        let script = """
            import csv, json, sys
            with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
                print(json.dumps(list(csv.reader(f, delimiter=";"))))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch {
            print("CSVReportTests: python3 not found, independent read skipped")
            return
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            print("CSVReportTests: python3 not found, independent read skipped")
            return
        }
        let rows = try #require(try JSONSerialization.jsonObject(with: output) as? [[String]])
        #expect(rows.count == 4)
        #expect(rows[1] == ["CR-1", "1234,56", "17,50%", "05/01/2027", "Lambert ; \"Giraud\"", "Oui"])
        #expect(rows[3][4] == "Lecœur\nVallée ✈")
    }

    /// A layout of several sections needs `section`, found by `check` at the option's place; a wrong title lists
    /// the layout's titles.
    @Test func checkRefusesALayoutOfSeveralSectionsWithoutItsSection() throws {
        let folder = try TestSupport.temporaryDirectory()
        try Data("title: R\nsections:\n  - { title: A, source: rejected }\n  - { title: B, source: files }\n".utf8)
            .write(to: folder.appendingPathComponent("layout.yml"))
        func load(_ options: String) -> [String] {
            let yaml = "name: t\nstages:\n  a: { kind: test.pass }\n  csv:\n    kind: output.csv_report\n"
                + "    inputs: [a]\n    options: { layout: layout.yml, file: r.csv\(options) }\n"
            let file = folder.appendingPathComponent("pipeline.yml")
            try? Data(yaml.utf8).write(to: file)  // try?: a write failure shows as the expectations failing
            let passerelle = Passerelle(catalog: StageCatalog.all + [PassStage.self], environment: [:])
            return passerelle.load(file.path).diagnostics.map(\.rendered)
        }
        let missing = load("")
        #expect(missing.count == 1)
        #expect(missing.first?.contains("pipeline.yml:7:") == true)
        #expect(missing.first?.contains("the layout has 2 sections and a CSV file holds one") == true)
        let wrong = load(", section: C")
        #expect(wrong.first?.contains("no section titled 'C'") == true)
        #expect(wrong.first?.contains("'A', 'B'") == true)
        #expect(load(", section: B").isEmpty)
    }

    /// The benchmark's reference job (`Benchmarks/reference-job/`) on the sample exports: its rejects CSV lists every
    /// rejected row, and each month's statement reads the stays this very run stored (`ingest.stored_stays`
    /// waiting for `store_stays`), at one job as at four, byte for byte.
    @Test func theReferenceJobStoresThenWritesEveryMonthsStatementFromWhatItStored() throws {
        let pipeline = TestSupport.repositoryRoot.appendingPathComponent("Benchmarks/reference-job/reference-job.yml").path
        var outputs: [[String: Data]] = []
        for jobs in [1, 4] {
            let folder = try TestSupport.temporaryDirectory()
            let passerelle = Passerelle(environment: [:])
            let loaded = passerelle.load(pipeline, overrides: ["input_directory": TestSupport.fixture("daily").path])
            let spec = try #require(loaded.spec, "\(loaded.diagnostics.map(\.rendered))")
            let report = try passerelle.run(
                spec, options: TestSupport.options(in: folder, jobs: jobs), observer: nil, logger: TestSupport.quietLogger)
            #expect(report.succeeded, "\(report.summary)")
            let files = try TestSupport.files(under: folder.appendingPathComponent("out"))
            let csv = try #require(files.first { $0.key.hasSuffix("rejets.csv") }?.value)
            let lines = String(decoding: csv.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            let rejected = report.results.flatMap(\.rejected).count
            #expect(rejected == 14 && lines.count == 1 + rejected)
            let statements = files.keys.filter { $0.contains("releve-commissions-") && $0.hasSuffix(".xlsx") }
            #expect(statements.count == 5)
            let paid = report.results.filter { $0.name.hasPrefix("payouts_") }.map { $0.output.rowsOut }
            #expect(paid.count == 5 && paid.allSatisfy { $0 > 0 })
            outputs.append(files.filter { !$0.key.hasSuffix(".sqlite") })
        }
        #expect(outputs[0].keys.sorted() == outputs[1].keys.sorted())
        for (name, data) in outputs[0] {
            #expect(outputs[1][name] == data, "\(name) differs between 1 and 4 jobs")
        }
    }
}
