import Foundation
import PasserelleCore

/// The warnings of `output.booking_notifications`, with their French messages and fixes.
extension BookingNotificationsOutput {
    static func noAccount(_ b: NotifiedBooking, accounts: String) -> Diagnostic {
        Diagnostic(
            rule: "output.booking_notifications.no_account", severity: .warning, location: b.location,
            message: "aucun compte de notification ne couvre l'hébergement « \(b.accommodationCode) » : "
                + "la réservation \(b.reference) n'est pas envoyée au client",
            found: b.accommodationCode,
            fix: "ajoutez « \(b.accommodationCode) » aux 'accommodations' d'un compte de \(accounts), "
                + "puis renvoyez l'e-mail avec l'option resend")
    }

    static func unreadable(_ b: NotifiedBooking) -> Diagnostic {
        guard !b.reference.isEmpty else {
            return Diagnostic(
                rule: "output.booking_notifications.no_reference", severity: .warning, location: b.location,
                message: "réservation sans référence (\(b.guestName ?? b.email ?? "client inconnu")) : pas d'e-mail",
                fix: "la source doit donner à chaque réservation une référence, qui identifie son e-mail")
        }
        return Diagnostic(
            rule: "output.booking_notifications.unknown_status", severity: .warning, location: b.location,
            message: "statut « \(b.statusText) » inconnu pour la réservation \(b.reference) : pas d'e-mail",
            found: b.statusText, fix: "la source doit donner le statut pre_reservation ou reservation")
    }

    static func unsafe(_ b: NotifiedBooking, _ error: any Error) -> Diagnostic {
        Diagnostic(
            rule: "output.booking_notifications.unsafe_message", severity: .warning, location: b.location,
            message: "pas d'e-mail pour la réservation \(b.reference) : \(error)", found: b.email ?? "",
            fix: "faites corriger l'adresse ou le nom du client à la source ; renvoyez ensuite l'e-mail avec resend")
    }

    static func unknownResend(_ reference: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            rule: "output.booking_notifications.unknown_resend", severity: .warning, location: location,
            message: "la réservation « \(reference) » à renvoyer n'est ni parmi les nouvelles réservations de ce run "
                + "ni parmi les réservations de canal actives",
            found: reference,
            fix: "donnez la référence telle qu'elle figure dans l'e-mail (une réservation annulée n'est pas renvoyée)")
    }
}
