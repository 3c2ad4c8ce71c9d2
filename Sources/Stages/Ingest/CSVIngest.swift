import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Synchronization

/// Reads a CSV file as a French Excel or other software saves it into typed rows.
///
/// Encoding (UTF-8 with or without BOM, else Windows-1252) and separator (`;` `,` tab `|`) are detected
/// unless given. A line whose number of fields differs from the header's is rejected with its line
/// number (`ingest.csv.ragged_row`). Otherwise as `ingest.xlsx`. Writes `rows` and `file_info`.
///
/// The rows are typed on all cores; the table, the rejections and their order do not depend on how many.
///
/// ```yaml
/// stays_csv:
///   kind: ingest.csv
///   options:
///     path: ../sample-data/sejours.csv
///     columns: { reference: [Référence], email: [E-mail client] }
/// ```
struct CSVIngest: Stage {
    static let schema = StageKindSchema(
        kind: "ingest.csv", summary: "Read a CSV file (French Excel or other) through a column mapping.",
        options: [
            OptionSpec("path", .path(mustExist: true), required: true, "The CSV file, relative to the pipeline file."),
            OptionSpec("separator", .choice([";", ",", "tab", "|"]), "Field separator (default: detected)."),
            OptionSpec("encoding", .choice(["utf-8", "windows-1252"]), "Encoding (default: detected)."),
            OptionSpec("columns", .columns, required: true, "Field → accepted headers, type, required, values."),
        ], inputs: 0...0)

    let path: String
    let separator: UInt8?
    let encoding: CSVEncoding?
    let columns: [ColumnSpec]
    let shapes: [TableShape]

    init(spec: StageSpec) throws {
        path = spec.options.string("path") ?? ""
        separator = spec.options.string("separator").map { $0 == "tab" ? 0x09 : $0.utf8.first ?? UInt8(ascii: ";") }
        encoding = spec.options.string("encoding").map { $0 == "utf-8" ? CSVEncoding.utf8 : .windows1252 }
        columns = spec.options.columns("columns") ?? []
        shapes = TabularIngest.shapes(columns, spec: spec)
    }

    /// Reads the file while its digest is compared with the files already imported (`ReadDecision`); what the
    /// reading did is only seen once the file is known to be new, and a file already imported is skipped as before.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] { shapes }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let decision = ReadDecision(path: path, context: context)
        do {
            var reading = Reading()
            reading.decision = decision
            return try CSVIngest.read(
                path: path, separator: separator, encoding: encoding, columns: columns, in: context, reading: reading)
        } catch {
            guard try decision.wait() else { return TabularIngest.skipped(columns, file: path) }
            throw error
        }
    }

    /// How `read` shares out its work, and when what it does may be seen.
    struct Reading: Sendable {
        var workers = ProcessInfo.processInfo.activeProcessorCount
        /// See `CSVReader.scanRecordsInParallel`.
        var segmentLength = CSVReader.segmentLength
        var frontTakesMore = true
        /// Whether the file is to be read at all, being decided meanwhile; nil when it is.
        var decision: ReadDecision?

        /// Waits until the file is known to be read; throws `CancellationError` when it is not.
        func confirm() throws {
            if let decision, try !decision.wait() { throw CancellationError() }
        }
    }

    /// Reads a CSV file through a column mapping (shared with `ingest.table`).
    ///
    /// The first rows, where the header is looked for, are decoded to text as every tabular ingest reads them; the
    /// rows after them are typed straight from their bytes (`CSVRecordCells`), on up to `workers` threads
    /// (`CSVReader.scanRecordsInParallel`). The table, the rejections and their order are the same whatever the
    /// number of threads. Nothing is seen in `context` before `reading.confirm()` returns.
    static func read(
        path: String, separator: UInt8?, encoding: CSVEncoding?, columns: [ColumnSpec], in context: StageContext,
        reading: Reading = Reading()
    ) throws -> StageOutput {
        let reader = try CSVReader(path: path, separator: separator, encoding: encoding)
        var ingest = TabularIngest(columns: columns, context: context, file: path) { line in
            .csv(file: path, line: line, field: nil, header: nil)
        }
        ingest.raggedRow = { line, count, expected in raggedRow(path, line, count, expected) }
        var head: [(Int, [CellValue])] = []
        let headEnd = try reader.readRecords(from: reader.start, maxRecords: HeaderMatch.searchDepth) { line, fields in
            head.append((line, fields.map { $0.isEmpty ? CellValue.empty : .text($0) }))
        }
        let header = try ingest.findHeader(in: head)
        if let typer = ingest.typer {
            // The rows after the header, those of the head included, are typed from their bytes.
            let body = try reader.scanRecords(from: reader.start, maxRecords: header + 1) { _, _, _ in }.position
            let recordLength = max(1, (headEnd.position.offset - reader.start.offset) / max(1, head.count))
            try readBody(reader, from: body, typer: typer, into: &ingest, reading: reading, recordLength: recordLength)
        }
        try reading.confirm()
        context.progress(rows: ingest.rowsRead)
        let verb = context.isDryRun ? "would read" : "read"
        context.note("\(verb) \(ingest.rowsRead) row(s) from \(URL(fileURLWithPath: path).lastPathComponent)")
        return StageOutput(
            rows: ingest.table, rowsIn: ingest.rowsRead,
            extra: ["file_info": ingest.fileInfo(sheet: nil, status: "importé")])
    }

    /// Types the records after the header from their bytes, on up to `workers` threads.
    ///
    /// The rows are written in place into the table's array (`RowStorage`), sized from `recordLength`, the mean
    /// length of the first records, with a quarter more room (memory is only touched as rows fill it).
    /// Hand-written to type 1 000 000 stays faster than polars (issue 7; see `RowStorage`).
    private static func readBody(
        _ reader: CSVReader, from position: CSVPosition, typer: RowTyper, into ingest: inout TabularIngest,
        reading: Reading, recordLength: Int
    ) throws {
        let fileSize = try CSVByteSource(path: reader.path, chunkSize: 64).fileSize()
        let expected = max(0, fileSize - position.offset) / recordLength
        // Never more room than half the memory (first records much shorter than the others): rows that find no
        // room are kept apart and gathered the slow way.
        let limit = Int(ProcessInfo.processInfo.physicalMemory / 2) / MemoryLayout<Row>.stride
        var failure: (any Error)?
        var elsewhere: [Row]?
        let capacity = min(expected + expected / 4 + 1024, limit)
        var rows = [Row](unsafeUninitializedCapacity: capacity) { slots, initialized in
            guard let base = slots.baseAddress else { return }
            let storage = RowStorage(base, capacity: slots.count)
            var parts: [(rows: SegmentRows, lines: Int)] = []
            do {
                try scanBody(
                    reader, from: position, typer: typer, storage: storage, reading: reading,
                    recordLength: recordLength, context: ingest.context, rowsBefore: ingest.rowsRead
                ) { part, lines in
                    if parts.isEmpty { try reading.confirm() }  // the first rejections are about to be made
                    ingest.absorb(part, shiftingLinesBy: lines)
                    parts.append((part.rows, lines))
                }
            } catch {
                failure = error
            }
            switch storage.assemble(parts) {
            case .inPlace(let count): initialized = count
            case .elsewhere(let gathered): elsewhere = gathered
            }
        }
        if let failure { throw failure }
        if let elsewhere { rows = elsewhere }
        ingest.append(rows)
    }

    /// Scans the body on up to `threads.workers` threads, each segment's rows going to `storage`, and hands each
    /// segment's typed rows to `merge` in file order with the lines to add to them.
    private static func scanBody(
        _ reader: CSVReader, from position: CSVPosition, typer: RowTyper, storage: RowStorage,
        reading: Reading, recordLength: Int, context: StageContext, rowsBefore: Int,
        merge: (TypedRows, Int) throws -> Void
    ) throws {
        let path = reader.path
        let encoding = reader.encoding
        let progress = Atomic(rowsBefore)
        try reader.scanRecordsInParallel(
            from: position, workers: reading.workers, segmentLength: reading.segmentLength,
            frontTakesMore: reading.frontTakesMore, shouldStop: { reading.decision?.isDeclined ?? false },
            makePart: { segment in
                // Each thread's rows share its own copy of the path and parsers: no reference count is touched by
                // both threads (see `RowTyper.withOwnParsers`).
                let file = String(decoding: Array(path.utf8), as: UTF8.self)
                var typer = typer.withOwnParsers()
                typer.locate = { line in .csv(file: file, line: line, field: nil, header: nil) }
                let rows = SegmentRows(
                    storage: storage, isFront: segment.index == 0,
                    capacity: segment.length / recordLength + segment.length / recordLength / 16 + 16)
                let typing = CSVRowTyping(typer, encoding: encoding, file: file)
                return BodyPart(typing: typing, typed: TypedRows(rows: rows))
            },
            record: { part, line, bytes, slices in
                let read = part.typed.rowsRead
                part.typed.add(part.typing.type(line, bytes, slices))
                if part.typed.rowsRead > read && part.typed.rowsRead % 10_000 == 0 {
                    let rows = progress.add(10_000, ordering: .relaxed).newValue
                    if reading.decision?.isAccepted ?? true { context.progress(rows: rows) }
                }
            },
            finish: { part in part.typed.rows.commit() },
            merge: { part, lines in try merge(part.typed, lines) })
    }

    /// What one thread of `scanBody` fills for a segment: how it types records, and the rows it typed.
    private struct BodyPart: Sendable {
        var typing: CSVRowTyping
        var typed: TypedRows
    }

    private static func raggedRow(_ path: String, _ line: Int, _ count: Int, _ expected: Int) -> Diagnostic {
        Diagnostic(
            rule: "ingest.csv.ragged_row", location: .csv(file: path, line: line, field: nil, header: nil),
            message: "la ligne a \(count) champ(s) au lieu de \(expected) comme l'en-tête", found: "\(count) champs",
            fix:
                "vérifiez les séparateurs et les guillemets de cette ligne (un « ; » dans un texte doit être entre guillemets)"
        )
    }
}
