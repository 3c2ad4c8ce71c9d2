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
        let directory = try TestSupport.temporaryDirectory()
        let path = directory.appendingPathComponent("cut.xls").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: workbookFixture("xls/types.xls")))
        try bytes.prefix(1536).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: WorkbookError.self) { try readAllRows(path, .position(1)) }
        #expect(error?.description.hasPrefix("\(path):") == true)
    }

    @Test func readsCachedFormulaResultsThatFreeXLSkips() throws {
        let rows = try readAllRows(workbookFixture("xls/formulas.xls"), .name("Calculs"))
        let cells = Dictionary(uniqueKeysWithValues: rows.map { ($0.0, $0.1) })
        #expect(cells[1] == [.number(21), .number(42)])
        #expect(cells[2] == [.text("ab"), .text("abcd")])
        #expect(cells[3] == [.bool(true)])
        #expect(cells[4] == [.error("#DIV/0!")])
        #expect(cells[5] == [try dateCell(2026, 2, 12)])
        // xlwt caches no result (an empty string, Excel recalculates on open): read as calamine does.
        #expect(cells[7] == [.text("")])
    }

    @Test func readsTextResultsContinuedAcrossRecords() throws {
        let rows = try readAllRows(workbookFixture("xls/formulas.xls"), .name("Calculs"))
        let row = try #require(rows.first { $0.0 == 8 })
        // 5000 UTF-16 characters: the STRING record plus two CONTINUE records (calamine stops at the first).
        #expect(row.1 == [.empty, .text(String(repeating: "é", count: 5000))])
    }

    @Test func readsHourFormatsAsDurations() throws {
        let rows = try readAllRows(workbookFixture("xls/formulas.xls"), .name("Calculs"))
        #expect(rows.first { $0.0 == 6 }?.1 == [.duration(129_600)])
    }

    @Test func readsFormulaResultsOfCorpusWorkbooks() throws {
        let corpus = CalamineCorpusTests.corpus.path
        try #require(FileManager.default.fileExists(atPath: corpus + "/xls_formula.xls"))
        let formulas = try readAllRows(corpus + "/xls_formula.xls", .name("Sheet1"))
        #expect(formulas.map(\.1) == [[.number(10)], [.number(20)], [.number(110)], [.number(65)]])
        let strings = try readAllRows(corpus + "/xls_ref_String.xls", .name("Sheet2"))
        #expect(strings.map(\.1) == [[.text("88")], [.text("bb")]])
        let durations = try readAllRows(corpus + "/date_1904.xls", .name("Sheet1"))
        #expect(durations.first { $0.0 == 3 }?.1.first == .duration(918_610))
    }

    /// The whole reader refuses crafted files; the BIFF walker alone ends in a value or a failure, never a trap,
    /// a hang or a huge allocation (OOM_alloc.xls has a sound container: libfreexl is what chokes on it).
    @Test(arguments: [
        ("OOM_alloc.xls", false), ("OOM_alloc2.xls", true), ("OOM_alloc3.xls", true), ("too_small.xls", true),
    ])
    func refusesCraftedCompoundFilesWithoutCrashing(file: String, isContainerBroken: Bool) throws {
        let path = CalamineCorpusTests.corpus.appendingPathComponent(file).path
        try #require(FileManager.default.fileExists(atPath: path))
        #expect(throws: WorkbookError.self) { try openWorkbook(at: path) }
        if isContainerBroken {
            #expect(throws: CompoundFile.Failure.self) { try XLSCellOverlay(path: path) }
        } else {
            #expect(try !XLSCellOverlay(path: path).sheets.isEmpty)
        }
    }

    /// Every fifth byte of the header and first sectors (the workbook stream's start) set to 0xFF in turn: each
    /// read ends in a value or a `CompoundFile.Failure`, never a trap (an out-of-bounds index kills the process).
    @Test func survivesCorruptedBytes() throws {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: workbookFixture("xls/formulas.xls"))))
        var failures = 0
        for offset in stride(from: 0, to: min(original.count, 2048), by: 5) {
            var bytes = original
            bytes[offset] = 0xFF
            do {
                let file = try CompoundFile(bytes: bytes)
                if let stream = try file.stream(named: ["Workbook"]) { _ = try XLSCellOverlay(stream: stream) }
            } catch {
                failures += 1
            }
        }
        #expect(failures > 0)
    }

    @Test func refusesLoopingSectorChains() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: workbookFixture("xls/formulas.xls"))))
        let fatSector = Int(CompoundFile.u32(bytes, 0x4C))
        let directory = Int(CompoundFile.u32(bytes, 0x30))
        let entry = (fatSector + 1) * 512 + directory * 4
        bytes.replaceSubrange(entry..<entry + 4, with: withUnsafeBytes(of: UInt32(directory).littleEndian, Array.init))
        let error = #expect(throws: CompoundFile.Failure.self) { try CompoundFile(bytes: bytes) }
        #expect(error?.description == "a sector chain loops")
    }
}
