import Foundation
import PasserelleCore
@testable import PasserelleStages
import Testing

@Suite struct XLSReaderTests {
    @Test func readsLegacyWorkbookThroughFreeXL() throws {
        let book = try openWorkbook(at: workbookFixture("xls/types.xls"))
        #expect(book.sheetNames == ["Séjours", "Autre"])
        let rows = try readAllRows(workbookFixture("xls/types.xls"), .name("Séjours"))
        #expect(rows.map(\.0) == [1, 3, 4, 5])
        let stay = try #require(rows.first { $0.0 == 4 })
        let arrival = try dateCell(2026, 2, 12)
        let time = try dateCell(2026, 2, 12, seconds: 55_800)
        #expect(stay.1 == [.text("S-001"), arrival, time, .number(1234.5)])
        #expect(rows.last?.1 == [.text("S-002"), .empty, .empty, .number(99)])
    }

    @Test func selectsSheetsByPosition() throws {
        let rows = try readAllRows(workbookFixture("xls/types.xls"), .position(2))
        #expect(rows.count == 1 && rows[0].0 == 2 && rows[0].1 == [.empty, .text("B2")])
        let error = #expect(throws: WorkbookError.self) {
            try readAllRows(workbookFixture("xls/types.xls"), .position(3))
        }
        #expect(error?.code == .sheetNotFound)
    }

    @Test func turnsFreeXLFailuresIntoWorkbookErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("passerelle-xls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }  // try?: cleanup of a temporary folder
        let path = directory.appendingPathComponent("cut.xls").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: workbookFixture("xls/types.xls")))
        try bytes.prefix(1536).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: WorkbookError.self) { try readAllRows(path, .position(1)) }
        #expect(error?.description.hasPrefix("\(path):") == true)
    }
}
