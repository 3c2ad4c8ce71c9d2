import Foundation
import PasserelleCore

/// What the host's texts and the frame's templates are given, written in the message's language.
extension BookingMessageBuilder {
    /// The values of the host's texts: `{{guest_name}}`, `{{arrival}}`… (absent ones render empty).
    static func values(_ booking: NotifiedBooking, account: BookingAccount, labels: BookingLabels) -> [String: String] {
        var values = [
            "reference": booking.reference, "source": booking.source, "accommodation_code": booking.accommodationCode,
            "accommodation": accommodation(booking, account: account), "host_name": account.host.name,
        ]
        values["guest_name"] = booking.guestName
        values["arrival"] = booking.arrival.map(labels.date)
        values["departure"] = booking.departure.map(labels.date)
        values["nights"] = booking.nights.map { String($0) }
        values["guests"] = booking.guests.map { String($0) }
        values["amount"] = booking.amount.map { labels.money($0, currency: booking.currency) }
        values["deposit"] = booking.deposit.map { labels.money($0, currency: booking.currency) }
        return values
    }

    /// The booking's accommodation name, else the account's name for its code, else the code.
    static func accommodation(_ booking: NotifiedBooking, account: BookingAccount) -> String {
        booking.accommodationName ?? account.accommodationName(booking.accommodationCode) ?? booking.accommodationCode
    }

    /// The frame's context: labels, the host's text (plain and as HTML), the summary, the client and the host.
    func frameContext(
        _ booking: NotifiedBooking, account: BookingAccount, labels: BookingLabels, status: BookingStatus,
        hostText: String
    ) -> [String: Any] {
        var context: [String: Any] = Self.values(booking, account: account, labels: labels)
        context["label"] = labels.words
        context["status"] = labels[status.rawValue]
        context["host_text"] = hostText
        context["host_html"] = Self.html(hostText)
        if !booking.basket.isEmpty {
            context["basket"] = booking.basket
            context["has_basket"] = true
        }
        var client: [String: Any] = ["email": booking.email ?? ""]
        client["name"] = booking.guestName
        context["client"] = client
        var host: [String: Any] = ["name": account.host.name, "email": account.host.email]
        host["phone"] = account.host.phone
        if let address = account.host.address {
            host["address_lines"] = address.split(whereSeparator: \.isNewline).map(String.init)
        }
        context["host"] = host
        return context
    }

    /// The host's text as HTML: escaped, paragraphs at blank lines, line breaks kept.
    static func html(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        let paragraphs = escaped.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }
        return paragraphs.map { "<p>" + $0.replacingOccurrences(of: "\n", with: "<br>\n") + "</p>" }.joined(
            separator: "\n")
    }
}
