import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Reads iCalendar availability feeds (Airbnb, Booking.com, Abritel/Vrbo), one `.ics` per accommodation.
///
/// Lines are unfolded (CRLF or LF, space or tab, multi-byte characters split by a fold rejoined), TEXT
/// escapes undone, a BOM skipped. `DTEND` is exclusive (the check-out day); a DATE event without `DTEND`
/// lasts one day; UTC date-times are converted to Europe/Paris before the date is taken. `SUMMARY` is
/// classified per channel (`ChannelSummary`); `STATUS:CANCELLED` and `TRANSP:TRANSPARENT` events block
/// nothing. The feed is a snapshot: `output.store_channel_bookings` compares it with the previous import
/// of the same feed by UID (new, changed, vanished = cancelled). A file already imported is skipped.
/// Rejects (with the line): `ingest.ical.malformed_line`, `ingest.ical.missing_uid`,
/// `ingest.ical.missing_start`, `ingest.ical.bad_date`, `ingest.ical.end_before_start`,
/// `ingest.ical.unbalanced`, `ingest.ical.not_a_calendar`. Writes `rows` (`ChannelFeedTable`) and `feeds`.
///
/// ```yaml
/// calendars:
///   kind: ingest.ical
///   options:
///     feeds:
///       - { path: ../sample-data/channels/chalet-edelweiss-airbnb.ics, accommodation: CHA-EDEL, channel: Airbnb }
///       - { path: ../sample-data/channels/chalet-edelweiss-booking.ics, accommodation: CHA-EDEL }
/// ```
struct ICalIngest: Stage {
    static let schema = StageKindSchema(
        kind: "ingest.ical",
        summary: "Read iCalendar availability feeds (one .ics per accommodation) as channel bookings and blocks.",
        options: [
            OptionSpec(
                "feeds",
                .list(
                    .object([
                        OptionSpec("path", .path(mustExist: true), required: true, "The .ics file, relative to the pipeline."),
                        OptionSpec("accommodation", .string, required: true, "The accommodation code the calendar is for."),
                        OptionSpec("channel", .string, "The channel (default: from PRODID: Airbnb, Booking.com, Abritel)."),
                        OptionSpec("name", .string, "The feed's name in the store (default: the file name without .ics)."),
                    ])), required: true, "The calendars to read, one per accommodation and channel."),
        ], inputs: 0...0)

    /// One mapped calendar.
    struct Feed: Sendable {
        var path: String
        var accommodation: String
        var channel: String?
        var name: String
    }

    let feeds: [Feed]

    init(spec: StageSpec) throws {
        guard case .list(let items)? = spec.options.values["feeds"] else {
            throw StageError(stage: spec.name, message: "option 'feeds' is missing", fix: "list the .ics files to read")
        }
        feeds = items.compactMap { item in  // the checker guarantees mappings with path and accommodation
            guard case .map(_, let fields) = item, case .string(let path)? = fields["path"],
                case .string(let code)? = fields["accommodation"]
            else { return nil }
            var channel: String?
            if case .string(let value)? = fields["channel"] { channel = value }
            var name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            if case .string(let value)? = fields["name"] { name = value }
            return Feed(path: path, accommodation: code, channel: channel, name: name)
        }
    }

    init(feeds: [Feed]) { self.feeds = feeds }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { ChannelFeedTable.shapes }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        var table = Table(columns: ChannelFeedTable.columns)
        var feedTable = Table(columns: ChannelFeedTable.feedColumns)
        var files: [(path: String, status: String, read: Int)] = []
        for feed in feeds {
            guard try context.shouldRead(inputFile: feed.path) else {
                feedTable.rows.append(
                    ChannelFeedTable.feedRow(feed.name, mode: .snapshot, path: feed.path, status: ChannelFeedTable.skipped, bookings: 0))
                files.append((feed.path, ChannelFeedTable.skipped, 0))
                continue
            }
            let (rows, read) = try Self.read(feed, in: context)
            files.append((feed.path, ChannelFeedTable.read, read))
            table.rows += rows
            feedTable.rows.append(
                ChannelFeedTable.feedRow(feed.name, mode: .snapshot, path: feed.path, status: ChannelFeedTable.read, bookings: rows.count))
        }
        let rowsIn = files.reduce(0) { $0 + $1.read }
        context.progress(rows: rowsIn)
        return StageOutput(
            rows: table, rowsIn: rowsIn, extra: ["feeds": feedTable, "file_info": ChannelFeedTable.fileInfo(files)])
    }

    /// The rows of one calendar and how many events and bad lines it had (each one row in, for the counts).
    static func read(_ feed: Feed, in context: StageContext) throws -> ([Row], Int) {
        let data = try Data(contentsOf: URL(fileURLWithPath: feed.path))
        let (lines, malformed) = ICalendarLines.parse(data)
        guard lines.first.map({ $0.name == "BEGIN" && $0.value.uppercased() == "VCALENDAR" }) == true else {
            throw StageError(
                stage: context.stageName,
                message: "\(feed.path): not an iCalendar file (it does not start with BEGIN:VCALENDAR) [ingest.ical.not_a_calendar]",
                fix: "check the calendar's export URL: it must be the .ics link of the accommodation, not a web page")
        }
        for bad in malformed {
            context.reject([
                Diagnostic(
                    rule: "ingest.ical.malformed_line", location: ChannelFeedTable.line(feed.path, bad.line),
                    message: "ligne iCalendar illisible (attendu NOM[;PARAMÈTRE=VALEUR]:valeur)", found: bad.text,
                    fix: "demandez au canal un flux conforme à la RFC 5545")
            ])
        }
        let (prodid, events, problems) = ICalendarEvents.read(lines)
        for problem in problems {
            context.reject([
                Diagnostic(
                    rule: problem.rule, location: ChannelFeedTable.line(feed.path, problem.line), message: problem.message,
                    found: problem.found, fix: problem.fix)
            ])
        }
        let channel = feed.channel ?? ChannelSummary.channel(prodid: prodid) ?? "iCal"
        let rows = events.map { row($0, feed: feed, channel: channel) }
        let verb = context.isDryRun ? "would read" : "read"
        context.note("\(verb) \(events.count) event(s) from \(URL(fileURLWithPath: feed.path).lastPathComponent) (\(channel))")
        return (rows, events.count + problems.count + malformed.count)
    }

    private static func row(_ event: ICalendarEvent, feed: Feed, channel: String) -> Row {
        let (kind, guest) = ChannelSummary.classify(event.summary, channel: channel)
        let booking = ChannelBooking(
            feed: feed.name, reservationID: event.uid, accommodationCode: feed.accommodation, channel: channel,
            kind: kind, action: event.isNonBlocking ? .cancel : .commit, arrival: event.arrival,
            departure: event.departure, summary: event.summary, guestName: guest,
            source: ChannelFeedTable.line(feed.path, event.line))
        return ChannelFeedTable.row(booking, mode: .snapshot, blocking: !event.isNonBlocking)
    }
}
