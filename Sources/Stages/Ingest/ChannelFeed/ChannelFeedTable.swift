import Foundation
import PasserelleCore
import PasserelleEngine

/// The table every channel ingest writes, one row per booking or block, and the `feeds` table that says
/// which feeds were read this run (a skipped feed must not look like an empty calendar). `basket` holds
/// the booking's lines separated by line breaks.
enum ChannelFeedTable {
    static let columns = [
        "feed", "mode", "reservation_id", "accommodation_code", "channel", "kind", "action", "arrival", "departure",
        "summary", "guest_name", "email", "guests", "amount", "currency", "blocking", "channel_manager_id",
        "language", "basket",
    ]
    static let feedColumns = ["feed", "mode", "path", "status", "bookings"]

    /// What a channel feed reader hands down: the bookings read (`rows`), one row per feed (`feeds`) and the
    /// rows read per file (`file_info`), which the end of the run checks against the store's counts.
    /// The bookings table (`rows`), as declared.
    static let bookingsShape = TableShape.rows(
        columns,
        types: ["arrival": .date, "departure": .date, "guests": .integer, "amount": .money, "blocking": .boolean])

    static let shapes = [
        bookingsShape, TableShape("feeds", fields: feedColumns, types: ["bookings": .integer]), .fileInfo,
    ]

    /// Status of a feed read this run.
    static let read = "lu"
    /// Status of a feed whose file was already imported.
    static let skipped = "déjà importé, ignoré"

    /// The row of one booking; `blocking` is false for a cancelled or transparent iCalendar event.
    static func row(_ b: ChannelBooking, mode: ChannelFeedMode, blocking: Bool = true) -> Row {
        let values: [Value] = [
            .text(b.feed), .text(mode.rawValue), .text(b.reservationID), .text(b.accommodationCode), .text(b.channel),
            .text(b.kind.rawValue), .text(b.action.rawValue), .date(b.arrival), .date(b.departure),
            b.summary.map(Value.text) ?? .null, b.guestName.map(Value.text) ?? .null, b.email.map(Value.text) ?? .null,
            b.guests.map(Value.integer) ?? .null, b.amount.map(Value.money) ?? .null,
            b.currency.map(Value.text) ?? .null, .bool(blocking), b.channelManagerID.map(Value.text) ?? .null,
            b.language.map(Value.text) ?? .null, b.basket.isEmpty ? .null : .text(b.basket.joined(separator: "\n")),
        ]
        return Row(location: b.source ?? .file(b.feed), values: values)
    }

    /// The booking a row describes, its mode and whether it blocks; nil when the row is not one of ours.
    static func booking(_ table: Table, _ row: Row) -> (ChannelBooking, ChannelFeedMode, Bool)? {
        func text(_ name: String) -> String? { table.value(name, in: row).text }
        guard let feed = text("feed"), let mode = text("mode").flatMap(ChannelFeedMode.init(rawValue:)),
            let id = text("reservation_id"), let code = text("accommodation_code"), let channel = text("channel"),
            let kind = text("kind").flatMap(ChannelBookingKind.init(rawValue:)),
            let action = text("action").flatMap(ChannelAction.init(rawValue:)),
            let arrival = table.value("arrival", in: row).date, let departure = table.value("departure", in: row).date
        else { return nil }
        let booking = ChannelBooking(
            feed: feed, reservationID: id, accommodationCode: code, channel: channel, kind: kind, action: action,
            arrival: arrival, departure: departure, summary: text("summary"), guestName: text("guest_name"),
            email: text("email"), guests: table.value("guests", in: row).integer,
            amount: table.value("amount", in: row).money, currency: text("currency"), source: row.location,
            channelManagerID: text("channel_manager_id"), language: text("language"),
            basket: text("basket")?.split(separator: "\n").map(String.init) ?? [])
        return (booking, mode, table.value("blocking", in: row).bool ?? true)
    }

    /// One row of the `feeds` table.
    static func feedRow(_ feed: String, mode: ChannelFeedMode, path: String, status: String, bookings: Int) -> Row {
        Row(
            location: .file(path),
            values: [.text(feed), .text(mode.rawValue), .text(path), .text(status), .integer(Int64(bookings))])
    }

    /// The `file_info` table of a reader: per file, its status and the rows it read (each booking, block,
    /// message or line that can be stored or rejected on its own, rejected ones included).
    static func fileInfo(_ files: [(path: String, status: String, read: Int)]) -> Table {
        var info = Table(columns: TableShape.fileInfo.fields)
        for file in files {
            info.rows.append(
                Row(
                    location: .file(file.path),
                    values: [.text(file.path), .null, .text(file.status), .integer(Int64(file.read))]))
        }
        return info
    }

    /// The location of a line of a feed file (rendered `file:line`).
    static func line(_ path: String, _ line: Int) -> SourceLocation {
        .csv(file: path, line: line, field: nil, header: nil)
    }
}

/// A booking read from one line or message, or the reason it was rejected.
enum ChannelParse<Value> {
    case success(Value)
    case failure(Diagnostic)
}
