import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import PasserelleStore
import Testing

@testable import Passerelle

/// The statement workbook and page, the commission invoices and the FEC file of the April 2027 fixture.
@Suite struct FinanceOutputsTests {
    static let pipeline = "name: close\nvariables: { month: \"2027-04\" }\n" + FinanceFixture.computeStages + """

          invoices:
            kind: output.commission_invoices
            inputs: [payouts]
            options:
              seller: { name: Centrale <Test>, address: "1 place de la Gare, 74400 Chamonix", siren: "123456789", legal_form: SAS, capital: 20 000 €, rcs_city: Annecy, vat_number: FR32123456789 }
              vat_rate: 20 %
          statement_xlsx: { kind: output.statement_xlsx, inputs: [invoices], options: { file: "releve-${month}.xlsx", company: Centrale Test } }
          statement_html: { kind: output.statement_html, inputs: [invoices], options: { file: "releve-${month}.html" } }
          fec: { kind: output.fec, inputs: [invoices], options: { siren: "123456789" } }
        """

    func close(_ month: String, in folder: URL) throws -> RunReport {
        let report = try FinanceFixture.run(Self.pipeline, month: month, in: folder)
        let succeeded = report.succeeded
        #expect(succeeded, "\(report.summary)")
        return report
    }

    func aprilFolder() throws -> URL {
        let folder = try TestSupport.temporaryDirectory()
        try FinanceFixture.makeStore(at: TestSupport.options(in: folder).storePath)
        return folder
    }

    @Test func theWorkbookHasSumFormulasWithTheirCachedValues() throws {
        let folder = try aprilFolder()
        let report = try close("2027-04", in: folder)
        let file = report.outputDirectory.appendingPathComponent("releve-2027-04.xlsx").path
        let script = """
            import openpyxl, sys
            f = openpyxl.load_workbook(sys.argv[1]); v = openpyxl.load_workbook(sys.argv[1], data_only=True)
            for name in ["Synthèse"]:
                for row in f[name].iter_rows(min_row=4):
                    for c in row:
                        if c.value is not None:
                            print(name, c.coordinate, c.value, v[name][c.coordinate].value, c.number_format, sep="|")
            s = f["Synthèse"]
            print("freeze", s.freeze_panes, "filter", s.auto_filter.ref, "width", s.column_dimensions["B"].width)
            print("title", f.properties.title, "|", f.properties.creator)
            print("sheets", f.sheetnames, f["Annulations"]["D4"].value, f["Détail"].max_row)
            """
        let lines = try python(["-c", script, file]).split(separator: "\n").map(String.init)
        #expect(lines.contains("Synthèse|G4|=D4-E4-F4|1049.07|#,##0.00 \"€\""))
        #expect(lines.contains("Synthèse|I4|FC-000001|FC-000001|General"))
        #expect(lines.contains("Synthèse|D6|=SUM(D4:D5)|1795.83|#,##0.00 \"€\""))
        #expect(lines.contains("Synthèse|E6|=SUM(E4:E5)|223.3|#,##0.00 \"€\""))
        #expect(lines.contains("Synthèse|F6|=SUM(F4:F5)|31.8|#,##0.00 \"€\""))
        #expect(lines.contains("Synthèse|G6|=SUM(G4:G5)|1540.73|#,##0.00 \"€\""))
        #expect(lines.contains { $0.hasPrefix("Synthèse|H4|") && $0.hasSuffix("|dd/mm/yyyy") })
        #expect(lines.contains("freeze A4 filter A3:I5 width 32.7109375"))
        #expect(lines.contains("title Relevé des commissions — avril 2027 | Centrale Test"))
        #expect(lines.contains("sheets ['Synthèse', 'Détail', 'Annulations'] S4 8"))
    }

    @Test func theInvoicesAreNumberedOnceAndARerunReusesTheNumbers() throws {
        let folder = try aprilFolder()
        let first = try FinanceFixture.result(try close("2027-04", in: folder), "invoices")
        let table = try #require(first.output.tables["invoices"])
        #expect(FinanceFixture.column(table, "number") == ["FC-000001", "FC-000002"])
        #expect(FinanceFixture.column(table, "total_excluding_vat") == ["131,63\u{A0}€", "91,67\u{A0}€"])
        #expect(FinanceFixture.column(table, "vat") == ["26,33\u{A0}€", "18,33\u{A0}€"])
        #expect(FinanceFixture.column(table, "total_including_vat") == ["157,96\u{A0}€", "110,00\u{A0}€"])
        let again = try FinanceFixture.result(try close("2027-04", in: folder), "invoices")
        #expect(FinanceFixture.column(try #require(again.output.tables["invoices"]), "number") == ["FC-000001", "FC-000002"])
        let may = try FinanceFixture.result(try close("2027-05", in: folder), "invoices")
        #expect(FinanceFixture.column(try #require(may.output.tables["invoices"]), "number") == ["FC-000003"])
        let html = try String(
            contentsOf: folder.appendingPathComponent("out/close/run-0001/factures/FC-000002-H002.html"), encoding: .utf8)
        for mention in [
            "Facture n° FC-000002", "Gîte &lt;Bellevue&gt; &amp; Fils", "Centrale &lt;Test&gt;", "SIREN 123456789",
            "N° TVA intracommunautaire : FR32123456789", "TVA 20,00\u{A0}%", "Total TTC", "110,00\u{A0}€",
            "indemnité forfaitaire pour frais de recouvrement de 40 €", "Pas d'escompte", "RCS Annecy",
            "SAS au capital de 20 000 €", "Date de facture : 30/04/2027",
            "<strong>Gîte &lt;Bellevue&gt; &amp; Fils</strong><br>3 route du Col, 74110 Morzine<br>Code hébergeur : H002",
            "h002@example.fr",
        ] {
            #expect(html.contains(mention), "missing: \(mention)")
        }
    }

    @Test func theFECFileHasEighteenColumnsBalancedEntriesAndItsName() throws {
        let folder = try aprilFolder()
        let report = try close("2027-04", in: folder)
        let data = try Data(contentsOf: report.outputDirectory.appendingPathComponent("123456789FEC20271231.txt"))
        let text = String(decoding: data.map { Character(Unicode.Scalar($0)) }.map { String($0) }.joined().utf8, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.count == 7)
        #expect(lines.allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 18 })
        #expect(lines[0].hasPrefix("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum"))
        #expect(lines[1] == "VT\tVentes\tFC-000001\t20270430\t411000\tClients\tH001\tChalet Les Aiguilles\tFC-000001\t20270430\tCommission FC-000001 Chalet Les Aiguilles\t157,96\t0,00\t\t\t20270430\t\t")
        #expect(lines[3].contains("\t445710\tTVA collectée\t") && lines[3].contains("\t0,00\t26,33\t"))
        #expect(data.last != 0x0A)
        #expect(data.contains(0xE9))  // "é" in ISO 8859-15
    }

    @Test func theStatementPageIsValidSelfContainedAndEscaped() throws {
        let folder = try aprilFolder()
        let report = try close("2027-04", in: folder)
        let path = report.outputDirectory.appendingPathComponent("releve-2027-04.html").path
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("Gîte &lt;Bellevue&gt; &amp; Fils"))
        #expect(!html.contains("<Bellevue>"))
        #expect(html.contains("<svg") && html.components(separatedBy: "<rect ").count - 1 == 12)
        #expect(html.contains("@media print"))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count == 2)  // only the SVG namespace
        #expect(html.contains("FC-000001"))
        try expectTidyAcceptsWithoutError(path)
        for invoice in ["FC-000001-H001.html", "FC-000002-H002.html"] {
            try expectTidyAcceptsWithoutError(report.outputDirectory.appendingPathComponent("factures/\(invoice)").path)
        }
    }

    @Test func aMonthWithoutStaysGivesEmptyValidDocuments() throws {
        let folder = try aprilFolder()
        let report = try close("2031-01", in: folder)
        let out = report.outputDirectory
        let dump = try python([
            "-c", "import openpyxl,sys; w=openpyxl.load_workbook(sys.argv[1]); print(w['Synthèse']['A4'].value, w['Synthèse']['D5'].value)",
            out.appendingPathComponent("releve-2031-01.xlsx").path,
        ])
        #expect(dump == "Aucun versement ce mois-ci. =SUM(D4:D4)\n")
        try expectTidyAcceptsWithoutError(out.appendingPathComponent("releve-2031-01.html").path)
        let fec = try String(contentsOf: out.appendingPathComponent("123456789FEC20311231.txt"), encoding: .isoLatin1)
        #expect(!fec.contains("\r\n") && fec.hasPrefix("JournalCode\t"))
        #expect(try FinanceFixture.result(report, "invoices").files.isEmpty)
    }

    /// Runs Debian's `tidy -q -e` and fails on any error it reports (warnings are allowed).
    func expectTidyAcceptsWithoutError(_ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tidy", "-q", "-e", path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus < 2, "tidy found errors in \(path):\n\(text)")
        #expect(!text.contains("Error:"), "\(text)")
    }
}
