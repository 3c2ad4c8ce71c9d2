import Foundation
import PasserelleCore
@testable import PasserelleStages
import Testing

/// The fixture path of a workbook made by `Fixtures/make_xlsx_fixtures.py`.
func workbookFixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
}

/// All rows of one sheet, as (row number, cells).
func readAllRows(
    _ path: String, _ sheet: SheetSelector, limits: WorkbookLimits = .init()
) throws -> [(Int, [CellValue])] {
    var rows: [(Int, [CellValue])] = []
    try openWorkbook(at: path, limits: limits).readRows(of: sheet) { rows.append(($0, $1)) }
    return rows
}

func dateCell(_ y: Int, _ m: Int, _ d: Int, seconds: Int = 0) throws -> CellValue {
    .date(try #require(CalendarDate(year: y, month: m, day: d)), secondsOfDay: seconds)
}

@Suite struct XLSXReaderTests {
    @Test func listsSheetsInTabOrder() throws {
        let book = try openWorkbook(at: workbookFixture("xlsx/types.xlsx"))
        #expect(book.sheetNames == ["Séjours", "Vide"])
    }

    @Test func keepsTitleBlockAndReportsRowGaps() throws {
        let rows = try readAllRows(workbookFixture("xlsx/types.xlsx"), .name("Séjours"))
        #expect(rows.map(\.0) == [1, 3, 4, 5])
        #expect(rows[0].1 == [.text("Réservations été 2026")])
        #expect(rows[1].1.first == .text("Code"))
    }

    @Test func recognisesBuiltInAndCustomDateFormats() throws {
        let row = try #require(try readAllRows(workbookFixture("xlsx/types.xlsx"), .position(1)).first { $0.0 == 4 })
        #expect(row.1[2] == (try dateCell(2026, 2, 12)))
        #expect(row.1[3] == (try dateCell(2026, 2, 19)))
        #expect(row.1[4] == (try dateCell(2026, 2, 12, seconds: 15 * 3600 + 1800)))
        #expect(row.1[5] == .duration(95_400))
        #expect(row.1[8] == .number(0.2))
    }

    @Test func readsBooleansNumbersAndEscapedText() throws {
        let row = try #require(try readAllRows(workbookFixture("xlsx/types.xlsx"), .position(1)).first { $0.0 == 4 })
        #expect(row.1[1] == .text("DUPONT Marie & fils <VIP>"))
        #expect(row.1[6] == .bool(true))
        #expect(row.1[7] == .number(1234.5))
    }

    @Test func fillsGapsOfSparseRowsWithEmpty() throws {
        let row = try #require(try readAllRows(workbookFixture("xlsx/types.xlsx"), .position(1)).first { $0.0 == 5 })
        let arrival = try dateCell(2026, 3, 1)
        #expect(row.1 == [.text("S-002"), .empty, arrival, .empty, .empty, .empty, .bool(false), .number(99)])
        let lonely = try readAllRows(workbookFixture("xlsx/types.xlsx"), .name("Vide"))
        #expect(lonely.count == 1 && lonely[0].0 == 7 && lonely[0].1 == [.empty, .empty, .text("seule")])
    }

    @Test func readsSharedAndInlineStrings() throws {
        let rows = try readAllRows(workbookFixture("xlsx/handmade.xlsx"), .position(1))
        let shared = try #require(rows.first { $0.0 == 2 })
        #expect(shared.1 == [.text("plain"), .text("rich text"), .text(""), .text("line\r\nbreak")])
        let inline = try #require(rows.first { $0.0 == 4 })
        #expect(inline.1[0] == .text("<cdata & more>"))
        #expect(inline.1[4] == .text("été <3 \"ok\""))
    }

    @Test func takesCachedValuesOfFormulasAndErrors() throws {
        let row = try #require(try readAllRows(workbookFixture("xlsx/handmade.xlsx"), .position(1)).first { $0.0 == 3 })
        #expect(row.1 == [.number(2), .number(6), .text("a&b"), .error("#DIV/0!"), .bool(true)])
    }

    @Test func readsISODatesAndStyledSerials() throws {
        let row = try #require(try readAllRows(workbookFixture("xlsx/handmade.xlsx"), .position(1)).first { $0.0 == 4 })
        #expect(row.1[1] == (try dateCell(2026, 2, 12, seconds: 37_800)))
        #expect(row.1[2] == (try dateCell(2026, 2, 12)))
        #expect(row.1[3] == (try dateCell(2026, 2, 12, seconds: 43_200)))
    }

    @Test func numbersCellsAndRowsWithoutReferences() throws {
        let rows = try readAllRows(workbookFixture("xlsx/handmade.xlsx"), .position(1))
        #expect(rows.map(\.0) == [2, 3, 4, 5])
        #expect(rows.last?.1 == [.number(1500), .empty, .number(-0.25)])
    }

    @Test func honoursThe1904DateSystemAndAbsoluteTargets() throws {
        let rows = try readAllRows(workbookFixture("xlsx/date1904.xlsx"), .name("Feuil1"))
        #expect(rows.first?.1 == [try dateCell(2026, 1, 1), .number(44_561)])
    }

    @Test func classifiesCustomFormatsLikeCalamine() {
        #expect(NumberFormatKind.custom("dd/mm/yyyy;@") == .date)
        #expect(NumberFormatKind.custom("[$-40C]d\\ mmmm\\ yyyy") == .date)
        #expect(NumberFormatKind.custom("[h]:mm:ss") == .duration)
        #expect(NumberFormatKind.custom("#,##0.00\\ \"€\"") == .number)
        #expect(NumberFormatKind.custom("[Red]0.00;[Blue]-0.00") == .number)
        #expect(NumberFormatKind.custom("General") == .number)
    }

    @Test func reportsAMissingSheetWithTheSheetsThereAre() throws {
        let error = #expect(throws: WorkbookError.self) {
            try readAllRows(workbookFixture("xlsx/types.xlsx"), .name("Stays"))
        }
        #expect(error?.code == .sheetNotFound)
        #expect(error?.description == workbookFixture("xlsx/types.xlsx") + ": the sheet does not exist (no sheet "
            + "'Stays'; the workbook has 'Séjours', 'Vide'); check the sheet name or position in the pipeline.")
    }

    @Test func refusesPasswordProtectedWorkbooks() throws {
        let path = workbookFixture("xlsx/password-protected.xlsx")
        let error = #expect(throws: WorkbookError.self) { try openWorkbook(at: path) }
        #expect(error?.description == "\(path): the workbook is password-protected; save an unprotected copy from "
            + "Excel (File > Info > Protect Workbook) and import that.")
    }

    @Test(arguments: [
        ("xlsx/not-a-workbook.xlsx", WorkbookError.Code.notAWorkbook),
        ("xlsx/truncated.xlsx", .damagedArchive),
        ("xlsx/damaged-deflate.xlsx", .damagedArchive),
        ("xlsx/truncated-deflate.xlsx", .damagedArchive),
        ("xlsx/doctype.xlsx", .forbiddenXML),
        ("xlsx/zip-bomb.xlsx", .zipBomb),
        ("xlsx/no-such-file.xlsx", .fileNotFound),
    ])
    func refusesHostileOrBrokenFiles(fixture: String, code: WorkbookError.Code) {
        let error = #expect(throws: WorkbookError.self) { try readAllRows(workbookFixture(fixture), .position(1)) }
        #expect(error?.code == code)
        #expect(error?.description.hasPrefix(workbookFixture(fixture) + ":") == true)
    }

    @Test func stopsInflatingPastTheSizeCap() {
        let limits = WorkbookLimits(maxInflatedBytes: 1024)
        let error = #expect(throws: WorkbookError.self) {
            try readAllRows(workbookFixture("xlsx/types.xlsx"), .position(1), limits: limits)
        }
        #expect(error?.code == .zipBomb)
    }

    @Test func namesTheCellThatIsTooLarge() {
        let path = workbookFixture("xlsx/long-cell.xlsx")
        let error = #expect(throws: WorkbookError.self) {
            try readAllRows(path, .position(1), limits: WorkbookLimits(maxCellBytes: 16))
        }
        #expect(error?.description == "\(path):Feuil1!C3: a cell holds more text than allowed (over 16 bytes); "
            + "shorten that cell or split it, then import again.")
    }

    @Test func capsSharedStringsToo() {
        let error = #expect(throws: WorkbookError.self) {
            let limits = WorkbookLimits(maxCellBytes: 8)
            return try readAllRows(workbookFixture("xlsx/handmade.xlsx"), .position(1), limits: limits)
        }
        #expect(error?.code == .cellTooLarge)
        #expect(error?.message == "shared string #2 is over 8 bytes")
    }

    @Test func passesTheCallersErrorsThroughUnchanged() {
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try openWorkbook(at: workbookFixture("xlsx/types.xlsx")).readRows(of: .position(1)) { _, _ in throw Stop() }
        }
    }

    @Test(arguments: ["xlsx/stored.xlsx", "xlsx/zip64.xlsx"])
    func readsStoredPartsAndZIP64Directories(fixture: String) throws {
        let expected = try readAllRows(workbookFixture("xlsx/handmade.xlsx"), .position(1))
        let rows = try readAllRows(workbookFixture(fixture), .position(1))
        #expect(rows.map(\.0) == expected.map(\.0))
        #expect(rows.map(\.1) == expected.map(\.1))
    }

    @Test func readsASheetOfSeveralChunksWhole() throws {
        let rows = try readAllRows(workbookFixture("xlsx/multi-chunk.xlsx"), .position(1))
        #expect(rows.map(\.0) == Array(1...40))
        let last = try #require(rows.last)
        #expect(last.1 == [.number(40), .text(String(repeating: "row40;", count: 4000))])
    }

    /// The sheet spans several inflated chunks, so the inflating thread is running ahead when the callback throws.
    @Test(.timeLimit(.minutes(1))) func stopsAtTheCallersErrorMidSheetAndPassesItThrough() throws {
        struct Stop: Error, Equatable { let row: Int }
        var seen: [Int] = []
        let book = try openWorkbook(at: workbookFixture("xlsx/multi-chunk.xlsx"))
        let error = #expect(throws: Stop.self) {
            try book.readRows(of: .position(1)) { row, _ in
                seen.append(row)
                if row == 30 { throw Stop(row: row) }
            }
        }
        #expect(error == Stop(row: 30))
        #expect(seen == Array(1...30))
        // The workbook is still usable: the stopped read left nothing running on it.
        var again = 0
        try book.readRows(of: .position(1)) { _, _ in again += 1 }
        #expect(again == 40)
    }

    @Test(.timeLimit(.minutes(1))) func reportsADamagedDeflateStreamAfterTheRowsBeforeIt() throws {
        let path = workbookFixture("xlsx/damaged-deflate.xlsx")
        var seen: [Int] = []
        let error = #expect(throws: WorkbookError.self) {
            try openWorkbook(at: path).readRows(of: .position(1)) { row, _ in seen.append(row) }
        }
        #expect(error?.code == .damagedArchive)
        #expect(error?.description.hasPrefix("\(path): the workbook is damaged (part xl/worksheets/sheet1.xml") == true)
        #expect(seen == Array(1..<(seen.count + 1)) && seen.count <= 20)
    }
}
