import Foundation
import PasserelleCore
import Testing

@testable import PasserelleStages

/// Renders messages and parses them back with Python's `email` package (`policy.default`), the strictest
/// decoder at hand; python3 is required (see `python(_:)` in XLSXWriterTests.swift).
@Suite struct EmailMessageTests {
    /// Sunday 22 November 2026, 09:00 UTC: 10:00 in Paris (winter time).
    static let winter = Date(timeIntervalSince1970: 1_795_338_000)

    static let office = EmailAddress(displayName: "Office de Tourisme de Morète", address: "ot@example.fr")

    static let textBody = """
        Bonjour Marie-Hélène,

        Votre code séjour est MOR-2026-0042 : présentez-le à l'accueil du Gîte « Les Écureuils » à votre arrivée, \
        le 12/02/2026 à partir de 16 h. Montant réglé = 1 234,50 € (taxe de séjour incluse).  \u{20}
        .Une ligne qui commence par un point.
        À bientôt !
        """

    static let htmlBody = """
        <!DOCTYPE html><html lang="fr"><body><p>Bonjour Marie-Hélène,</p>\
        <p style="font-family: Arial, sans-serif; color: #333">Votre code séjour est <b>MOR-2026-0042</b>.</p>\
        </body></html>
        """

    static func message(htmlBody: String? = htmlBody) -> EmailMessage {
        EmailMessage(
            from: office,
            to: [
                EmailAddress(displayName: "Marie-Hélène Dupont", address: "marie-helene.dupont@example.com"),
                EmailAddress(displayName: "Dupont, Jean \"JD\"", address: "jean.dupont@example.com"),
                EmailAddress(address: "compta@example.org"),
            ],
            replyTo: EmailAddress(displayName: "Accueil", address: "accueil@example.fr"),
            subject: "Votre code séjour pour le Gîte « Les Écureuils » – arrivée le 12/02/2026, bon séjour à Morète !",
            date: winter, messageID: "passerelle.MOR-2026-0042.t3@example.fr",
            textBody: textBody, htmlBody: htmlBody,
            extraHeaders: [("Auto-Submitted", "auto-generated"), ("X-Passerelle-Key", "MOR-2026-0042/t3")])
    }

    @Test func rendersAccentedHeadersAndBodiesThatPythonDecodes() throws {
        let parsed = try parse(Self.message().rendered())
        #expect(parsed.defects == [])
        #expect(parsed.subject == Self.message().subject)
        #expect(parsed.from == [["Office de Tourisme de Morète", "ot@example.fr"]])
        #expect(
            parsed.to == [
                ["Marie-Hélène Dupont", "marie-helene.dupont@example.com"],
                ["Dupont, Jean \"JD\"", "jean.dupont@example.com"],
                ["", "compta@example.org"],
            ])
        #expect(parsed.replyTo == [["Accueil", "accueil@example.fr"]])
        #expect(parsed.date == "Sun, 22 Nov 2026 10:00:00 +0100")
        #expect(parsed.messageID == "<passerelle.MOR-2026-0042.t3@example.fr>")
        #expect(parsed.contentType == "multipart/alternative")
        #expect(parsed.partTypes == ["multipart/alternative", "text/plain", "text/html"])
        #expect(parsed.text?.replacingOccurrences(of: "\r\n", with: "\n") == Self.textBody)
        #expect(parsed.html == Self.htmlBody)
        #expect(parsed.extra == ["Auto-Submitted": "auto-generated", "X-Passerelle-Key": "MOR-2026-0042/t3"])
    }

    /// A batch renders its Date and From lines once; the messages are the same bytes as rendered alone, and
    /// lines made for another sender or date are not used.
    @Test func sharedDateAndFromLinesGiveTheSameBytes() throws {
        let alone = try Self.message().rendered()
        var batched = Self.message()
        batched.shared = try EmailMessage.SharedHeaders(from: Self.office, date: Self.winter)
        #expect(try batched.rendered() == alone)

        var other = Self.message()
        other.shared = try EmailMessage.SharedHeaders(
            from: EmailAddress(displayName: "Autre", address: "autre@example.fr"), date: Self.winter)
        #expect(try other.rendered() == alone)
        other.shared = try EmailMessage.SharedHeaders(from: Self.office, date: Self.winter.addingTimeInterval(3600))
        #expect(try other.rendered() == alone)

        #expect(throws: EmailError.self) {
            try EmailMessage.SharedHeaders(from: EmailAddress(displayName: "X\r\nBcc: a@b.c", address: "ot@example.fr"), date: Self.winter)
        }
    }

    @Test func rendersOnlyATextPartWithoutHTML() throws {
        let parsed = try parse(Self.message(htmlBody: nil).rendered())
        #expect(parsed.defects == [])
        #expect(parsed.partTypes == ["text/plain"])
        // Python keeps the wire's CRLFs; a single-part body always ends with the message's final line break.
        #expect(parsed.text?.replacingOccurrences(of: "\r\n", with: "\n") == Self.textBody + "\n")
        #expect(parsed.html == nil)
    }

    @Test func rendersASmallMessageExactly() throws {
        let message = EmailMessage(
            from: Self.office, to: [EmailAddress(address: "marie@example.com")], subject: "Votre séjour",
            date: Self.winter, messageID: "passerelle.A1.t1@example.fr", textBody: "Bonjour,\nà bientôt.\n")
        #expect(
            try message.rendered()
                == [
                    "Date: Sun, 22 Nov 2026 10:00:00 +0100",
                    "From: =?UTF-8?Q?Office_de_Tourisme_de_Mor=C3=A8te?= <ot@example.fr>",
                    "To: marie@example.com",
                    "Subject: =?UTF-8?Q?Votre_s=C3=A9jour?=",
                    "Message-ID: <passerelle.A1.t1@example.fr>",
                    "MIME-Version: 1.0",
                    "Content-Type: text/plain; charset=UTF-8",
                    "Content-Transfer-Encoding: quoted-printable",
                    "",
                    "Bonjour,",
                    "=C3=A0 bient=C3=B4t.",
                    "",
                ].joined(separator: "\r\n"))
    }

    @Test func everyLineEndsWithCRLFAndFitsIn78Octets() throws {
        let rendered = try Self.message().rendered()
        let bytes = Array(rendered.utf8)
        #expect(bytes.allSatisfy { $0 < 0x80 })
        #expect(rendered.hasSuffix("\r\n"))
        let lines = rendered.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.allSatisfy { !$0.contains("\r") && !$0.contains("\n") })
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
        let tooLong = lines.filter { $0.utf8.count > 78 }
        #expect(tooLong == [])
    }

    @Test func encodedWordsStayWithin75CharactersAndSplitBetweenCharacters() throws {
        let subject = String(repeating: "é€🇫🇷 ", count: 30)
        var message = Self.message()
        message.subject = subject
        let rendered = try message.rendered()
        let pattern = try Regex("=\\?UTF-8\\?Q\\?[^?]*\\?=")
        let words = rendered.matches(of: pattern).map { String(rendered[$0.range]) }
        try #require(words.count > 5)
        #expect(words.allSatisfy { $0.utf8.count <= 75 })
        // Each word decodes on its own to valid UTF-8: no word ends inside a multi-byte sequence.
        #expect(words.allSatisfy { Self.qDecoded($0) != nil })
        #expect(try parse(rendered).subject == subject.trimmingCharacters(in: .whitespaces))
    }

    @Test func encodesASCIITextThatLooksLikeAnEncodedWord() throws {
        var message = Self.message()
        message.subject = "Code =?UTF-8?Q?faux?= inchangé"
        #expect(try parse(message.rendered()).subject == "Code =?UTF-8?Q?faux?= inchangé")
    }

    @Test(arguments: [
        (1_795_338_000, "Sun, 22 Nov 2026 10:00:00 +0100"),
        (1_784_017_800, "Tue, 14 Jul 2026 10:30:00 +0200"),
        (1_774_745_999, "Sun, 29 Mar 2026 01:59:59 +0100"),
        (1_774_746_000, "Sun, 29 Mar 2026 03:00:00 +0200"),
        (1_792_889_999, "Sun, 25 Oct 2026 02:59:59 +0200"),
        (1_792_890_000, "Sun, 25 Oct 2026 02:00:00 +0100"),
        (1_798_761_600, "Fri, 01 Jan 2027 01:00:00 +0100"),
    ])
    func writesDateWithParisOffset(seconds: Int, expected: String) throws {
        var message = Self.message()
        message.date = Date(timeIntervalSince1970: TimeInterval(seconds))
        #expect(try parse(message.rendered()).date == expected)
    }

    @Test func parisOffsetMatchesFoundationTimeZone() throws {
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let start = 1_704_067_200  // 2024-01-01T00:00:00Z
        for hour in 0..<(7 * 366 * 24) {
            let seconds = start + hour * 3_600
            let expected = paris.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
            guard MIMEEncoding.parisOffsetSeconds(atUTC: seconds) == expected else {
                Issue.record("offset differs at \(seconds)")
                return
            }
        }
    }

    @Test func rendersByteIdenticalMessagesOnRerun() throws {
        let first = try Self.message().rendered()
        #expect(try Self.message().rendered() == first)
        var other = Self.message()
        other.messageID = "passerelle.MOR-2026-0043.t3@example.fr"
        let boundary = try #require(first.firstMatch(of: try Regex("boundary=\"([^\"]+)\"")))
        #expect(try !other.rendered().contains(String(first[boundary.range])))
    }

    /// Header texts for the byte-by-byte paths: French, other Latin scripts, punctuation, and texts that must take
    /// the character-by-character path (combining accents, no-break spaces, other scripts, emoji, controls).
    static let headerTexts = [
        "Votre code séjour A2FDSPGN – arrivée le 17/04/2027", "Søren Søndergaard", "Niccolò Rossi", "Œuvre «  Gîte  »",
        "Łódź Dvořák Ñandú", "1 234,50 € ÷ 2 × 3 ° § £", "d’arrivée… “ici” — •", "tab\tet  espaces", "", "   ",
        "e\u{301}te\u{301} combinés", "espace\u{00A0}insécable", "fine\u{202F}insécable", "Ελληνικά Кириллица",
        "🇫🇷 drapeau 👩‍👩‍👧", "=?UTF-8?Q?faux?=", String(repeating: "é", count: 80),
        String(repeating: "Gîte-", count: 30), "x\u{0085}y", "a\u{2028}b",
    ]

    @Test(arguments: headerTexts)
    func encodesHeaderTextByteByByteAsCharacterByCharacter(text: String) {
        for first in [30, 62, 75] {
            #expect(MIMEEncoding.encodedWords(text, firstLength: first)
                == MIMEEncoding.encodedWordsByCharacter(text, firstLength: first))
        }
        #expect(MIMEEncoding.whitespaceSplit(text) == text.split(whereSeparator: \.isWhitespace).map(String.init))
        #expect(MIMEEncoding.quotedPrintable(text) == Self.referenceQuotedPrintable(text))
    }

    /// Extra header values: those the one-line shortcut takes and those next to it that it must leave.
    @Test(arguments: headerTexts + [
        "stay_code:CR-2026-000001:v1", "auto-generated", "a  b", " a", "a ", "a\tb", "x=?y", "x=y?", "=?", "?=",
        "Votre code séjour QG4T9R88 – arrivée le 21/12/2026", " Votre séjour", "Votre séjour ", "Votre  séjour",
        "Votre\tséjour", "séjour",
        String(repeating: "k", count: 60), String(repeating: "k", count: 61), String(repeating: "ab ", count: 20) + "c",
    ])
    func writesOneLineHeadersAsTheGeneralPathDoes(value: String) {
        for name in ["X-Passerelle-Key", "Auto-Submitted", "Subject", "X"] {
            #expect(MIMEEncoding.unstructured(name: name, value: value) == Self.referenceUnstructured(name: name, value: value))
        }
        // A display name: its whitespace runs count as one space, whichever path the name takes.
        let folded = value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(MIMEEncoding.mailboxTokens([EmailAddress(displayName: value, address: "a@example.fr")], nameLength: 2)
            == MIMEEncoding.mailboxTokens([EmailAddress(displayName: folded, address: "a@example.fr")], nameLength: 2))
    }

    /// The unstructured header as first written: split at whitespace, then folded words or encoded words.
    static func referenceUnstructured(name: String, value: String) -> String {
        let words = value.split(whereSeparator: \.isWhitespace).map(String.init)
        let text = words.joined(separator: " ")
        let longestWord = words.map(\.utf8.count).max() ?? 0
        guard MIMEEncoding.needsEncoding(text) || longestWord > 77 else { return MIMEEncoding.folded(name: name, tokens: words) }
        let first = min(75, max(78 - name.utf8.count - 2, 30))
        return MIMEEncoding.folded(name: name, tokens: MIMEEncoding.encodedWordsByCharacter(text, firstLength: first))
    }

    @Test func refusesLinesOverRFC5322Limit() throws {
        let line = { (n: Int) in [UInt8](repeating: 0x6B, count: n) }
        let crlf: [UInt8] = [0x0D, 0x0A]
        try EmailMessage.checkLineLengths(line(998) + crlf + line(5) + crlf + line(998))
        try EmailMessage.checkLineLengths([])
        #expect(throws: EmailError.self) { try EmailMessage.checkLineLengths(line(10) + crlf + line(999) + crlf) }
        #expect(throws: EmailError.self) { try EmailMessage.checkLineLengths(crlf + line(1000)) }
        let error = #expect(throws: EmailError.self) { try EmailMessage.checkLineLengths(line(3) + crlf + line(1200)) }
        #expect(error?.code == .lineTooLong)
        #expect(error?.description.contains("a line is 1200 octets long") == true)
    }

    @Test func encodesBodiesAsTheReferenceQuotedPrintable() {
        var generator = SplitMix64(seed: 7)
        let alphabet: [Character] = Array("abc xyz.=\t\r\né€😀-_ ...\u{7F}\u{1}") + ["\r\n"]
        for length in [0, 1, 2, 74, 75, 76, 77, 78, 150, 151, 400] {
            for _ in 0..<200 {
                let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
                #expect(MIMEEncoding.quotedPrintable(text) == Self.referenceQuotedPrintable(text), "\(Array(text.utf8))")
            }
        }
    }

    /// The encoder as first written (byte by byte into the array), kept as the reference for the pointer version.
    static func referenceQuotedPrintable(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        func encodeLine(_ line: ArraySlice<UInt8>) {
            var column = 0
            var i = line.startIndex
            while i < line.endIndex {
                let lead = line[i]
                let width = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
                let end = min(i + width, line.endIndex)
                let isLast = end == line.endIndex
                let literal =
                    width == 1 && ((lead == 0x20 || lead == 0x09) ? !isLast : (0x21...0x7E).contains(lead) && lead != 0x3D)
                let length = literal ? 1 : 3 * (end - i)
                if column + length > (isLast ? 76 : 75) {
                    output += [0x3D, 0x0D, 0x0A]
                    column = 0
                }
                if literal && !(column == 0 && lead == 0x2E) {
                    output.append(lead)
                    column += 1
                } else {
                    for byte in line[i..<end] { output += [0x3D, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]] }
                    column += 3 * (end - i)
                }
                i = end
            }
        }
        var lineStart = 0
        var index = 0
        while index <= bytes.count {
            if index == bytes.count || bytes[index] == 0x0D || bytes[index] == 0x0A {
                encodeLine(bytes[lineStart..<index])
                if index == bytes.count { break }
                if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                output += [0x0D, 0x0A]
                index += 1
                lineStart = index
                continue
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    @Test func takesByteByBytePathForFrenchTextOnly() {
        #expect(MIMEEncoding.isPlainText("Votre code séjour – arrivée le 17/04/2027 : 1 234,50 €, « Gîte » œ"))
        for text in ["e\u{301}", "a\u{00A0}b", "a\u{202F}b", "Кир", "🇫🇷", "a\nb", "a\u{0}b", "a\u{0085}b"] {
            #expect(!MIMEEncoding.isPlainText(text), "\(text.unicodeScalars.map(\.value))")
        }
    }

    @Test func encodesQuotedPrintableLinesWithinRFC2045Limits() {
        #expect(MIMEEncoding.quotedPrintable("a=b \r\nc\t\rd\n") == "a=3Db=20\r\nc=09\r\nd\r\n")
        let long = String(repeating: "é", count: 40) + String(repeating: "x", count: 80)
        let lines = MIMEEncoding.quotedPrintable(long).split(separator: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") })
        #expect(lines.first == Substring(String(repeating: "=C3=A9", count: 12) + "="))
    }
}

// MARK: - Rejections

extension EmailMessageTests {
    @Test func rejectsLineBreakInSubjectNamingFieldValueAndFix() throws {
        var message = Self.message()
        message.subject = "Votre code\r\nBcc: victime@example.net"
        let error = #expect(throws: EmailError.self) { try message.rendered() }
        #expect(
            error?.description == """
                e-mail header 'Subject': CR, LF or NUL in a header value, which could add headers to the message: \
                "Votre code\\r\\nBcc: victime@example.net"
                  fix: remove the line break from the value (in a spreadsheet cell, often typed with Alt+Enter) \
                and run the pipeline again
                """)
    }

    @Test(arguments: ["to-name", "to-address", "from-name", "reply-to", "extra", "message-id"])
    func rejectsHeaderInjectionInEveryField(field: String) throws {
        var message = Self.message()
        switch field {
        case "to-name": message.to[0].displayName = "Marie\nBcc: x@example.net"
        case "to-address": message.to[1].address = "jean@example.com\r\nBcc: x@example.net"
        case "from-name": message.from.displayName = "Office\0"
        case "reply-to": message.replyTo?.address = "accueil@example.fr\n"
        case "extra": message.extraHeaders.append(("X-Passerelle-Key", "k\rX-Evil: 1"))
        default: message.messageID = "a@b\n"
        }
        let error = #expect(throws: EmailError.self) { try message.rendered() }
        #expect(error?.code == .headerInjection)
    }

    @Test func rejectsNonASCIILocalPartAsNeedingSMTPUTF8() throws {
        var message = Self.message()
        message.to = [EmailAddress(displayName: "André", address: "andré@example.fr")]
        let error = #expect(throws: EmailError.self) { try message.rendered() }
        #expect(
            error?.description == """
                e-mail header 'To': non-ASCII characters before the @ need SMTPUTF8 (RFC 6531), which relays may refuse: \
                "andré@example.fr"
                  fix: ask the client for an ASCII address (e.g. without accents), or send this e-mail by hand
                """)
    }

    @Test(arguments: [
        ("marie.dupont", EmailError.Code.malformedAddress),
        ("a@b@example.fr", .malformedAddress),
        ("marie dupont@example.fr", .malformedAddress),
        ("@example.fr", .malformedAddress),
        ("marie@", .malformedAddress),
        ("marie..dupont@example.fr", .malformedAddress),
        ("marie@exa mple.fr", .malformedAddress),
        ("marie@-example.fr", .malformedAddress),
        ("marie@example-.fr", .malformedAddress),
        ("marie@example..fr", .malformedAddress),
        ("marie@.example.fr", .malformedAddress),
        ("marie@example.fr.", .malformedAddress),
        (".marie@example.fr", .malformedAddress),
        ("marie.@example.fr", .malformedAddress),
        ("marie@" + String(repeating: "a", count: 64) + ".fr", .malformedAddress),
        ("marie@café.fr", .needsIDNA),
    ])
    func rejectsMalformedAddresses(address: String, code: EmailError.Code) throws {
        var message = Self.message()
        message.to = [EmailAddress(address: address)]
        let error = #expect(throws: EmailError.self) { try message.rendered() }
        #expect(error?.code == code)
        #expect(error?.value == address)
    }

    @Test(arguments: [
        "marie.dupont@example.fr", "m@x.fr", "o'hara+séjour2027@a-b.example.fr".replacingOccurrences(of: "é", with: "e"),
        "marie@" + String(repeating: "a", count: 63) + ".fr", "x@localhost",
    ])
    func acceptsValidAddresses(address: String) throws {
        var message = Self.message()
        message.to = [EmailAddress(address: address)]
        #expect(try parse(message.rendered()).to.first?.last == address)
    }

    @Test func rejectsMessageWithoutRecipient() throws {
        var message = Self.message()
        message.to = []
        let error = #expect(throws: EmailError.self) { try message.rendered() }
        #expect(error?.code == .noRecipient)
    }

    @Test func rejectsReservedAndInvalidExtraHeaders() throws {
        var message = Self.message()
        message.extraHeaders = [("bcc", "x@example.net")]
        #expect(throws: EmailError.self) { try message.rendered() }
        message.extraHeaders = [("X Key", "1")]
        let error = #expect(throws: EmailError.self) { try message.rendered() }
        #expect(error?.code == .invalidHeaderName)
    }

    @Test func buildsDeterministicSafeMessageIDs() throws {
        let id = try EmailMessage.messageID(stayCode: "MOR-2026-0042", templateVersion: "3", domain: "example.fr")
        #expect(id == "passerelle.MOR-2026-0042.t3@example.fr")
        let odd = try EmailMessage.messageID(stayCode: "MOR 42/é", templateVersion: "3", domain: "example.fr")
        #expect(odd == "passerelle.MOR_42__.h\(FNV1a.hex64("MOR 42/é")).t3@example.fr")
        #expect(odd == (try EmailMessage.messageID(stayCode: "MOR 42/é", templateVersion: "3", domain: "example.fr")))
        #expect(odd != (try EmailMessage.messageID(stayCode: "MOR 42/è", templateVersion: "3", domain: "example.fr")))
        #expect(throws: EmailError.self) {
            try EmailMessage.messageID(stayCode: "A", templateVersion: "1", domain: "exa mple.fr")
        }
    }
}

// MARK: - Helpers

extension EmailMessageTests {
    /// What Python's `email` package reads from a rendered message.
    struct Parsed: Decodable {
        var from, to, replyTo: [[String]]
        var subject, date, messageID, contentType: String
        var partTypes: [String]
        var text, html: String?
        var extra: [String: String]
        var defects: [String]
    }

    static let parser = """
        import email, email.policy, json, sys
        msg = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
        def boxes(name):
            return [[a.display_name, a.addr_spec] for a in msg[name].addresses] if msg[name] else []
        defects = [type(d).__name__ for part in msg.walk() for d in part.defects]
        defects += [type(d).__name__ for _, v in msg.items() for d in getattr(v, 'defects', ())]
        plain, html = msg.get_body(('plain',)), msg.get_body(('html',))
        print(json.dumps({
            'from': boxes('from'), 'to': boxes('to'), 'replyTo': boxes('reply-to'),
            'subject': str(msg['subject']), 'date': str(msg['date']), 'messageID': str(msg['message-id']),
            'contentType': msg.get_content_type(), 'partTypes': [p.get_content_type() for p in msg.walk()],
            'text': plain.get_content() if plain else None, 'html': html.get_content() if html else None,
            'extra': {k: str(v) for k, v in msg.items() if k.lower().startswith(('x-', 'auto-'))},
            'defects': defects}))
        """

    func parse(_ rendered: String) throws -> Parsed {
        let folder = try TestSupport.temporaryDirectory()
        let url = folder.appendingPathComponent("message.eml")
        try Data(rendered.utf8).write(to: url)
        let json = try python(["-c", Self.parser, url.path])
        return try JSONDecoder().decode(Parsed.self, from: Data(json.utf8))
    }

    /// The bytes of one `=?UTF-8?Q?…?=` word as UTF-8 text, or nil when they are not valid UTF-8 on their own.
    static func qDecoded(_ word: String) -> String? {
        let payload = Array(word.utf8.dropFirst(10).dropLast(2))
        var bytes: [UInt8] = []
        var index = 0
        while index < payload.count {
            if payload[index] == UInt8(ascii: "="), index + 2 < payload.count,
                let byte = UInt8(String(decoding: payload[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(byte)
                index += 3
            } else {
                bytes.append(payload[index] == UInt8(ascii: "_") ? 0x20 : payload[index])
                index += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

// MARK: - Batch file names and manifest fields

extension EmailMessageTests {
    @Test(arguments: [
        ("stay_code:CR-2026-000001:v1", "stay_code_CR-2026-000001_v1"),
        ("Gîte été/2027", "G_te__t__2027"),
        ("e\u{301}a\r\nb", "_a_b"),
        (String(repeating: "ab", count: 40), String(repeating: "ab", count: 30)),
        (String(repeating: "é", count: 70), String(repeating: "_", count: 60)),
    ])
    func namesBatchFilesSafely(key: String, expected: String) {
        #expect(EmailBatchBuilder.safeName(key) == expected)
    }

    @Test func quotesManifestFieldsWithSeparatorsQuotesOrLineBreaks() {
        #expect(EmailBatchBuilder.csvField("marie@example.fr") == "marie@example.fr")
        #expect(EmailBatchBuilder.csvField("a;b") == "\"a;b\"")
        #expect(EmailBatchBuilder.csvField("dit \"oui\"") == "\"dit \"\"oui\"\"\"")
        #expect(EmailBatchBuilder.csvField("a\r\nb") == "\"a\r\nb\"")
        #expect(EmailBatchBuilder.csvField("=1+1") == "'=1+1")
    }
}

/// A small deterministic generator (SplitMix64), for test inputs that are the same on every run.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
