import Foundation

/// The `manifest.csv` of an e-mail batch (`recipient;template;subject_key;key;file`), as `output.email_batch`
/// writes it: UTF-8 with a BOM, `;`-separated, CRLF, fields quoted when they hold `;`, `"` or a line break.
package struct BatchManifest: Sendable {
    /// One message of the batch.
    package struct Entry: Sendable, Equatable {
        package var recipient: String
        package var key: String
        /// The `.eml` path, relative to the run folder (`codes-sejour/0001-….eml`).
        package var file: String
    }

    package var entries: [Entry]

    /// Reads `<batch>/manifest.csv`; its `file` paths are relative to the batch's parent (the run folder).
    package init(batchFolder: URL) throws {
        let url = batchFolder.appendingPathComponent("manifest.csv")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw DeliveryError(
                path: url.path, message: "no manifest.csv in the batch folder",
                fix: "give a batch folder that output.email_batch wrote, e.g. out/daily-import/run-0003/codes-sejour")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let records = BatchManifest.records(text)
        guard let header = records.first, header == ["recipient", "template", "subject_key", "key", "file"] else {
            throw DeliveryError(
                path: url.path, message: "the manifest does not start with 'recipient;template;subject_key;key;file'",
                fix: "prepare the batch again with output.email_batch; do not edit manifest.csv by hand")
        }
        entries = try records.dropFirst().enumerated().map { index, fields in
            guard fields.count == 5 else {
                throw DeliveryError(
                    path: "\(url.path):\(index + 2)", message: "expected 5 fields, found \(fields.count)",
                    fix: "prepare the batch again with output.email_batch")
            }
            return Entry(recipient: fields[0], key: fields[3], file: fields[4])
        }
    }

    /// Splits CSV text into records of fields (quotes doubled inside quoted fields).
    static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var justClosed = false
        for character in text {
            defer { justClosed = quoted == false && character == "\"" && !justClosed }
            if quoted {
                if character == "\"" { quoted = false } else { field.append(character) }
            } else if character == "\"" {
                if justClosed { field.append("\"") }  // a doubled quote inside a quoted field
                quoted = true
            } else if character == ";" {
                fields.append(field)
                field = ""
            } else if character == "\r\n" || character == "\n" {
                fields.append(field)
                records.append(fields)
                fields = []
                field = ""
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty { records.append(fields + [field]) }
        return records
    }
}

/// Sending a batch could not start or go on: names the file and what to do.
package struct DeliveryError: Error, CustomStringConvertible {
    package var path: String
    package var message: String
    package var fix: String

    package var description: String { "\(path): \(message)\n  fix: \(fix)" }
}
