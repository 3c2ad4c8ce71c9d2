import Foundation
import PasserelleCore
import Testing

@testable import PasserelleStages

/// A report section longer than one sheet goes on over more sheets, read back with openpyxl.
@Suite struct ReportWorkbookTests {
    static func write(_ data: ReportData, rowsPerSheet: Int = ReportWorkbook.rowsPerSheet) throws -> URL {
        let file = try TestSupport.temporaryDirectory().appendingPathComponent("rapport.xlsx")
        try ReportWorkbook.write(data, to: file, created: Date(timeIntervalSince1970: 1_795_500_000), rowsPerSheet: rowsPerSheet)
        return file
    }

    static func dump(_ file: URL) throws -> [String] {
        let script = TestSupport.testsDirectory.appendingPathComponent("Support/dump_xlsx.py").path
        return try python([script, file.path]).split(separator: "\n").map(String.init)
    }

    @Test func aLongSectionGoesOnOverMoreSheetsWithItsHeaderAndWhichRowsEachHolds() throws {
        let created = ReportData.Section(
            title: "Séjours créés", headers: ["Référence", "Nuits"],
            rows: (1...7).map { [.text("SEJ-\($0)"), .integer(Int64($0))] }, empty: "Aucun nouveau séjour.")
        let rejected = ReportData.Section(
            title: "Lignes rejetées", headers: ["Motif"], rows: [[.text("e-mail manquant")]], empty: "Aucune.")
        let lines = try Self.dump(Self.write(ReportData(title: "Rapport", sections: [created, rejected]), rowsPerSheet: 3))

        for (sheet, first) in [("Séjours créés", 1), ("Séjours créés (2)", 4), ("Séjours créés (3)", 7)] {
            #expect(lines.contains("\(sheet)!A3\tRéférence\tGeneral"))
            #expect(lines.contains("\(sheet)!B3\tNuits\tGeneral"))
            #expect(lines.contains("\(sheet)!A4\tSEJ-\(first)\tGeneral"))
        }
        #expect(lines.contains("Séjours créés!A1\tRapport — Séjours créés (1/3 : lignes 1 à 3 sur 7)\tGeneral"))
        #expect(lines.contains("Séjours créés (3)!A1\tRapport — Séjours créés (3/3 : lignes 7 à 7 sur 7)\tGeneral"))
        #expect(lines.contains("Séjours créés (2)!A6\tSEJ-6\tGeneral"))
        #expect(!lines.contains { $0.hasPrefix("Séjours créés (2)!A7") })
        #expect(!lines.contains { $0.hasPrefix("Séjours créés (4)!") })
        // Every row once, in order, over the three sheets.
        let references = lines.filter { $0.contains("\tSEJ-") }.map { $0.split(separator: "\t")[1] }
        #expect(references == (1...7).map { "SEJ-\($0)"[...] })
        // A section that fits keeps its one sheet and its plain title.
        #expect(lines.contains("Lignes rejetées!A1\tRapport — Lignes rejetées\tGeneral"))
        #expect(lines.contains("Lignes rejetées!A4\te-mail manquant\tGeneral"))
    }

    @Test func anEmptySectionStillGetsItsSheetAndSaysSo() throws {
        let section = ReportData.Section(title: "Séjours créés", headers: ["Référence"], rows: [], empty: "Aucun.")
        let lines = try Self.dump(Self.write(ReportData(title: "Rapport", sections: [section]), rowsPerSheet: 3))
        #expect(lines.contains("Séjours créés!A4\tAucun.\tGeneral"))
        #expect(lines.contains("Séjours créés!A1\tRapport — Séjours créés\tGeneral"))
    }

    /// At Excel's real limit: 1 048 573 rows fill the first sheet to its last row (1 048 576), the next row starts
    /// the second sheet. Read from the sheets' XML (openpyxl would take minutes over a million rows).
    @Test func excelsLastRowIsFilledAndNotPassed() throws {
        let rows = ReportRows(table: Self.references(ReportWorkbook.rowsPerSheet + 1), columns: ["reference"])
        let section = ReportData.Section(title: "Séjours créés", headers: ["Référence"], rows: rows, empty: "Aucun.")
        let file = try Self.write(ReportData(title: "Rapport", sections: [section]))
        let script = """
            import re, sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            for n in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
                x = z.read(n).decode()
                print(re.search(r'<dimension ref="([^"]+)"', x).group(1), len(re.findall(r"<row ", x)))
            """
        let output = try python(["-c", script, file.path]).split(separator: "\n")
        // Rows written: the title, the header and the data rows (the blank row 2 is not written).
        #expect(output == ["A1:A1048576 1048575", "A1:A4 3"])
    }

    /// A table of `count` stays' references (SEJ-1…), as `store_stays.new_stays` would hand them to the report.
    static func references(_ count: Int) -> Table {
        var table = Table(columns: ["reference"])
        table.rows.reserveCapacity(count)
        for i in 1...count {
            table.rows.append(Row(location: .xlsx(file: "sejours.xlsx", sheet: "Séjours", row: i, column: nil, header: nil), values: [.text("SEJ-\(i)")]))
        }
        return table
    }
}
