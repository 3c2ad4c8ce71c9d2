import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Reads the JSON Lines booking feed: one booking message per line (schema in README.md).
///
/// For channel managers that export JSON. Each line is a message (`new`, `modified`, `cancelled`) about
/// one reservation; `output.store_channel_bookings` applies them in line order, so a modification is the
/// cancellation of the old booking and a new one, and the same line twice changes nothing (at-least-once
/// delivery). Blank lines are skipped; a file already imported is skipped.
/// Rejects (with the line): `ingest.jsonl.malformed_line`, `ingest.jsonl.missing_field`,
/// `ingest.jsonl.bad_value`. Writes `rows` (`ChannelFeedTable`) and `feeds`.
///
/// ```yaml
/// json_bookings:
///   kind: ingest.jsonl
///   options: { path: ../sample-data/channels/reservations.jsonl, feed: smoobu }
/// ```
struct JSONLIngest: Stage {
    static let schema = StageKindSchema(
        kind: "ingest.jsonl",
        summary: "Read a JSON Lines booking feed (one booking message per line, schema in README).",
        options: [
            OptionSpec("path", .path(mustExist: true), required: true, "A .jsonl file, or a folder of them."),
            OptionSpec("feed", .string, "The feed's name in the store (default: the file name without extension)."),
            OptionSpec("channel", .string, "The channel when a line names none (default 'JSON')."),
        ], inputs: 0...0)

    let path: String
    let feed: String?
    let channel: String

    init(spec: StageSpec) throws {
        path = spec.options.string("path") ?? ""
        feed = spec.options.string("feed")
        channel = spec.options.string("channel") ?? "JSON"
    }

    init(path: String, feed: String? = nil, channel: String = "JSON") {
        self.path = path
        self.feed = feed
        self.channel = channel
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { ChannelFeedTable.shapes }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        var table = Table(columns: ChannelFeedTable.columns)
        var feeds = Table(columns: ChannelFeedTable.feedColumns)
        var files: [(path: String, status: String, read: Int)] = []
        for file in try ChannelFeedFiles.list(path, extension: "jsonl") {
            let name = feed ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            guard try context.shouldRead(inputFile: file) else {
                feeds.rows.append(ChannelFeedTable.feedRow(name, mode: .messages, path: file, status: ChannelFeedTable.skipped, bookings: 0))
                files.append((file, ChannelFeedTable.skipped, 0))
                continue
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            var rows: [Row] = []
            var read = 0
            for (number, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
                guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { continue }
                read += 1
                let location = ChannelFeedTable.line(file, number + 1)
                switch booking(Data(line), feed: name, at: location) {
                case .success(let booking): rows.append(ChannelFeedTable.row(booking, mode: .messages))
                case .failure(let problem): context.reject([problem])
                }
            }
            table.rows += rows
            files.append((file, ChannelFeedTable.read, read))
            feeds.rows.append(ChannelFeedTable.feedRow(name, mode: .messages, path: file, status: ChannelFeedTable.read, bookings: rows.count))
            context.note("\(context.isDryRun ? "would read" : "read") \(rows.count) booking message(s) from \(URL(fileURLWithPath: file).lastPathComponent)")
        }
        let rowsIn = files.reduce(0) { $0 + $1.read }
        context.progress(rows: rowsIn)
        return StageOutput(rows: table, rowsIn: rowsIn, extra: ["feeds": feeds, "file_info": ChannelFeedTable.fileInfo(files)])
    }

    private func booking(_ line: Data, feed: String, at location: SourceLocation) -> ChannelParse<ChannelBooking> {
        let message: JSONLBooking
        do {
            message = try JSONDecoder().decode(JSONLBooking.self, from: line)
        } catch {
            return .failure(
                Self.problem("malformed_line", location, "ligne JSON illisible : \(Self.reason(error))",
                    String(decoding: line.prefix(80), as: UTF8.self), "corrigez la ligne : un objet JSON par ligne"))
        }
        guard let id = message.reservationID, !id.isEmpty else { return .failure(missing("reservation_id", location)) }
        guard let action = message.action else {
            return .failure(Self.problem("bad_value", location, "statut « \(message.status ?? "") » inconnu pour la réservation \(id)",
                message.status, "utilisez new, modified ou cancelled"))
        }
        return Self.bookingFields(message, id: id, action: action, feed: feed, channel: channel, at: location)
    }

    private func missing(_ field: String, _ location: SourceLocation) -> Diagnostic {
        Self.problem("missing_field", location, "champ « \(field) » manquant", nil, "ajoutez « \(field) » à la ligne (voir le schéma dans le README)")
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.typeMismatch(_, let context) = error {
            return "type inattendu pour « \(context.codingPath.map(\.stringValue).joined(separator: ".")) »"
        }
        return "JSON invalide"
    }

    static func problem(_ reason: String, _ location: SourceLocation, _ message: String, _ found: String?, _ fix: String) -> Diagnostic {
        Diagnostic(rule: "ingest.jsonl.\(reason)", location: location, message: message, found: found, fix: fix)
    }
}
