import Foundation
import Testing

@testable import PasserelleStages

/// `multipart/mixed` attachments of `EmailMessage`, read back by Python's `email` package.
@Suite struct EmailAttachmentTests {
    static func message() -> EmailMessage {
        EmailMessage(
            from: EmailAddress(displayName: "Centrale Vallée Blanche", address: "reservations@centrale.example"),
            to: [EmailAddress(displayName: "Office de Tourisme des Gets", address: "ot@lesgets.example")],
            subject: "Rapports du 24/11/2026", date: Date(timeIntervalSince1970: 1_795_000_000),
            messageID: "passerelle.office-gets.t1@centrale.example", textBody: "Bonjour,\nVoici les rapports.\n",
            htmlBody: "<p>Bonjour,</p>")
    }

    @Test func withoutAttachmentsTheMessageIsUnchanged() throws {
        #expect(try Self.message().rendered(attachments: []) == (try Self.message().rendered()))
    }

    @Test func attachmentsParseBackWithTheirNamesAndBytes() throws {
        let workbook = Data((0..<300).map { UInt8($0 % 256) })
        let longName = "rapport d'adhésion des hébergeurs de l'office de tourisme des Gets – novembre.xlsx"
        let text = try Self.message().rendered(attachments: [
            EmailAttachment(
                filename: "adhesion.html", contentType: "text/html; charset=UTF-8", data: Data("<p>é</p>".utf8)),
            EmailAttachment(
                filename: longName, contentType: EmailAttachment.contentType(forExtension: "xlsx"), data: workbook),
        ])
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        let long = text.split(separator: "\r\n", omittingEmptySubsequences: false).filter { $0.utf8.count > 78 }
        #expect(long.isEmpty, "lines over 78 octets: \(long)")
        let folder = try TestSupport.temporaryDirectory()
        let file = folder.appendingPathComponent("m.eml")
        try Data(text.utf8).write(to: file)
        let script = """
            import email, email.policy, sys, hashlib, json
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
            parts = [{"name": p.get_filename(), "type": p.get_content_type(),
                      "sha": hashlib.sha256(p.get_payload(decode=True)).hexdigest()} for p in m.iter_attachments()]
            print(json.dumps({"defects": len(m.defects) + sum(len(p.defects) for p in m.walk()),
                "type": m.get_content_type(), "text": m.get_body(('plain',)).get_content(),
                "html": m.get_body(('html',)).get_content(), "parts": parts}))
            """
        let output = try python(["-c", script, file.path])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(parsed["defects"] as? Int == 0)
        #expect(parsed["type"] as? String == "multipart/mixed")
        #expect(
            (parsed["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n")
                == "Bonjour,\nVoici les rapports.\n")
        #expect((parsed["html"] as? String)?.hasPrefix("<p>Bonjour,</p>") == true)
        let parts = try #require(parsed["parts"] as? [[String: String]])
        try #require(parts.count == 2)
        #expect(parts[0]["name"] == "adhesion.html")
        #expect(parts[0]["type"] == "text/html")
        #expect(parts[1]["name"] == longName)
        #expect(parts[1]["type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        let sha = try python([
            "-c", "import hashlib,sys; print(hashlib.sha256(bytes(i % 256 for i in range(300))).hexdigest())",
        ])
        #expect(parts[1]["sha"] == sha.trimmingCharacters(in: .newlines))
    }
}
