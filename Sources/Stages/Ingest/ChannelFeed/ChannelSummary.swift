import Foundation
import PasserelleCore

/// Reads what an iCalendar `SUMMARY` means, channel by channel (formats.md 1a, quirk 2).
///
/// | channel | summary | kind |
/// |---|---|---|
/// | Airbnb | `Reserved` | reserved |
/// | Airbnb | `Airbnb (Not available)`, `Not available` | blocked (host block, preparation time, rolling window) |
/// | Booking.com | `CLOSED - Not available` | closed (a booking or a closure, indistinguishable) |
/// | Booking.com | `CLOSED - <guest name>` (older feeds) | reserved, with the guest's name |
/// | Abritel/Vrbo | `Réservée[ - Nom]`, `Reserved - Name` | reserved |
/// | Abritel/Vrbo | `Provisoire[ - Nom]` | tentative |
/// | Abritel/Vrbo | `Indisponible`, `Blocked` | blocked |
/// | any | `Blocked…` (Guesty), `Not available`, `Indisponible`, `Closed` | blocked |
///
/// An unknown summary is taken as a booking: holding nights that may be free costs an alert, freeing
/// nights that were sold costs a double booking.
enum ChannelSummary {
    /// The channel named by a feed's `PRODID`, if it is one we know.
    static func channel(prodid: String?) -> String? {
        guard let prodid = prodid?.lowercased() else { return nil }
        if prodid.contains("airbnb") { return "Airbnb" }
        if prodid.contains("booking.com") { return "Booking.com" }
        if prodid.contains("homeaway") || prodid.contains("vrbo") || prodid.contains("abritel") { return "Abritel" }
        return nil
    }

    /// The kind of nights a summary describes, and the guest's name when the summary carries one.
    static func classify(_ summary: String, channel: String) -> (kind: ChannelBookingKind, guest: String?) {
        let text = summary.trimmingWhitespace()
        let lower = text.lowercased()
        let (head, name) = split(text)
        switch channel.lowercased() {
        case "booking.com", "booking":
            if lower.hasPrefix("closed") {
                guard let name, name.lowercased() != "not available" else { return (.closed, nil) }
                return (.reserved, name)
            }
        case "abritel", "vrbo", "homeaway":
            switch head.lowercased() {
            case "réservée", "reservee", "reserved": return (.reserved, name)
            case "provisoire", "tentative": return (.tentative, name)
            default: break
            }
        default: break
        }
        if isBlock(lower) { return (.blocked, nil) }
        if lower.hasPrefix("reserved") || lower.hasPrefix("réservé") { return (.reserved, name) }
        return (.reserved, nil)
    }

    private static func isBlock(_ lower: String) -> Bool {
        ["not available", "indisponible", "blocked", "bloqué", "closed", "unavailable"].contains { lower.contains($0) }
    }

    /// `Réservée - Melanie` → (`Réservée`, `Melanie`).
    private static func split(_ text: String) -> (String, String?) {
        guard let range = text.range(of: " - ") else { return (text, nil) }
        let name = text[range.upperBound...].trimmingWhitespace()
        return (text[..<range.lowerBound].trimmingWhitespace(), name.isEmpty ? nil : name)
    }
}
