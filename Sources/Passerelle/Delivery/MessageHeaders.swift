import Foundation

/// Reads what the SMTP envelope needs from a rendered message's headers.
enum MessageHeaders {
    /// The address of the `From:` header (`Name <a@b>` or `a@b`), unfolded; the envelope sender.
    static func senderAddress(of message: Data, file: String) throws -> String {
        let text = String(decoding: message.prefix(16_384), as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n").first ?? text
        let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: " ")
        for line in unfolded.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("from:") {
            let value = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
            if let open = value.lastIndex(of: "<"), let close = value.lastIndex(of: ">"), open < close {
                return String(value[value.index(after: open)..<close])
            }
            if value.contains("@") { return value }
        }
        throw DeliveryError(
            path: file, message: "the message has no From: address",
            fix: "prepare the batch again with output.email_batch (its 'from' option sets the sender)")
    }
}
