import Foundation
import PasserelleCore
import PasserelleEngine

/// The bookings a run notifies: read from the inputs, checked, resent on request.
extension BookingNotificationsOutput {
    /// The inputs' new bookings, and the `<source>/<reference>` of the bookings they cancelled this run.
    static func bookings(_ inputs: StageInputs, stage: String) throws -> ([NotifiedBooking], Set<String>) {
        var bookings: [NotifiedBooking] = []
        var cancelled = Set<String>()
        for input in inputs.direct {
            guard let table = input.output.tables["new_bookings"] else {
                throw StageError(
                    stage: stage, message: "input '\(input.name)' (\(input.kind)) writes no 'new_bookings' table",
                    fix: "use output.store_channel_bookings, or a stage that writes new_bookings, as input")
            }
            bookings += table.rows.map { NotifiedBooking(table, $0) }
            if let gone = input.output.tables["cancelled_bookings"] {
                cancelled.formUnion(gone.rows.map { NotifiedBooking(gone, $0).subjectKey })
            }
        }
        return (bookings, cancelled)
    }

    /// The client's e-mail and the host's copy of one booking, or none (counted, or reported with its reason).
    func build(
        _ booking: NotifiedBooking, builder: BookingMessageBuilder, resend: String?,
        tally: inout BookingNotificationTally,
        in context: StageContext
    ) -> [EmailBatchBuilder.Message] {
        guard !booking.reference.isEmpty, let status = booking.status else {
            tally.unreadable += 1
            context.report(Self.unreadable(booking))
            return []
        }
        guard let email = booking.email else {
            tally.withoutEmail += 1
            return []
        }
        guard let account = accounts.account(for: booking.accommodationCode) else {
            tally.withoutAccount += 1
            if tally.unconfigured.insert(booking.accommodationCode).inserted {
                context.report(Self.noAccount(booking, accounts: accountsPath))
            }
            return []
        }
        do {
            return try builder.messages(booking, account: account, status: status, email: email, resend: resend)
        } catch {
            tally.unsafe += 1
            context.report(Self.unsafe(booking, error))
            return []
        }
    }

    /// The e-mails of the `resend` references, under keys marked with the run so they are sent again: looked
    /// up in this run's new bookings, then in the store's active channel bookings of the accounts.
    func resent(
        _ bookings: [NotifiedBooking], builder: BookingMessageBuilder, tally: inout BookingNotificationTally,
        in context: StageContext
    ) throws -> [EmailBatchBuilder.Message] {
        guard !resend.isEmpty else { return [] }
        var found: [String: NotifiedBooking] = [:]
        for booking in bookings where found[booking.reference] == nil { found[booking.reference] = booking }
        let missing = Set(resend.filter { found[$0] == nil })
        if !missing.isEmpty {
            let stored = try context.store.channelBookings(ofAccommodations: accounts.accommodationCodes)
            let table = ChannelBookingStoreOutput.table(stored.filter { missing.contains($0.key) })
            for row in table.rows {
                let booking = NotifiedBooking(table, row)
                if found[booking.reference] == nil { found[booking.reference] = booking }
            }
        }
        var messages: [EmailBatchBuilder.Message] = []
        for reference in resend {
            guard let booking = found[reference] else {
                context.report(Self.unknownResend(reference, at: definition))
                continue
            }
            let built = build(booking, builder: builder, resend: "resend-r\(context.runID)", tally: &tally, in: context)
            tally.resent += built.count
            messages += built
        }
        return messages
    }
}

/// What became of a run's bookings, for the stage's note.
struct BookingNotificationTally {
    var withoutEmail = 0
    var cancelled = 0
    var withoutAccount = 0
    var unreadable = 0
    var unsafe = 0
    var alreadySent = 0
    var resent = 0
    /// Accommodation codes already reported as covered by no account.
    var unconfigured = Set<String>()

    /// Notes what was prepared and why the other bookings got nothing.
    func report(_ fresh: [EmailBatchBuilder.Message], bookings: Int, in context: StageContext) {
        let verb = context.isDryRun ? "would prepare" : "prepared"
        let clients = fresh.filter { $0.record.kind == BookingMessageBuilder.clientKind }.count
        var note =
            "\(verb) \(clients) booking e-mail(s) to clients and \(fresh.count - clients) copies to hosts "
            + "for \(bookings) new booking(s); \(alreadySent) message(s) already sent before; "
            + "\(withoutEmail) booking(s) without e-mail, \(cancelled) cancelled in the same run, "
            + "\(withoutAccount) without account, \(unreadable + unsafe) reported"
        if resent > 0 { note += "; \(resent) message(s) sent again on request" }
        context.note(note)
    }
}
