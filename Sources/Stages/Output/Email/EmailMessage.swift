import Foundation
import PasserelleCore

/// A mailbox: an optional display name and an ASCII address (`Office de Tourisme <ot@example.fr>`).
package struct EmailAddress: Sendable, Hashable {
    /// The name shown by mail clients; may hold accents (RFC 2047 encoded on output).
    package var displayName: String?
    /// `local@domain`, ASCII only: a non-ASCII local part needs SMTPUTF8 and is refused.
    package var address: String

    package init(displayName: String? = nil, address: String) {
        self.displayName = displayName
        self.address = address
    }
}

/// A notification e-mail, rendered as an RFC 5322 message for an `.eml` batch (formats.md section 4).
///
/// The output is 7-bit ASCII with CRLF line endings: headers with non-ASCII text become RFC 2047 encoded words,
/// bodies are quoted-printable, the text part comes before the HTML part in a `multipart/alternative`. Rendering
/// is deterministic: the boundary derives from the Message-ID, the date is formatted by hand, so a rerun with the
/// same inputs gives the same bytes. Every header value is checked for CR, LF and NUL (header injection from
/// spreadsheet cells) and every address for syntax before anything is written.
///
/// ```swift
/// let message = EmailMessage(
///     from: EmailAddress(displayName: "Office de Tourisme de Morète", address: "ot@example.fr"),
///     to: [EmailAddress(displayName: "Marie Dupont", address: "marie.dupont@example.com")],
///     subject: "Votre code séjour", date: run.clock.now,
///     messageID: try EmailMessage.messageID(stayCode: "MOR-2026-0042", templateVersion: "3", domain: "example.fr"),
///     textBody: "Bonjour,\n…", extraHeaders: [("Auto-Submitted", "auto-generated")])
/// try Data(message.rendered().utf8).write(to: url)
/// ```
package struct EmailMessage: Sendable {
    package var from: EmailAddress
    package var to: [EmailAddress]
    package var replyTo: EmailAddress?
    /// The subject as the client reads it; whitespace runs become one space.
    package var subject: String
    /// The sending date, from the run clock; written with the Europe/Paris offset of that instant.
    package var date: Date
    /// `left@domain`, without angle brackets; see `messageID(stayCode:templateVersion:domain:)`.
    package var messageID: String
    package var textBody: String
    /// When set, the message is `multipart/alternative` (text first, then HTML).
    package var htmlBody: String?
    /// More headers, written in this order after Message-ID.
    ///
    /// For example `("Auto-Submitted", "auto-generated")` (RFC 3834) or `("X-Passerelle-Key", key)`. Headers that
    /// the renderer writes itself (From, To, Subject, Content-Type…) are refused here.
    package var extraHeaders: [(String, String)]
    /// The Date and From lines already rendered and checked for a batch; used when they match this message's.
    package var shared: SharedHeaders?

    /// The Date and From header lines of every message of a batch, rendered and checked once rather than per
    /// message (the sender's name, with accents, is encoded the same way a million times otherwise).
    package struct SharedHeaders: Sendable {
        package let from: EmailAddress
        package let date: Date
        fileprivate let lines: [String]

        /// Throws what rendering a message from this sender would throw.
        package init(from: EmailAddress, date: Date) throws {
            try EmailMessage.checkMailbox(from, field: "From")
            self.from = from
            self.date = date
            lines = EmailMessage.dateAndFrom(from: from, date: date)
        }

        fileprivate func matches(_ message: EmailMessage) -> Bool { message.from == from && message.date == date }
    }

    package init(
        from: EmailAddress, to: [EmailAddress], replyTo: EmailAddress? = nil, subject: String, date: Date,
        messageID: String, textBody: String, htmlBody: String? = nil, extraHeaders: [(String, String)] = []
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.extraHeaders = extraHeaders
    }

    /// The whole message, CRLF line endings, ASCII only, ready to be written as an `.eml` file.
    package func rendered() throws -> String {
        String(decoding: try renderedBytes(), as: UTF8.self)
    }

    /// `rendered()` as bytes: what an `.eml` file holds.
    ///
    /// Built in one byte buffer, the bodies encoded straight into it (a batch renders a million of these).
    package func renderedBytes() throws -> [UInt8] {
        try validate()
        var message: [UInt8] = []
        message.reserveCapacity(256 + 2 * (textBody.utf8.count + (htmlBody?.utf8.count ?? 0)))
        func line(_ text: String) {
            message += text.utf8
            message += [0x0D, 0x0A]
        }
        for header in try headerLines() { line(header) }
        let boundary = Self.boundary(for: messageID)
        if let htmlBody {
            line("Content-Type: multipart/alternative;")
            line(" boundary=\"\(boundary)\"")
            line("")
            for (body, subtype) in [(textBody, "plain"), (htmlBody, "html")] {
                line("--\(boundary)")
                Self.contentHeaders(subtype: subtype).forEach(line)
                line("")
                MIMEEncoding.appendQuotedPrintable(body, to: &message)
                line("")
            }
            line("--\(boundary)--")
        } else {
            Self.contentHeaders(subtype: "plain").forEach(line)
            line("")
            // The message's final CRLF ends the body's last line: a body ending with a line break needs no other.
            let start = message.count
            MIMEEncoding.appendQuotedPrintable(textBody, to: &message)
            if message.count - start >= 2, message[message.count - 2] == 0x0D, message.last == 0x0A {
                message.removeLast(2)
            }
            line("")
        }
        try Self.checkLineLengths(message)
        return message
    }

    /// A deterministic Message-ID (without `<>`) for a stay's notification: a rerun gives the same id, so a
    /// message already sent is recognisable ("never e-mail twice", formats.md section 4).
    ///
    /// Characters outside `A–Z a–z 0–9 - _` become `_`; when that changes the text, a 64-bit FNV-1a hash of
    /// the original is appended so that distinct codes keep distinct ids.
    /// `messageID(stayCode: "MOR-2026-0042", templateVersion: "3", domain: "example.fr")` is
    /// `passerelle.MOR-2026-0042.t3@example.fr`.
    package static func messageID(stayCode: String, templateVersion: String, domain: String) throws -> String {
        try checkDomain(domain, field: "Message-ID", value: domain)
        return "passerelle.\(idPart(stayCode)).t\(idPart(templateVersion))@\(domain)"
    }

    private static func idPart(_ text: String) -> String {
        if !text.isEmpty, text.utf8.allSatisfy(isIDByte) {
            return text
        }
        let safe =
            text.utf8.allSatisfy({ $0 < 0x80 })
            ? String(decoding: text.utf8.map { isIDByte($0) ? $0 : 0x5F }, as: UTF8.self)  // one scalar a byte
            : String(
                text.unicodeScalars.map { scalar in
                    scalar.isASCII && isIDByte(UInt8(scalar.value)) ? Character(scalar) : "_"
                })
        guard safe != text || text.isEmpty else { return safe }
        return "\(safe).h\(FNV1a.hex64(text))"
    }

    /// ASCII letters, digits, `-` and `_`: what a Message-ID part keeps as is.
    private static func isIDByte(_ byte: UInt8) -> Bool {
        MIMEEncoding.isASCIILetterOrDigit(byte) || byte == 0x2D || byte == 0x5F
    }

    private func headerLines() throws -> [String] {
        var lines = shared.flatMap { $0.matches(self) ? $0.lines : nil } ?? Self.dateAndFrom(from: from, date: date)
        lines.append(MIMEEncoding.folded(name: "To", tokens: MIMEEncoding.mailboxTokens(to, nameLength: 2)))
        if let replyTo {
            lines.append(
                MIMEEncoding.folded(name: "Reply-To", tokens: MIMEEncoding.mailboxTokens([replyTo], nameLength: 8)))
        }
        lines.append(MIMEEncoding.unstructured(name: "Subject", value: subject))
        lines.append("Message-ID: <\(messageID)>")
        for (name, value) in extraHeaders { lines.append(MIMEEncoding.unstructured(name: name, value: value)) }
        lines.append("MIME-Version: 1.0")
        return lines
    }

    fileprivate static func dateAndFrom(from: EmailAddress, date: Date) -> [String] {
        [
            "Date: \(MIMEEncoding.rfc5322Date(date))",
            MIMEEncoding.folded(name: "From", tokens: MIMEEncoding.mailboxTokens([from], nameLength: 4)),
        ]
    }

    private static func contentHeaders(subtype: String) -> [String] {
        ["Content-Type: text/\(subtype); charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"]
    }

    /// `=_` cannot occur in quoted-printable text (a `=` there is always followed by hex digits or a line end),
    /// so the boundary never collides with a body.
    private static func boundary(for messageID: String) -> String {
        "=_passerelle_\(FNV1a.hex64(messageID))"
    }

    static func checkLineLengths(_ message: [UInt8]) throws {
        // Line ends found with memchr: the byte-by-byte loop was 1 % of a million-message import.
        let tooLong: Int? = message.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            var start = 0
            while start < buffer.count {
                let end = memchr(base + start, 0x0A, buffer.count - start).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) }
                if (end ?? buffer.count) - start > 999 { return start }  // 998 octets plus CR
                guard let end else { return nil }
                start = end + 1
            }
            return nil
        }
        if let start = tooLong {
            let line = message[start...].prefix(while: { $0 != 0x0D && $0 != 0x0A })
            throw EmailError(
                code: .lineTooLong, field: "message", value: String(decoding: line.prefix(60), as: UTF8.self),
                reason: "a line is \(line.count) octets long, over RFC 5322's 998",
                fix: "shorten the header value; report this as a Passerelle bug if it comes from a body")
        }
    }
}

/// An e-mail that cannot be rendered safely: the header field, the offending value, what is wrong and the fix.
package struct EmailError: Error, Equatable, CustomStringConvertible {
    /// The kinds of problems, stable for tests and rule IDs.
    package enum Code: Sendable, Equatable {
        case headerInjection, malformedAddress, needsSMTPUTF8, needsIDNA, noRecipient
        case invalidHeaderName, reservedHeader, malformedMessageID, lineTooLong
    }

    package let code: Code
    /// The header field (`To`, `Subject`, `From display name`, `X-Passerelle-Key`…).
    package let field: String
    /// The offending value, as found.
    package let value: String
    /// What is wrong, lowercase, no final period.
    package let reason: String
    /// An imperative sentence telling the user what to do.
    package let fix: String

    package var description: String {
        "e-mail header '\(field)': \(reason): \(Self.visible(value))\n  fix: \(fix)"
    }

    /// The value quoted, with CR, LF, tab and NUL made visible.
    static func visible(_ value: String) -> String {
        let shown = value.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\r": "\\r"
            case "\n": "\\n"
            case "\t": "\\t"
            case "\0": "\\0"
            case "\"": "\\\""
            default: String(scalar)
            }
        }
        return "\"\(shown.joined())\""
    }
}

// MARK: - Validation

extension EmailMessage {
    /// Headers the renderer writes itself; an extra header with one of these names would duplicate or override it.
    private static let renderedHeaders: Set<String> = [
        "date", "from", "sender", "to", "cc", "bcc", "reply-to", "subject", "message-id", "mime-version",
        "content-type", "content-transfer-encoding",
    ]

    /// Checks every header value for CR, LF and NUL, and every address and the Message-ID for syntax.
    func validate() throws {
        if shared?.matches(self) != true { try Self.checkMailbox(from, field: "From") }
        guard !to.isEmpty else {
            throw EmailError(
                code: .noRecipient, field: "To", value: "", reason: "no recipient",
                fix: "give the message at least one recipient address")
        }
        for recipient in to { try Self.checkMailbox(recipient, field: "To") }
        if let replyTo { try Self.checkMailbox(replyTo, field: "Reply-To") }
        try Self.checkLineBreaks(subject, field: "Subject")
        try Self.checkMessageID(messageID)
        for (name, value) in extraHeaders { try Self.checkExtraHeader(name: name, value: value) }
    }

    private static func checkLineBreaks(_ value: String, field: String) throws {
        guard value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else { return }
        throw EmailError(
            code: .headerInjection, field: field, value: value,
            reason: "CR, LF or NUL in a header value, which could add headers to the message",
            fix: "remove the line break from the value (in a spreadsheet cell, often typed with Alt+Enter) "
                + "and run the pipeline again")
    }

    fileprivate static func checkMailbox(_ mailbox: EmailAddress, field: String) throws {
        if let name = mailbox.displayName { try checkLineBreaks(name, field: "\(field) display name") }
        try checkLineBreaks(mailbox.address, field: field)
        try checkAddress(mailbox.address, field: field)
    }

    private static func checkAddress(_ address: String, field: String) throws {
        let parts = splitAtSign(address)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw malformed(address, field: field, reason: "not an address of the form local@domain")
        }
        guard parts[0].utf8.allSatisfy({ $0 < 0x80 }) else {
            throw EmailError(
                code: .needsSMTPUTF8, field: field, value: address,
                reason: "non-ASCII characters before the @ need SMTPUTF8 (RFC 6531), which relays may refuse",
                fix: "ask the client for an ASCII address (e.g. without accents), or send this e-mail by hand")
        }
        guard isDotAtom(parts[0]) else {
            throw malformed(address, field: field, reason: "the part before the @ has a space or a special character")
        }
        try checkDomain(String(parts[1]), field: field, value: address)
    }

    static func checkDomain(_ domain: String, field: String, value: String) throws {
        guard domain.utf8.allSatisfy({ $0 < 0x80 }) else {
            throw EmailError(
                code: .needsIDNA, field: field, value: value,
                reason: "the domain has non-ASCII characters",
                fix: "write the domain in its ASCII (punycode) form, e.g. xn--caf-dma.fr for café.fr")
        }
        guard domain.utf8.count <= 253, isHostName(domain.utf8) else {
            throw malformed(value, field: field, reason: "the domain is not a valid host name")
        }
    }

    /// Labels of 1 to 63 ASCII letters, digits and inner hyphens, separated by single dots (ASCII checked before).
    private static func isHostName(_ domain: String.UTF8View) -> Bool {
        var length = 0
        var previous: UInt8 = 0x2E
        for byte in domain {
            if byte == 0x2E {
                guard length > 0, previous != 0x2D else { return false }
                length = 0
            } else {
                guard MIMEEncoding.isASCIILetterOrDigit(byte) || (byte == 0x2D && length > 0) else { return false }
                length += 1
                guard length <= 63 else { return false }
            }
            previous = byte
        }
        return length > 0 && previous != 0x2D
    }

    /// The parts of `text` between its `@` signs (one part when there is none).
    private static func splitAtSign(_ text: String) -> [Substring] {
        text.utf8.split(separator: 0x40, omittingEmptySubsequences: false).map { Substring($0) }
    }

    private static func checkMessageID(_ id: String) throws {
        try checkLineBreaks(id, field: "Message-ID")
        let parts = splitAtSign(id)
        guard id.utf8.count <= 250, parts.count == 2, isDotAtom(parts[0]), isDotAtom(parts[1]) else {
            throw EmailError(
                code: .malformedMessageID, field: "Message-ID", value: id,
                reason: "not of the form left@domain (ASCII, no angle brackets, at most 250 characters)",
                fix: "build it with EmailMessage.messageID(stayCode:templateVersion:domain:)")
        }
    }

    private static func checkExtraHeader(name: String, value: String) throws {
        let isFieldName = !name.isEmpty && name.unicodeScalars.allSatisfy { (33...126).contains($0.value) && $0 != ":" }
        guard isFieldName else {
            throw EmailError(
                code: .invalidHeaderName, field: name, value: name,
                reason: "a header name must be printable ASCII without spaces or colons",
                fix: "rename the header, e.g. X-Passerelle-Key")
        }
        guard !renderedHeaders.contains(name.lowercased()) else {
            throw EmailError(
                code: .reservedHeader, field: name, value: value,
                reason: "this header is written from the message's own fields",
                fix: "set it through the matching EmailMessage property instead of extraHeaders")
        }
        try checkLineBreaks(value, field: name)
    }

    /// RFC 5322 dot-atom: atext runs separated by single dots.
    private static func isDotAtom(_ text: Substring) -> Bool {
        var previousIsDot = true  // a leading dot, two dots in a row or a trailing dot make an empty atom
        for byte in text.utf8 {
            guard byte == 0x2E ? !previousIsDot : MIMEEncoding.isAtext(byte) else { return false }
            previousIsDot = byte == 0x2E
        }
        return !previousIsDot
    }

    private static func malformed(_ address: String, field: String, reason: String) -> EmailError {
        EmailError(
            code: .malformedAddress, field: field, value: address, reason: reason,
            fix: "correct the e-mail address in the source data and run the pipeline again")
    }
}
