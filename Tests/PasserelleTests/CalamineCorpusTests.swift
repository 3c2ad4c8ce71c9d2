import Foundation
import PasserelleCore
@testable import PasserelleStages
import Testing

/// Compares our workbook readers with python-calamine on calamine's own test corpus.
///
/// Both sides print the canonical form documented in `scripts/calamine_oracle.py`, one line per non-blank cell:
/// `Sheet!A1<TAB>kind<TAB>value` with kinds `text` (\\ \t \n \r escaped), `number` (integers below 2^53 without a
/// fraction, otherwise the shortest round-trip repr), `bool` (TRUE/FALSE), `date` (YYYY-MM-DD), `datetime`
/// (YYYY-MM-DDTHH:MM:SS), `time` (HH:MM:SS, a serial below 1) and `duration` (whole seconds). Empty strings and
/// error cells are left out: python-calamine renders both as "".
///
/// Every file must match exactly (after removing calamine's NULs for the files in `calamineKeepsNULs`), or throw
/// a `WorkbookError` listed in `expectedToThrow`: no file may be read with silently different values (issue 3).
/// A file that changes category fails the test so the change is noticed.
@Suite struct CalamineCorpusTests {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora/calamine")
    static let oracle = repoRoot.appendingPathComponent("scripts/calamine_oracle.py")

    /// Files our readers refuse, with the reason.
    static let expectedToThrow: [String: String] = [
        "pass_protected.xlsx": "encrypted OOXML package (passwordProtected)",
        "issue252.xlsx": "workbook.xml.rels is garbled (bad CRC), the sheet has no part (damagedArchive)",
        "too_small.xls": "shorter than an OLE2 header (notAWorkbook)",
        "capitalized_wbook_stream.xls": "stream named 'WORKBOOK', libfreexl finds no Workbook stream (notAWorkbook)",
        "OOM_alloc.xls": "crafted allocation sizes; libfreexl returns no handle (unsupported)",
        "OOM_alloc2.xls": "crafted allocation sizes; libfreexl returns no handle (unsupported)",
        "OOM_alloc3.xls": "crafted allocation sizes; libfreexl returns no handle (unsupported)",
        "biff5-rich-text-string.xls": "BIFF5 variant libfreexl does not open (unsupported)",
        "biff5_write.xls": "BIFF5 variant libfreexl does not open (unsupported)",
        "empty-string.xls": "stream layout libfreexl does not open (unsupported)",
        "issue_385.xls": "stream layout libfreexl does not open (unsupported)",
        "issue_643_biff5_formula.xls": "BIFF5 variant libfreexl does not open (unsupported)",
        "misc_biff5_parsing.xls": "BIFF5 variant libfreexl does not open (unsupported)",
        "xls_cross_sheet_chart.xls": "chart-sheet layout libfreexl does not open (unsupported)",
    ]

    /// Files where calamine itself is wrong, with the reason: NULs are stripped from its output before comparing
    /// (libfreexl decodes these strings right).
    static let calamineKeepsNULs: [String: String] = [
        "sheet_name_parsing.xls": "calamine decodes these UTF-16 strings as 8-bit text and keeps their NUL bytes"
    ]

    static let workbooks: [String] = {
        // try?: a missing corpus folder means no cases; `isAvailable` explains the skip.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        return names.filter { ["xls", "xlsx", "xlsm"].contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
    }()

    /// Whether the corpus and python3 with python_calamine are present (CI images without them skip the suite).
    static let isAvailable: Bool = {
        guard !workbooks.isEmpty else {
            print("CalamineCorpusTests skipped: no workbooks in \(corpus.path)")
            return false
        }
        guard (try? run(["-c", "import python_calamine"]))?.status == 0 else {  // try?: no python3 means skip
            print("CalamineCorpusTests skipped: python3 with python_calamine is not installed")
            return false
        }
        return true
    }()

    @Test(
        .enabled(if: isAvailable, "needs ../shared/corpora/calamine and python3 with python_calamine"),
        .timeLimit(.minutes(2)), arguments: workbooks)
    func matchesCalamineOrThrowsAsRecorded(file: String) throws {
        let path = Self.corpus.appendingPathComponent(file).path
        let ours: String
        do {
            ours = try Self.canonicalDump(path)
        } catch let error as WorkbookError {
            #expect(Self.expectedToThrow[file] != nil, "\(file) threw unexpectedly: \(error)")
            return
        }
        #expect(Self.expectedToThrow[file] == nil, "\(file) no longer throws: update expectedToThrow")
        let theirs = try Self.run([Self.oracle.path, path])
        try #require(theirs.status == 0, "the oracle failed on \(file)")
        if Self.calamineKeepsNULs[file] != nil {
            #expect(ours != theirs.output, "calamine now decodes \(file) right: update calamineKeepsNULs")
            #expect(ours == theirs.output.replacingOccurrences(of: "\u{0}", with: ""))
        } else {
            #expect(ours == theirs.output)
        }
    }

    /// Every sheet of a workbook through our reader, in the canonical form.
    static func canonicalDump(_ path: String) throws -> String {
        let book = try openWorkbook(at: path)
        var out = ""
        for name in book.sheetNames {
            try book.readRows(of: .name(name)) { row, cells in
                for (index, cell) in cells.enumerated() {
                    let line = canonicalLine(sheet: name, row: row, column: index + 1, cell: cell)
                    guard let line else { continue }
                    out += line + "\n"
                }
            }
        }
        return out
    }

    static func canonicalLine(sheet: String, row: Int, column: Int, cell: CellValue) -> String? {
        let ref = "\(sheet)!\(SourceLocation.columnLetters(column))\(row)\t"
        switch cell {
        case .empty, .error: return nil
        case .text(let text): return text.isEmpty ? nil : ref + "text\t" + escape(text)
        case .number(let number): return ref + "number\t" + canonicalNumber(number)
        case .bool(let value): return ref + "bool\t" + (value ? "TRUE" : "FALSE")
        case .duration(let seconds): return ref + "duration\t\(Int(seconds.rounded()))"
        case .date(let date, let seconds):
            let parts = [seconds / 3600, seconds / 60 % 60, seconds % 60]
            let clock = parts.map { String(format2: $0) }.joined(separator: ":")
            if date == CalendarDate(year: 1899, month: 12, day: 31) { return ref + "time\t" + clock }
            return seconds == 0 ? ref + "date\t\(date)" : ref + "datetime\t\(date)T" + clock
        }
    }

    static func canonicalNumber(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 9_007_199_254_740_992 { return String(Int64(number)) }
        return "\(number)"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }

    /// Runs python3 with `arguments`; returns its exit status and standard output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
