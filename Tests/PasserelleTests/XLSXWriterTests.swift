import Foundation
import PasserelleCore
import Testing

@testable import PasserelleStages

/// Writes real workbooks into a temporary folder and reads them back with openpyxl (`Support/dump_xlsx.py`).
///
/// python3 and openpyxl are required: without them these tests fail with an explanation, never pass silently.
@Suite struct XLSXWriterTests {
    /// A fixed run clock: Sunday 22 November 2026, 10:00 in Paris.
    static let created = Date(timeIntervalSince1970: 1_795_338_000)

    @Test func writesTextIntegerAndBoolCells() throws {
        let lines = try dumpOfOneSheet { sheet in
            try sheet.write(row: 0, column: 0, value: .text("Gîte des Écureuils"))
            try sheet.write(row: 0, column: 1, value: .integer(42))
            try sheet.write(row: 0, column: 2, value: .bool(true))
            try sheet.write(row: 0, column: 3, value: .bool(false))
            try sheet.write(row: 0, column: 4, value: .null)
            try sheet.write(row: 1, column: 0, value: .integer(9_007_199_254_740_993))
        }
        #expect(
            lines == [
                "Feuille!A1\tGîte des Écureuils\tGeneral",
                "Feuille!B1\t42\tGeneral",
                "Feuille!C1\tOui\tGeneral",
                "Feuille!D1\tNon\tGeneral",
                "Feuille!A2\t9007199254740993\tGeneral",
            ])
    }

    @Test func writesMoneyAsNumberWithEuroFormat() throws {
        let lines = try dumpOfOneSheet { sheet in
            try sheet.write(row: 0, column: 0, value: .money(Money(cents: 123_450)))
            try sheet.write(row: 1, column: 0, value: .money(Money(cents: -1_999)))
            try sheet.write(row: 2, column: 0, value: .money(Money(cents: 10)))
        }
        #expect(
            lines == [
                "Feuille!A1\t1234.5\t#,##0.00 \"€\"",
                "Feuille!A2\t-19.99\t#,##0.00 \"€\"",
                "Feuille!A3\t0.1\t#,##0.00 \"€\"",
            ])
    }

    @Test func writesPercentAsFractionWithPercentFormat() throws {
        let lines = try dumpOfOneSheet { sheet in
            try sheet.write(row: 0, column: 0, value: .percent(1_700))
            try sheet.write(row: 1, column: 0, value: .percent(1_250))
        }
        #expect(lines == ["Feuille!A1\t0.17\t0.00%", "Feuille!A2\t0.125\t0.00%"])
    }

    @Test func writesDatesAsExcelSerialsWithFrenchFormat() throws {
        let arrival = try #require(CalendarDate(year: 2026, month: 2, day: 12))
        let leapDay = try #require(CalendarDate(year: 2028, month: 2, day: 29))
        let lines = try dumpOfOneSheet { sheet in
            try sheet.write(row: 0, column: 0, value: .date(arrival))
            try sheet.write(row: 1, column: 0, value: .date(leapDay))
        }
        #expect(lines == ["Feuille!A1\t2026-02-12\tdd/mm/yyyy", "Feuille!A2\t2028-02-29\tdd/mm/yyyy"])
    }

    @Test func storesDatesAsSerialNumbers() throws {
        let arrival = try #require(CalendarDate(year: 2026, month: 2, day: 12))
        let url = try writeWorkbook { document in
            try document.addSheet("Séjours").write(row: 0, column: 0, value: .date(arrival))
        }
        let sheetXML = try python(["-c", Self.readSheetXML, url.path])
        // 46065 is the serial Excel shows for 12/02/2026 formatted as a number.
        #expect(sheetXML.contains("<v>46065</v>"))
    }

    @Test func neutralisesFormulaLikeText() throws {
        let texts = ["=1+2", "+33 6 12 34 56 78", "-12", "@SUM(A1:A2)", "\tcmd", "\rcmd", "Dupont = client"]
        let lines = try dumpOfOneSheet(details: true) { sheet in
            for (row, text) in texts.enumerated() { try sheet.write(row: row, column: 0, value: .text(text)) }
        }
        #expect(
            lines == [
                "Feuille!A1\t=1+2\t@\ts\t-\t-",
                "Feuille!A2\t+33 6 12 34 56 78\t@\ts\t-\t-",
                "Feuille!A3\t-12\t@\ts\t-\t-",
                "Feuille!A4\t@SUM(A1:A2)\t@\ts\t-\t-",
                "Feuille!A5\t\\tcmd\t@\ts\t-\t-",
                // libxlsxwriter stores CR as the OOXML escape _x000D_, which Excel decodes and openpyxl shows as is.
                "Feuille!A6\t_x000D_cmd\t@\ts\t-\t-",
                "Feuille!A7\tDupont = client\tGeneral\ts\t-\t-",
                "#formulas\t0",
            ])
    }

    @Test func styleHeaderFreezesPaneAndFiltersTable() throws {
        let lines = try dumpOfOneSheet(details: true) { sheet in
            try sheet.writeTitle(row: 0, text: "Commissions de février 2026")
            try sheet.writeHeader(row: 2, ["Prestataire", "Montant", "=Taux"])
            try sheet.write(row: 3, column: 0, value: .text("Gîte A"))
            try sheet.write(row: 4, column: 1, value: .money(Money(cents: 500)))
            try sheet.setColumnWidth(column: 0, width: 30)
        }
        #expect(
            lines == [
                "Feuille!A1\tCommissions de février 2026\tGeneral\ts\tbold\t-",
                "Feuille!A3\tPrestataire\tGeneral\ts\tbold\tFFD9D9D9",
                "Feuille!B3\tMontant\tGeneral\ts\tbold\tFFD9D9D9",
                "Feuille!C3\t=Taux\t@\ts\tbold\tFFD9D9D9",
                "Feuille!A4\tGîte A\tGeneral\ts\t-\t-",
                "Feuille!B5\t5\t#,##0.00 \"€\"\tn\t-\t-",
                "Feuille!#freeze\tA4",
                "Feuille!#autofilter\tA3:C5",
                "#formulas\t0",
            ])
    }

    @Test(
        arguments: [
            ("Commissions 02/2026", [], "Commissions 02_2026"),
            ("[Séjours]: *?\\", [], "_Séjours__ ___"),
            ("'Payouts'", [], "Payouts"),
            ("", [], "Feuille"),
            ("history", [], "history (2)"),
            ("Séjours", ["SÉJOURS", "séjours (2)"], "Séjours (3)"),
            ("Récapitulatif des commissions de l'office", [], "Récapitulatif des commissions d"),
            (
                "Récapitulatif des commissions de l'office", ["Récapitulatif des commissions d"],
                "Récapitulatif des commissio (2)"
            ),
        ] as [(String, [String], String)])
    func sanitisesSheetNames(proposed: String, used: [String], expected: String) {
        #expect(XLSXDocument.sheetName(proposed, avoiding: used) == expected)
    }

    @Test func writesSanitisedUniqueSheetNames() throws {
        let url = try writeWorkbook { document in
            for name in ["Séjours", "séjours", "A/B"] {
                try document.addSheet(name).write(row: 0, column: 0, value: .integer(1))
            }
        }
        let lines = try dump(url)
        #expect(lines == ["Séjours!A1\t1\tGeneral", "séjours (2)!A1\t1\tGeneral", "A_B!A1\t1\tGeneral"])
    }

    @Test func writesByteIdenticalFilesForTheSameCreationDate() async throws {
        let first = try writeWorkbook(created: Self.created, fill: Self.fillSample)
        // More than the 2-second resolution of zip timestamps, so a clock-stamped entry would differ.
        try await Task.sleep(for: .milliseconds(2_100))
        let second = try writeWorkbook(created: Self.created, fill: Self.fillSample)
        #expect(try Data(contentsOf: first) == Data(contentsOf: second))
    }

    @Test func storesCreationDateAndFixedZipTimestamps() throws {
        let url = try writeWorkbook(created: Self.created, fill: Self.fillSample)
        let report = try python(["-c", Self.readZipDates, url.path])
        #expect(
            report == "1980-01-01 00:00:00\n<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-22T09:00:00Z"
                + "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">2026-11-22T09:00:00Z</dcterms:modified>\n"
        )
    }

    @Test func rejectsMissingFolderWithPathAndRemedy() throws {
        let path = "/nonexistent-passerelle/out/report.xlsx"
        let error = #expect(throws: OutputError.self) { try XLSXDocument(path: path, created: Self.created) }
        #expect(
            error?.description == """
                /nonexistent-passerelle/out/report.xlsx: error: folder '/nonexistent-passerelle/out' does not exist
                  fix: create the folder or change the stage's output path
                """)
    }

    @Test func rejectsCreationDateAtEpoch() throws {
        let path = try temporaryFolder().appendingPathComponent("epoch.xlsx").path
        let error = #expect(throws: OutputError.self) {
            try XLSXDocument(path: path, created: Date(timeIntervalSince1970: 0))
        }
        #expect(error?.fix == "pass the run clock's date as the workbook's creation date")
    }

    @Test func wrapsLibraryErrorsWithCellAndRemedy() throws {
        let path = try temporaryFolder().appendingPathComponent("long.xlsx").path
        let document = try XLSXDocument(path: path, created: Self.created)
        let sheet = try document.addSheet("Séjours")
        let error = #expect(throws: OutputError.self) {
            try sheet.write(row: 1, column: 2, value: .text(String(repeating: "a", count: 32_768)))
        }
        #expect(error?.reason == "writing text in Séjours!C2: String exceeds Excel's limit of 32,767 characters.")
        #expect(error?.fix == "shorten the text to Excel's limit of 32,767 characters")
    }

    @Test func rejectsTextWithNULInsteadOfTruncatingIt() throws {
        let path = try temporaryFolder().appendingPathComponent("nul.xlsx").path
        let sheet = try XLSXDocument(path: path, created: Self.created).addSheet("Séjours")
        let error = #expect(throws: OutputError.self) { try sheet.write(row: 0, column: 1, value: .text("Gîte\0A")) }
        #expect(error?.reason == "text for Séjours!B1 contains a NUL character")
    }

    @Test func refusesWritesAfterClose() throws {
        let path = try temporaryFolder().appendingPathComponent("closed.xlsx").path
        let document = try XLSXDocument(path: path, created: Self.created)
        let sheet = try document.addSheet("Séjours")
        try document.close()
        #expect(throws: OutputError.self) { try sheet.write(row: 0, column: 0, value: .integer(1)) }
        #expect(throws: OutputError.self) { try document.close() }
    }

    @Test func rejectsCellsOutsideExcelLimits() throws {
        let path = try temporaryFolder().appendingPathComponent("limits.xlsx").path
        let sheet = try XLSXDocument(path: path, created: Self.created).addSheet("Séjours")
        let error = #expect(throws: OutputError.self) { try sheet.write(row: 1_048_576, column: 0, value: .integer(1)) }
        #expect(error?.fix == "split the report into several sheets or files")
    }
}

// MARK: - Helpers

extension XLSXWriterTests {
    static func fillSample(_ document: XLSXDocument) throws {
        let sheet = try document.addSheet("Commissions")
        try sheet.writeHeader(row: 0, ["Prestataire", "Arrivée", "Montant", "Taux"])
        try sheet.write(row: 1, column: 0, value: .text("Gîte des Écureuils"))
        try sheet.write(row: 1, column: 1, value: .date(CalendarDate(daysSinceEpoch: 20_496)))
        try sheet.write(row: 1, column: 2, value: .money(Money(cents: 123_450)))
        try sheet.write(row: 1, column: 3, value: .percent(1_700))
    }

    /// Prints the zip entries' distinct dates, then the created/modified elements of docProps/core.xml.
    static let readZipDates = """
        import re, sys, zipfile
        z = zipfile.ZipFile(sys.argv[1])
        print(*sorted({'%04d-%02d-%02d %02d:%02d:%02d' % i.date_time for i in z.infolist()}), sep='\\n')
        print(''.join(re.findall(r'<dcterms:(?:created|modified)[^<]*</dcterms:\\w+>', z.read('docProps/core.xml').decode())))
        """

    /// Prints the XML of the first worksheet.
    static let readSheetXML = """
        import sys, zipfile
        print(zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml').decode())
        """

    func dumpOfOneSheet(details: Bool = false, _ fill: (XLSXSheetWriter) throws -> Void) throws -> [String] {
        let url = try writeWorkbook { document in try fill(document.addSheet("Feuille")) }
        return try dump(url, details: details)
    }

    func writeWorkbook(created: Date = created, fill: (XLSXDocument) throws -> Void) throws -> URL {
        let url = try temporaryFolder().appendingPathComponent("report.xlsx")
        let document = try XLSXDocument(path: url.path, created: created)
        try fill(document)
        try document.close()
        return url
    }

    func dump(_ url: URL, details: Bool = false) throws -> [String] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Support/dump_xlsx.py").path
        let output = try python([script] + (details ? ["--details"] : []) + [url.path])
        return output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    func temporaryFolder() throws -> URL {
        try TestSupport.temporaryDirectory()
    }
}

/// A failure of the Python helper, with what to install when python3 or openpyxl is missing.
struct PythonFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs `python3` with `arguments` and returns its standard output; throws (failing the test) when it exits
/// non-zero, so a machine without python3 or openpyxl fails loudly instead of skipping.
func python(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PythonFailure(
            description: """
                python3 exited with status \(process.terminationStatus): \(errorText)
                fix: install python3 and openpyxl (apt-get install python3; pip install openpyxl), as CI does
                """)
    }
    return String(decoding: data, as: UTF8.self)
}
