import CCurl
import Foundation

/// Where and how to reach the SMTP server: read from the environment, never from a definition file.
///
/// `PASSERELLE_SMTP_URL` (`smtp://mail.example.fr:587` uses STARTTLS when the server offers it, and requires it
/// when a user is set; `smtps://mail.example.fr:465` is TLS from the start), `PASSERELLE_SMTP_USER`,
/// `PASSERELLE_SMTP_PASSWORD`.
package struct SMTPSettings: Sendable, Equatable {
    package var url: String
    package var user: String?
    package var password: String?

    package init(url: String, user: String? = nil, password: String? = nil) {
        self.url = url
        self.user = user
        self.password = password
    }

    /// The settings from `PASSERELLE_SMTP_*`, or nil when no URL is set.
    package static func fromEnvironment(_ environment: [String: String]) -> SMTPSettings? {
        guard let url = environment["PASSERELLE_SMTP_URL"], !url.isEmpty else { return nil }
        return SMTPSettings(
            url: url, user: environment["PASSERELLE_SMTP_USER"], password: environment["PASSERELLE_SMTP_PASSWORD"])
    }
}

/// How one SMTP transaction ended.
package enum SMTPOutcome: Sendable, Equatable {
    /// Accepted by the server (250).
    case delivered(String)
    /// A 4xx answer or no answer (connection refused, timeout): try again later.
    case temporary(String)
    /// A 5xx answer: the server will never take this message.
    case permanent(String)
}

/// Sends one message over SMTP with Debian's libcurl (TLS, STARTTLS, AUTH and dot-stuffing are libcurl's).
package struct SMTPTransport: Sendable {
    package var settings: SMTPSettings
    /// Seconds allowed for one whole transaction.
    package var timeoutSeconds = 120

    package init(settings: SMTPSettings) { self.settings = settings }

    /// Sends `message` (an RFC 5322 text with CRLF line ends) from `sender` to `recipients`.
    package func send(_ message: Data, from sender: String, to recipients: [String]) -> SMTPOutcome {
        // curl_easy_init initialises libcurl on first use; the daemon and `send` only call it from one thread
        // at a time.
        guard let curl = curl_easy_init() else { return .temporary("libcurl could not be initialised") }
        defer { curl_easy_cleanup(curl) }
        var list: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients { list = curl_slist_append(list, "<\(recipient)>") }
        defer { curl_slist_free_all(list) }
        let body = MessageBody(message)
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code = errorBuffer.withUnsafeMutableBufferPointer { buffer -> CURLcode in
            configure(curl, sender: sender, recipients: list, body: body, errorBuffer: buffer.baseAddress)
            return withExtendedLifetime(body) { curl_easy_perform(curl) }
        }
        let reply = passerelle_curl_response_code(curl)
        let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return SMTPTransport.outcome(code: code, reply: reply, detail: detail)
    }

    private func configure(
        _ curl: UnsafeMutableRawPointer, sender: String, recipients: UnsafeMutablePointer<curl_slist>?,
        body: MessageBody, errorBuffer: UnsafeMutablePointer<CChar>?
    ) {
        passerelle_curl_set_string(curl, CURLOPT_URL, settings.url)
        passerelle_curl_set_string(curl, CURLOPT_MAIL_FROM, "<\(sender)>")
        passerelle_curl_set_slist(curl, CURLOPT_MAIL_RCPT, recipients)
        passerelle_curl_set_long(curl, CURLOPT_UPLOAD, 1)
        passerelle_curl_set_read_function(curl, MessageBody.read)
        passerelle_curl_set_pointer(curl, CURLOPT_READDATA, Unmanaged.passUnretained(body).toOpaque())
        passerelle_curl_set_pointer(curl, CURLOPT_ERRORBUFFER, errorBuffer)
        passerelle_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
        passerelle_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT, 30)
        passerelle_curl_set_long(curl, CURLOPT_TIMEOUT, timeoutSeconds)
        // Credentials never cross the network in clear: with a user set, STARTTLS is required, not just tried.
        let tls = settings.user == nil ? CURLUSESSL_TRY : CURLUSESSL_ALL
        passerelle_curl_set_long(curl, CURLOPT_USE_SSL, Int(tls.rawValue))
        if let user = settings.user { passerelle_curl_set_string(curl, CURLOPT_USERNAME, user) }
        if let password = settings.password { passerelle_curl_set_string(curl, CURLOPT_PASSWORD, password) }
    }

    /// Classifies a transaction by the server's last reply code, else by libcurl's error.
    static func outcome(code: CURLcode, reply: Int, detail: String) -> SMTPOutcome {
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        if code == CURLE_OK { return .delivered("\(reply == 0 ? 250 : reply) accepted") }
        if (500..<600).contains(reply) { return .permanent("\(reply) \(text)") }
        if (400..<500).contains(reply) { return .temporary("\(reply) \(text)") }
        if code == CURLE_LOGIN_DENIED || code == CURLE_USE_SSL_FAILED || code == CURLE_URL_MALFORMAT {
            return .permanent("\(text) (check PASSERELLE_SMTP_URL, PASSERELLE_SMTP_USER and PASSERELLE_SMTP_PASSWORD)")
        }
        return .temporary(text)
    }
}

/// The bytes libcurl reads as the message, with how far it has read.
private final class MessageBody: @unchecked Sendable {  // used by one curl transfer on one thread only
    let bytes: [UInt8]
    var offset = 0

    init(_ data: Data) { bytes = [UInt8](data) }

    static let read: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        buffer, size, count, userdata in
        guard let buffer, let userdata else { return 0 }
        let body = Unmanaged<MessageBody>.fromOpaque(userdata).takeUnretainedValue()
        let length = min(size * count, body.bytes.count - body.offset)
        guard length > 0 else { return 0 }
        body.bytes.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            UnsafeMutableRawPointer(buffer).copyMemory(from: base + body.offset, byteCount: length)
        }
        body.offset += length
        return length
    }
}
