import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Reads OpenTravel reservation messages (`OTA_HotelResNotifRQ`) pushed by channel managers.
///
/// `path` is one message or a folder of `.xml` messages, read in file-name order; other OTA messages in
/// the folder (availability, rates) are skipped with a note. Weekendesk's `OTA_HotelResRQ` (bookings) and
/// `OTA_CancelRQ` (cancellations) are read too. Each `HotelReservation` becomes one row whose `action` is
/// commit, modify or cancel (`OTAReservation`), or one row per room (`<id>#1`, `<id>#2`…) when it holds
/// several `RoomStay`s, each mapped to its own accommodation; a cancellation of the reservation cancels
/// every room. `output.store_channel_bookings` records a modification as the cancellation of the old
/// booking and a new one. The property is mapped
/// to an accommodation by `accommodations`, looked up as `HotelCode/RoomTypeCode`, then `HotelCode`,
/// then `RoomTypeCode`. XML is parsed with DTDs and entities refused. A message already imported is
/// skipped. A reservation without id gets `<file name>#<n>` (n = its rank in the message).
/// Rejects: `ingest.ota_xml.doctype_refused`, `ingest.ota_xml.malformed` (the whole message),
/// `ingest.ota_xml.unmapped_property`, `ingest.ota_xml.missing_dates`. Writes `rows` (`ChannelFeedTable`)
/// and `feeds`.
///
/// ```yaml
/// ota_messages:
///   kind: ingest.ota_xml
///   options:
///     path: ../sample-data/channels/ota
///     feed: channel-manager
///     accommodations: { HTL-EDEL/CHALET: CHA-EDEL, REFUGE-LAC: REF-LAC }
/// ```
struct OTAXMLIngest: Stage {
    static let schema = StageKindSchema(
        kind: "ingest.ota_xml",
        summary: "Read OTA reservation messages (HotelResNotifRQ; Weekendesk HotelResRQ and CancelRQ).",
        options: [
            OptionSpec("path", .path(mustExist: true), required: true, "A message, or a folder of .xml messages."),
            OptionSpec("feed", .string, "The feed's name in the store (default 'ota')."),
            OptionSpec("channel", .string, "The channel when a message names none (default 'OTA')."),
            OptionSpec(
                "accommodations", .map(.string), required: true,
                "Property → accommodation code; keys are 'HotelCode/RoomTypeCode', 'HotelCode' or 'RoomTypeCode'."),
        ], inputs: 0...0)

    let path: String
    let feed: String
    let channel: String
    let accommodations: [String: String]

    init(spec: StageSpec) throws {
        path = spec.options.string("path") ?? ""
        feed = spec.options.string("feed") ?? "ota"
        channel = spec.options.string("channel") ?? "OTA"
        var mapping: [String: String] = [:]
        let object = spec.options.object("accommodations")
        for key in spec.options.keys("accommodations") { mapping[key] = object?.string(key) }
        accommodations = mapping
    }

    init(path: String, feed: String = "ota", channel: String = "OTA", accommodations: [String: String]) {
        self.path = path
        self.feed = feed
        self.channel = channel
        self.accommodations = accommodations
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { ChannelFeedTable.shapes }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        var table = Table(columns: ChannelFeedTable.columns)
        var feeds = Table(columns: ChannelFeedTable.feedColumns)
        var files: [(path: String, status: String, read: Int)] = []
        for file in try ChannelFeedFiles.list(path, extension: "xml") {
            guard try context.shouldRead(inputFile: file) else {
                feeds.rows.append(ChannelFeedTable.feedRow(feed, mode: .messages, path: file, status: ChannelFeedTable.skipped, bookings: 0))
                files.append((file, ChannelFeedTable.skipped, 0))
                continue
            }
            let (rows, read) = try read(file, in: context)
            files.append((file, ChannelFeedTable.read, read))
            table.rows += rows
            feeds.rows.append(ChannelFeedTable.feedRow(feed, mode: .messages, path: file, status: ChannelFeedTable.read, bookings: rows.count))
        }
        let rowsIn = files.reduce(0) { $0 + $1.read }
        context.progress(rows: rowsIn)
        return StageOutput(rows: table, rowsIn: rowsIn, extra: ["feeds": feeds, "file_info": ChannelFeedTable.fileInfo(files)])
    }

    /// The rows of one message file and how many rows it held: one per line a reservation starts on (a
    /// rejected message counts as one).
    func read(_ file: String, in context: StageContext) throws -> ([Row], Int) {
        let name = URL(fileURLWithPath: file).lastPathComponent
        let root: OTAElement
        do {
            root = try OTAXMLTree.parse(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            context.reject([Self.unreadable(error, file: file)])
            return ([], 1)
        }
        guard let reservations = OTAReservation.reservations(in: root) else {
            context.note("skipped \(name): \(root.name) is not a reservation message")
            return ([], 0)
        }
        var rows: [Row] = []
        for (rank, reservation) in reservations.enumerated() {
            switch booking(reservation, file: file, rank: rank + 1) {
            case .success(let booking): rows.append(ChannelFeedTable.row(booking, mode: .messages))
            case .failure(let problem): context.reject([problem])
            }
        }
        let verb = context.isDryRun ? "would read" : "read"
        context.note("\(verb) \(reservations.count) reservation(s) from \(name)")
        // Rows are counted by the line their reservation starts on, as the store counts them: reservations of
        // a message written on one line count as one row.
        return (rows, Set(reservations.map(\.line)).count)
    }

    private func booking(_ r: OTAReservation, file: String, rank: Int) -> ChannelParse<ChannelBooking> {
        let location = ChannelFeedTable.line(file, r.line)
        let id = r.reservationID ?? "\(URL(fileURLWithPath: file).lastPathComponent)#\(rank)"
        let code = accommodation(r)
        if code == nil && r.action != .cancel { return .failure(Self.unmapped(r, id: id, at: location)) }
        let arrival = r.arrival, departure = r.departure
        let hasDates = arrival.map { a in departure.map { $0 > a } ?? false } ?? false
        if !hasDates && r.action != .cancel { return .failure(Self.missingDates(r, id: id, at: location)) }
        let none = CalendarDate(daysSinceEpoch: 0)  // a cancellation only needs its id
        return .success(
            ChannelBooking(
                feed: feed, reservationID: id, accommodationCode: code ?? "", channel: r.source ?? channel,
                kind: .reserved, action: r.action, arrival: arrival ?? none, departure: departure ?? none,
                summary: r.comment, guestName: r.guestName, email: r.email, guests: r.guests, amount: r.amount,
                currency: r.currency, source: location, channelManagerID: r.channelManagerID, language: r.language,
                basket: r.basket))
    }

    /// The accommodation of a reservation: `HotelCode/RoomTypeCode`, then `HotelCode`, then `RoomTypeCode`.
    func accommodation(_ r: OTAReservation) -> String? {
        let keys = [r.hotelCode.flatMap { h in r.roomTypeCode.map { "\(h)/\($0)" } }, r.hotelCode, r.roomTypeCode]
        return keys.compactMap { $0 }.lazy.compactMap { accommodations[$0] }.first
    }
}
