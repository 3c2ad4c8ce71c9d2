import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Prepares the e-mail of each new booking to its client, from the host's own sender address, and a copy
/// to the host (domain.md, mountain refuges, notification e-mails; issue 6 item 8).
///
/// Reads the `new_bookings` table of each input (the columns of `NotifiedBooking`: channel bookings from
/// `output.store_channel_bookings`, refuge bookings…). The account covering the booking's accommodation
/// (`accounts`, see `BookingAccounts`) gives the sender, the host's details, the languages and the texts; the
/// frame (`template`: `labels.yml`, `body.txt.mustache`, `body.html.mustache`) adds the basket summary and
/// the client's and host's details. One `.eml` per message and a `manifest.csv` go to `folder`, for
/// `passerelle send`. Each message has a key (`booking_notification:<source>/<reference>:v<template_version>`,
/// `booking_notification_copy:…` for the copy) recorded in the store: importing again never sends twice.
/// A booking without e-mail (iCalendar feeds carry none), one cancelled in the same run (in the input's
/// `cancelled_bookings`), or one of an accommodation no account covers gets no message and is counted in
/// the note. `resend` lists references whose e-mails to send again (keys marked with the run): looked up in
/// this run's new bookings, then in the store's active channel bookings. Reports (warnings):
/// `output.booking_notifications.no_account` (once per accommodation code),
/// `output.booking_notifications.no_reference`, `output.booking_notifications.unknown_status`,
/// `output.booking_notifications.unsafe_message`,
/// `output.booking_notifications.unknown_resend`. The accounts file and the frame are read when the run
/// starts: a missing or malformed sender address stops the run before anything is stored.
///
/// ```yaml
/// booking_mails:
///   kind: output.booking_notifications
///   inputs: [store_channels]
///   options:
///     accounts: ../sample-data/channels/comptes.yml
///     template: ../reports/emails/bookings
///     folder: notifications-reservations
/// ```
struct BookingNotificationsOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.booking_notifications",
        summary: "E-mail each new booking to its client from the host's sender, with a copy to the host (never twice).",
        options: [
            OptionSpec(
                "accounts", .path(mustExist: true), required: true, "The accounts file (senders, hosts, texts)."),
            OptionSpec(
                "template", .path(mustExist: true), required: true,
                "Folder of the frame: labels.yml, body.txt.mustache, body.html.mustache."),
            OptionSpec("folder", .string, "Sub-folder of the run folder (default notifications-reservations)."),
            OptionSpec("resend", .string, "References whose e-mails to send again, separated by commas or spaces."),
            OptionSpec("template_version", .string, "Bump to send changed messages again (default 1)."),
        ], inputs: 1...16)

    let accounts: BookingAccounts
    let accountsPath: String
    let frame: BookingFrame
    let folder: String
    /// References to send again, without repeats, in the order given.
    let resend: [String]
    let version: String
    /// Where the stage is defined (the place of warnings about `resend`).
    let definition: SourceLocation

    init(spec: StageSpec) throws {
        accountsPath = spec.options.string("accounts") ?? ""
        accounts = try BookingAccounts.load(path: accountsPath)
        frame = try BookingFrame.load(
            folder: spec.options.string("template") ?? "", languages: accounts.accounts.flatMap(\.languages))
        folder = spec.options.string("folder") ?? "notifications-reservations"
        var seen = Set<String>()
        resend = (spec.options.string("resend") ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace })
            .map(String.init).filter { seen.insert($0).inserted }
        version = spec.options.string("template_version") ?? "1"
        definition = spec.location
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let (bookings, cancelled) = try Self.bookings(inputs, stage: context.stageName)
        var tally = BookingNotificationTally()
        let builder = BookingMessageBuilder(frame: frame, date: context.asOf, version: version)
        var messages: [EmailBatchBuilder.Message] = []
        for booking in bookings {
            if cancelled.contains(booking.subjectKey) {
                tally.cancelled += 1
                continue
            }
            messages += build(booking, builder: builder, resend: nil, tally: &tally, in: context)
        }
        messages += try resent(bookings, builder: builder, tally: &tally, in: context)
        var keys = Set<String>()  // a booking listed by two inputs is mailed once
        messages = messages.filter { keys.insert($0.record.key).inserted }.sorted { $0.record.key < $1.record.key }
        // Claimed and kept in the outbox together, numbered as the batch's files are.
        let already = try context.store.claimMessages(
            messages.map { PreparedMessage(record: $0.record, template: $0.template, data: $0.data) },
            firstPosition: 1, file: { EmailBatchFiles.path(folder: folder, position: $0, record: $1) },
            scope: context.writeScope)
        // Every booking of the inputs has had its turn (sent, kept, or nothing to send): none is owed any more.
        try context.store.markOutboxPrepared(
            kind: OutboxKind.booking, entityKeys: bookings.map(\.subjectKey), scope: context.writeScope)
        let fresh = messages.filter { !already.contains($0.record.key) }
        try EmailBatchOutput.write(fresh, folder: folder, in: context)
        tally.alreadySent = messages.count - fresh.count
        tally.report(fresh, bookings: bookings.count, in: context)
        return StageOutput(tables: [:], rowsIn: bookings.count, rowsOut: fresh.count)
    }
}
