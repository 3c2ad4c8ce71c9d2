import Foundation
import Mustache
import PasserelleCore

/// Builds the two e-mails of a booking: the client's, from the account's sender, and the host's copy.
///
/// The client's e-mail is in the client's language when the account writes in it, else in the account's
/// first language: the host's subject and body for the booking's status, then the frame (basket summary,
/// the client's and the host's details). The copy is a message of its own to the host (not a `Cc:` header:
/// `passerelle send` delivers each manifest entry to its one recipient, and the copy keeps its own
/// "never twice" key and delivery status); it carries the same body after a line saying whom it was sent
/// to, in the account's first language, and its Reply-To is the client.
struct BookingMessageBuilder {
    static let clientKind = "booking_notification"
    static let copyKind = "booking_notification_copy"

    let frame: BookingFrame
    let date: Date
    let version: String

    /// The client's e-mail and the host's copy; `resend` marks a resend (its keys differ from the first send's).
    func messages(
        _ booking: NotifiedBooking, account: BookingAccount, status: BookingStatus, email: String, resend: String?
    )
        throws -> [EmailBatchBuilder.Message]
    {
        let language = account.language(for: booking.language)
        let labels = frame.labels[language] ?? BookingLabels(words: [:], months: [])
        let values = Self.values(booking, account: account, labels: labels)
        let text = account.texts[language]?[status] ?? account.texts[account.languages[0]]?[status]
        let subject = Self.oneLine(text?.subject.render(values) ?? "")
        let hostText = (text?.body.render(values) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let client = EmailAddress(displayName: booking.guestName.map(Self.oneLine), address: email)
        var context = frameContext(booking, account: account, labels: labels, status: status, hostText: hostText)
        context["language"] = language
        let subjectKey = booking.subjectKey + (resend.map { "/\($0)" } ?? "")
        let first = try message(
            kind: Self.clientKind, subjectKey: subjectKey, account: account, to: client,
            replyTo: account.host.email == account.sender
                ? nil : EmailAddress(displayName: account.host.name, address: account.host.email),
            subject: subject, context: context, template: "\(Self.clientKind).\(language)")
        let hostLabels = frame.labels[account.languages[0]] ?? labels
        context["copy"] = ["intro": hostLabels["copy_intro"], "recipient": Self.mailbox(client)]
        let copy = try message(
            kind: Self.copyKind, subjectKey: subjectKey, account: account,
            to: EmailAddress(displayName: account.host.name, address: account.host.email), replyTo: client,
            subject: hostLabels["copy_subject"] + subject, context: context, template: "\(Self.copyKind).\(language)")
        return [first, copy]
    }

    private func message(
        kind: String, subjectKey: String, account: BookingAccount, to: EmailAddress, replyTo: EmailAddress?,
        subject: String, context: [String: Any], template: String
    ) throws -> EmailBatchBuilder.Message {
        let key = "\(kind):\(subjectKey):v\(version)"
        let domain = account.sender.split(separator: "@").last.map(String.init) ?? "localhost"
        let email = EmailMessage(
            from: EmailAddress(displayName: account.host.name, address: account.sender), to: [to], replyTo: replyTo,
            subject: subject, date: date,
            messageID: try EmailMessage.messageID(
                stayCode: "\(kind).\(subjectKey)", templateVersion: version, domain: domain),
            textBody: Self.withoutTrailingSpaces(frame.text.render(context)), htmlBody: frame.html?.render(context),
            extraHeaders: [("Auto-Submitted", "auto-generated"), ("X-Passerelle-Key", key)])
        return EmailBatchBuilder.Message(
            record: NotificationRecord(key: key, kind: kind, recipient: to.address, subjectKey: subjectKey),
            template: template, data: Data(try email.renderedBytes()))
    }

    /// The text with no space at the end of a line (`Panier :` before the basket lines), which
    /// quoted-printable would otherwise write as `=20`.
    static func withoutTrailingSpaces(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in String(line.reversed().drop { $0 == " " || $0 == "\t" }.reversed()) }
            .joined(separator: "\n")
    }

    /// `Anna Berg <anna.berg@example.se>`, for the copy's first line.
    static func mailbox(_ address: EmailAddress) -> String {
        address.displayName.map { "\($0) <\(address.address)>" } ?? address.address
    }

    /// Header text on one line: whitespace runs (line breaks included) become one space.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace || $0 == "\0" }).joined(separator: " ")
    }
}
