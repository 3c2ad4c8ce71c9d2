import Foundation
import PasserelleCore

/// A file attached to an e-mail: its name as the recipient sees it, its MIME type and its bytes.
package struct EmailAttachment: Sendable, Hashable {
    /// May hold accents; written RFC 2231 encoded (`filename*=UTF-8''…`) with an RFC 2047 `name` for old clients.
    package var filename: String
    package var contentType: String
    package var data: Data

    package init(filename: String, contentType: String, data: Data) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }

    /// The usual type of the report files by extension (`xlsx`, `html`, `csv`), else `application/octet-stream`.
    package static func contentType(forExtension ext: String) -> String {
        switch ext.lowercased() {
        case "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case "html": "text/html; charset=UTF-8"
        case "csv": "text/csv; charset=UTF-8"
        case "pdf": "application/pdf"
        default: "application/octet-stream"
        }
    }
}

extension EmailMessage {
    /// The message with files attached: a `multipart/mixed` whose first part is the message's own body (text,
    /// or text and HTML), then one base64 part per attachment, in order.
    ///
    /// Without attachments this is `rendered()`. The mixed boundary derives from the Message-ID, like the
    /// alternative one, and differs from it (`=_passerelle_mixed_…`); base64 never contains `=_`, so neither
    /// boundary can occur in a part.
    ///
    /// ```swift
    /// let eml = try message.rendered(attachments: [
    ///     EmailAttachment(filename: "adhésion.xlsx", contentType: EmailAttachment.contentType(forExtension: "xlsx"),
    ///                     data: workbook)])
    /// ```
    package func rendered(attachments: [EmailAttachment]) throws -> String {
        let plain = try rendered()
        guard !attachments.isEmpty else { return plain }
        guard let split = plain.range(of: "\r\n\r\n"), let mime = plain.range(of: "\r\nMIME-Version: 1.0\r\n") else {
            preconditionFailure("rendered() always writes MIME-Version and a blank line before the body")
        }
        let top = String(plain[..<mime.upperBound])  // ends with CRLF
        let partHeaders = String(plain[mime.upperBound..<split.lowerBound])
        var body = String(plain[split.upperBound...])
        if body.hasSuffix("\r\n") { body.removeLast() }  // the delimiter's CRLF ends the part
        let boundary = "=_passerelle_mixed_\(FNV1a.hex64(messageID))"
        var lines = [
            "Content-Type: multipart/mixed;", " boundary=\"\(boundary)\"", "", "--\(boundary)", partHeaders, "",
        ]
        lines.append(body)
        for attachment in attachments {
            lines.append("--\(boundary)")
            lines += Self.attachmentLines(attachment)
        }
        lines.append("--\(boundary)--")
        return top + lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func attachmentLines(_ attachment: EmailAttachment) -> [String] {
        // A long type (the XLSX one is 65 characters) goes on a folded line of its own, within 78.
        let type = "Content-Type: \(attachment.contentType);"
        var lines = type.utf8.count <= 78 ? [type] : ["Content-Type:", " \(attachment.contentType);"]
        lines += nameParameter(attachment.filename).map { " " + $0 }
        lines += ["Content-Transfer-Encoding: base64", "Content-Disposition: attachment;"]
        lines += filenameParameters(attachment.filename).map { " " + $0 }
        lines.append("")
        let base64 = Array(attachment.data.base64EncodedString().utf8)
        for start in stride(from: 0, to: base64.count, by: 76) {
            lines.append(String(decoding: base64[start..<min(start + 76, base64.count)], as: UTF8.self))
        }
        return lines
    }

    /// `name="…"` (RFC 2047 encoded words when not plain ASCII), one line per encoded word.
    private static func nameParameter(_ filename: String) -> [String] {
        guard MIMEEncoding.needsEncoding(filename) || filename.contains("\"") || filename.contains("\\") else {
            return ["name=\"\(filename)\""]
        }
        let words = MIMEEncoding.encodedWords(filename, firstLength: 6)
        return words.enumerated().map { i, word in
            (i == 0 ? "name=\"" : " ") + word + (i == words.count - 1 ? "\"" : "")
        }
    }

    /// `filename="…"` for plain ASCII names, else RFC 2231 `filename*0*=UTF-8''…; filename*1*=…` continuations
    /// of at most 60 characters, never splitting a `%XX` escape.
    static func filenameParameters(_ filename: String) -> [String] {
        let plain = filename.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 && $0 != "\"" && $0 != "\\" }
        if plain && filename.utf8.count <= 60 { return ["filename=\"\(filename)\""] }
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        let escaped = filename.utf8.map {
            unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0)
        }
        var chunks: [String] = []
        var current = "UTF-8''"
        for piece in escaped {
            if current.count + piece.count > 60 {
                chunks.append(current)
                current = ""
            }
            current += piece
        }
        chunks.append(current)
        return chunks.enumerated().map { i, chunk in
            "filename*\(i)*=\(chunk)" + (i == chunks.count - 1 ? "" : ";")
        }
    }
}
