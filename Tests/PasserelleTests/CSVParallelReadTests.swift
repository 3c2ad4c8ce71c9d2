import Foundation
import Logging
import PasserelleCore
import PasserelleStore
import Testing

@testable import PasserelleEngine
@testable import PasserelleStages

/// One record as a scan hands it over, decoded.
private struct Record: Equatable, Sendable, CustomStringConvertible {
    var line: Int
    var fields: [String]
    var description: String { "\(line): \(fields)" }
}

/// What a scan gave: the records, then the error that stopped it, if any.
private struct Scan: Equatable, CustomStringConvertible {
    var records: [Record]
    var error: CSVError?
    var description: String {
        "\(records.map(\.description).joined(separator: "\n"))\n\(error.map(\.description) ?? "")"
    }
}

private func temporaryFile(_ bytes: [UInt8]) throws -> String {
    let url = try TestSupport.temporaryFile(named: "input.csv")
    try Data(bytes).write(to: url)
    return url.path
}

/// Scans the whole file on `workers` threads, in segments of `segmentLength` bytes, collecting the decoded records.
///
/// Scans twice, once with the first thread taking what segments it can and once with the other threads taking
/// all of them (so that segments scanned apart are tested whatever the timing); both must agree.
private func scan(_ reader: CSVReader, workers: Int, segmentLength: Int = 1) -> Scan {
    let scans = [true, false].map { scan(reader, workers: workers, segmentLength: segmentLength, frontTakesMore: $0) }
    #expect(scans[0] == scans[1], "the first thread taking more segments or none")
    return scans[0]
}

private func scan(_ reader: CSVReader, workers: Int, segmentLength: Int, frontTakesMore: Bool) -> Scan {
    let decoder = CSVFieldDecoder(encoding: reader.encoding)
    var result = Scan(records: [])
    do {
        try reader.scanRecordsInParallel(
            from: reader.start, workers: workers, segmentLength: segmentLength, frontTakesMore: frontTakesMore,
            makePart: { _ in [Record]() },
            record: { part, line, bytes, slices in
                part.append(Record(line: line, fields: slices.map { decoder.decode($0, in: bytes) }))
            },
            merge: { part, lines in result.records += part.map { Record(line: $0.line + lines, fields: $0.fields) } })
    } catch {
        result.error = error as? CSVError
    }
    return result
}

/// A context for one stage run, on a fresh store in a temporary folder.
private func makeContext() throws -> StageContext {
    let folder = try TestSupport.temporaryDirectory()
    return StageContext(
        stageName: "stays", kind: "ingest.csv", pipeline: "test", runID: 1, asOf: Date(timeIntervalSince1970: 0),
        isDryRun: true, isForced: true, store: try Store(path: folder.appendingPathComponent("s.sqlite").path),
        logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, outputDirectory: folder,
        imported: { _ in nil }, onProgress: { _, _ in })
}

/// The stays mapping of `pipelines/daily-import.yml`, enough of it to type every kind of cell.
private let staysColumns = [
    ColumnSpec(name: "reference", headers: ["Référence"], isRequired: true),
    ColumnSpec(name: "last_name", headers: ["Nom"], isRequired: true),
    ColumnSpec(name: "first_name", headers: ["Prénom"]),
    ColumnSpec(name: "email", headers: ["E-mail client"], type: .email),
    ColumnSpec(name: "arrival", headers: ["Date d'arrivée"], type: .date, isRequired: true),
    ColumnSpec(name: "party_size", headers: ["Nb personnes"], type: .integer),
    ColumnSpec(name: "amount", headers: ["Montant (€)"], type: .money),
    ColumnSpec(
        name: "status", headers: ["Statut"], type: .enumeration, isRequired: true,
        values: ["confirmed": ["Confirmé", "OK"], "cancelled": ["Annulé", "Annulée"]]),
    ColumnSpec(name: "deposit", headers: ["Acompte (%)"], type: .percent),
    ColumnSpec(name: "is_member", headers: ["Adhérent"], type: .boolean),
]

/// What `CSVIngest.read` gave: the table's rows, rows read, and every rejection in order.
private struct Ingested: Equatable {
    var rows: [Row]
    var rowsIn: Int
    var rejected: [Diagnostic]
}

/// Reads with `CSVIngest.read` on `workers` threads, twice (see `scan`); both must agree.
private func ingest(_ path: String, _ columns: [ColumnSpec], workers: Int, segmentLength: Int = 1) throws -> Ingested {
    let results = try [true, false].map { frontTakesMore in
        let context = try makeContext()
        let reading = CSVIngest.Reading(workers: workers, segmentLength: segmentLength, frontTakesMore: frontTakesMore)
        let output = try CSVIngest.read(
            path: path, separator: nil, encoding: nil, columns: columns, in: context, reading: reading)
        let rows = output.tables["rows"]?.rows ?? []
        return Ingested(rows: rows, rowsIn: output.rowsIn, rejected: context.snapshot().rejected)
    }
    #expect(results[0] == results[1], "the first thread taking more segments or none")
    return results[0]
}

@Suite struct CSVParallelReadTests {
    /// Records of every shape: quoted line breaks, CR LF, lone CR and LF, blank lines, Windows-1252 letters.
    static let tricky: [UInt8] = {
        var text = "Code;Commentaire;Montant\r\n"
        for i in 0..<40 {
            switch i % 5 {
            case 0: text += "S-\(i);\"ligne \(i)\r\nsuite \"\"citée\"\"\r\nfin\";\(i),50\r\n"
            case 1: text += "S-\(i);Cœur d’Alène – été;\(i),00\r\n\r\n"
            case 2: text += "S-\(i);\"a;b\nc\";\(i)\n"
            case 3: text += "S-\(i);\(String(repeating: "é", count: i));\(i)\r"
            default: text += "S-\(i);\"\";\(i),5\r\n"
            }
        }
        return Windows1252.encode(text + "S-fin;RAS;1,00") ?? []
    }()

    @Test func givesTheRecordsOfOneScanWhateverTheThreads() throws {
        let reader = try CSVReader(path: try temporaryFile(Self.tricky))
        #expect(reader.encoding == .windows1252)
        let expected = scan(reader, workers: 1)
        #expect(expected.records.count == 42 && expected.error == nil)
        #expect(expected.records[1] == Record(line: 2, fields: ["S-0", "ligne 0\r\nsuite \"citée\"\r\nfin", "0,50"]))
        // Segments of 1 byte: a cut at every byte (inside quoted line breaks, between CR and LF, on é).
        for (workers, length) in [(2, 1), (3, 1), (2, 7), (4, 50), (12, 300)] {
            #expect(scan(reader, workers: workers, segmentLength: length) == expected, "\(workers) threads, \(length)")
        }
    }

    @Test func cutsEveryByteOfAQuotedLineBreak() throws {
        // One long quoted field with CRLFs in the middle of the file: whatever the cut, it lands inside it.
        let comment = (0..<30).map { "ligne \($0);\"x\"" }.joined(separator: "\r\n")
        let text = "a;b\r\n1;\"\(comment.replacingOccurrences(of: "\"", with: "\"\""))\"\r\n2;z\r\n"
        let reader = try CSVReader(path: try temporaryFile(Array(text.utf8)))
        let expected = scan(reader, workers: 1)
        #expect(expected.records.map(\.line) == [1, 2, 32])
        for workers in 2...4 {
            #expect(scan(reader, workers: workers) == expected, "\(workers) threads")
        }
    }

    @Test func keepsAStrayQuoteWhereverTheCuts() throws {
        // A stray quote in an unquoted field is kept literally, then quoted fields hold line breaks.
        var text = "Code;Mesure\n"
        for i in 0..<60 { text += i == 3 ? "S-3;6'2\"\n" : "S-\(i);\"RAS\n\(i)\"\n" }
        let reader = try CSVReader(path: try temporaryFile(Array(text.utf8)))
        let expected = scan(reader, workers: 1)
        #expect(expected.records.count == 61)
        for (workers, length) in [(2, 1), (3, 5), (8, 40)] {
            #expect(scan(reader, workers: workers, segmentLength: length) == expected, "\(workers) threads, \(length)")
        }
    }

    @Test func reportsAnUnterminatedQuoteAtTheSameLine() throws {
        let text = (0..<50).map { "S-\($0);x" }.joined(separator: "\r\n") + "\r\nS-50;\"jamais fermé\r\nS-51;y\r\n"
        let reader = try CSVReader(path: try temporaryFile(Array(text.utf8)))
        let expected = scan(reader, workers: 1)
        #expect(expected.records.count == 50)
        #expect(expected.error == .unterminatedQuote(file: reader.path, line: 51))
        for (workers, length) in [(2, 1), (3, 9), (6, 100)] {
            #expect(scan(reader, workers: workers, segmentLength: length) == expected, "\(workers) threads, \(length)")
        }
    }

    @Test func readsAFileSmallerThanASegmentOnOneThread() throws {
        let reader = try CSVReader(path: try temporaryFile(Array("a;b\n1;2\n".utf8)))
        var parts = 0
        try reader.scanRecordsInParallel(
            from: reader.start, workers: 8, makePart: { _ in 0 }, record: { part, _, _, _ in part += 1 },
            merge: { _, _ in parts += 1 })
        #expect(parts == 1)
        #expect(scan(reader, workers: 8, segmentLength: 1 << 20) == scan(reader, workers: 1))
    }

    @Test func scansAgainASegmentThatAQuotedLineBreakCut() throws {
        // The cut after "2;" lands in the quoted field of line 2: the segment from it must not be kept.
        let text = "a;b\n1;\"x\ny\nz\"\n2;w\n"
        let reader = try CSVReader(path: try temporaryFile(Array(text.utf8)))
        let expected = Scan(records: [
            Record(line: 1, fields: ["a", "b"]), Record(line: 2, fields: ["1", "x\ny\nz"]),
            Record(line: 5, fields: ["2", "w"]),
        ])
        #expect(scan(reader, workers: 1) == expected)
        for length in 1...text.utf8.count {
            #expect(scan(reader, workers: 2, segmentLength: length) == expected, "segments of \(length)")
        }
    }

    @Test func typesTheSameTableWithOneOrManyThreads() throws {
        let path = TestSupport.fixture("daily/sejours.csv").path
        let columns = staysColumns.filter { $0.name != "is_member" }
        let expected = try ingest(path, columns, workers: 1)
        #expect(expected.rowsIn == expected.rows.count + Set(expected.rejected.map { $0.location.line }).count)
        #expect(!expected.rejected.isEmpty)
        for (workers, length) in [(2, 100), (3, 1000), (7, 5000)] {
            #expect(
                try ingest(path, columns, workers: workers, segmentLength: length) == expected, "\(workers), \(length)")
        }
    }

    @Test func skipsAFileAlreadyImportedThoughItIsReadMeanwhile() throws {
        // The stays CSV is read while its digest is checked: on the second run nothing it read may be seen.
        let folder = try TestSupport.temporaryDirectory()
        let stays = TestSupport.fixture("daily/sejours.csv").path
        let first = try DailyImportTests.run(in: folder, stays: stays)
        #expect(try DailyImportTests.result(first, "stays").rowsRejected > 0)
        let second = try DailyImportTests.run(in: folder, stays: stays)
        let skipped = try DailyImportTests.result(second, "stays")
        #expect(second.succeeded)
        #expect(skipped.notes.count == 1 && skipped.notes.first?.hasPrefix("skipped sejours.csv") == true)
        #expect(skipped.rejected.isEmpty && skipped.rowsRejected == 0 && skipped.output.rowsIn == 0)
        #expect(skipped.inputFiles.isEmpty)
    }

    @Test(arguments: [true, false])
    func letsNothingBeSeenBeforeTheFileIsKnownToBeNew(_ isNew: Bool) throws {
        let context = try makeContext()
        let path = TestSupport.fixture("daily/sejours.csv").path
        let decision = ReadDecision(onItsOwnThread: false) {
            let state = context.snapshot()
            #expect(state.rejected.isEmpty && state.notes.isEmpty, "seen before the decision")
            return isNew
        }
        let reading = CSVIngest.Reading(workers: 2, segmentLength: 4096, decision: decision)
        let read = {
            try CSVIngest.read(
                path: path, separator: nil, encoding: nil, columns: staysColumns, in: context, reading: reading)
        }
        if isNew {
            #expect(try read().rowsIn > 0)
            #expect(!context.snapshot().rejected.isEmpty)
        } else {
            #expect(throws: CancellationError.self) { try read() }
            #expect(context.snapshot().rejected.isEmpty && context.snapshot().notes.isEmpty)
        }
    }

    @Test(arguments: [CSVEncoding.windows1252, .utf8BOM])
    func typesFromBytesAsFromText(_ encoding: CSVEncoding) throws {
        // Every cell shape the byte rules take or leave, in one Windows-1252 file; read with threads and without,
        // and compared with the rows typed from the decoded text (the path `ingest.xlsx` takes).
        var text = "Export du 24/11/2026;;;;;;;;;\n"
        text +=
            "Référence;Nom;Prénom;E-mail client;Date d'arrivée;Nb personnes;Montant (€);Statut;Acompte (%);Adhérent\n"
        let cells = [
            ["R1", "Dupont", "Zoé", "zoe@mail.fr", "05/01/2026", "3", "1234,50", "Confirmé", "30", "Oui"],
            ["R2", " Martin ", "\"Jean\"", " Z@Mail.FR ", "5/1/26", "-2", "1 234,50 €", "confirme", "1", "non"],
            ["R3", "Lecœur", "", "", "2026-01-05", "3,0", "12.5", "OK", "17,5 %", ""],
            ["R4", "Noël", "\"A \"\"B\"\"\"", "x@y", "31/02/2026", "3.5", "1,234", "Annulée", "0,5", "peut-être"],
            ["", "", "", "", "", "", "", "", "", ""],
            ["R5", "\u{A0}", "Ève", "a@b.fr", "", "", "", "Option", "", "X"],
            ["R6", "Rémy", "A", "a@b.fr", "05/01/2026", "007", "-0,05", "ANNULÉ", "101", "1"],
        ]
        text += cells.map { $0.joined(separator: ";") }.joined(separator: "\r\n") + "\r\n"
        let bytes =
            encoding == .windows1252 ? Windows1252.encode(text) ?? [] : UTF8Decoding.byteOrderMark + Array(text.utf8)
        let path = try temporaryFile(bytes)
        #expect(try CSVReader(path: path).encoding == encoding)
        let expected = try ingest(path, staysColumns, workers: 1)
        #expect(expected.rowsIn == 6)
        #expect(expected.rows.map { $0.values[0] } == [.text("R1"), .text("R2"), .text("R3"), .text("R6")])
        #expect(expected.rows[1].values[1...3] == [.text("Martin"), .text("Jean"), .text("Z@mail.fr")])
        #expect(expected.rejected.count == 8)
        #expect(try ingest(path, staysColumns, workers: 4, segmentLength: 16) == expected)
        #expect(try typedFromText(path, staysColumns) == expected)
    }
}

/// The rows typed from the decoded records through `TabularIngest.feed`, as workbooks are.
private func typedFromText(_ path: String, _ columns: [ColumnSpec]) throws -> Ingested {
    let context = try makeContext()
    var tabular = TabularIngest(columns: columns, context: context, file: path) { line in
        .csv(file: path, line: line, field: nil, header: nil)
    }
    try CSVReader(path: path).readRecords { line, fields in
        try tabular.feed(line, fields.map { $0.isEmpty ? CellValue.empty : .text($0) })
    }
    try tabular.finish()
    return Ingested(rows: tabular.table.rows, rowsIn: tabular.rowsRead, rejected: context.snapshot().rejected)
}
