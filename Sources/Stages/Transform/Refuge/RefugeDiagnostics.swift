import PasserelleCore

/// The rule IDs, French messages and fixes of `transform.refuge_stock`, in one place.
///
/// Rejections (`.error`) are rows that cannot be read; alerts (`.warning`) are bookings that exist at the
/// refuge but break one of its rules: they are stored all the same.
enum RefugeDiagnostics {
    static let prefix = "transform.refuge_stock"

    // MARK: Rejections: the row cannot be read

    static func missingValue(_ header: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            rule: "\(prefix).missing_value", location: location,
            message: "valeur manquante pour « \(header) » : la réservation ne peut pas être lue", found: "",
            fix: "renseignez la colonne « \(header) » dans l'export du refuge puis réimportez le fichier")
    }

    static func unreadableValue(
        _ header: String, _ found: String, accepted: String, at location: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            rule: "\(prefix).unreadable_value", location: location,
            message: "valeur illisible pour « \(header) » : « \(found) »", found: found,
            fix: "saisissez \(accepted) puis réimportez le fichier")
    }

    static func badDates(
        _ reference: String, _ arrival: CalendarDate, _ departure: CalendarDate, at location: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            rule: "\(prefix).bad_dates", location: location,
            message: "réservation \(reference) : départ le \(departure.frenchText), pas après l'arrivée le "
                + "\(arrival.frenchText)", found: departure.frenchText,
            fix: "corrigez les dates : le départ suit l'arrivée d'au moins une nuit")
    }

    static func unknownRefuge(_ code: String, known: [String], at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            rule: "\(prefix).unknown_refuge", location: location,
            message: "refuge « \(code) » inconnu : aucune définition de refuge ne porte ce code", found: code,
            fix: "corrigez le code (refuges connus : \(known.joined(separator: ", "))) ou ajoutez la définition de ce "
                + "refuge à l'option « definitions » de l'étape")
    }

    static func duplicateReference(_ reference: String, firstLine: Int?, at location: SourceLocation) -> Diagnostic {
        let first = firstLine.map { " à la ligne \($0)" } ?? ""
        return Diagnostic(
            rule: "\(prefix).duplicate_reference", location: location,
            message: "référence \(reference) déjà lue\(first) du même fichier", found: reference,
            fix: "gardez une seule ligne par réservation dans l'export du refuge")
    }

    // MARK: Alerts: the booking is stored, the host is told

    static func overbooked(
        _ type: RefugeDefinition.StockType, days: [CalendarDate], booked: Int, total: Int, references: [String],
        at location: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            rule: "\(prefix).overbooked", severity: .warning, location: location,
            message:
                "surréservation « \(type.name) » \(RefugeText.days(days)) : jusqu'à \(booked) place(s) réservée(s) "
                + "pour \(total) en stock (réservations \(references.joined(separator: ", ")))",
            found: "\(booked)/\(total)",
            fix: "appelez le gardien : annulez ou déplacez une réservation, ou augmentez le stock de ce type dans la "
                + "définition du refuge")
    }

    static func closedDay(_ reference: String, days: [CalendarDate], at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            rule: "\(prefix).closed_day", severity: .warning, location: location,
            message: "réservation \(reference) sur un jour de fermeture du refuge : \(RefugeText.list(days))",
            found: RefugeText.list(days),
            fix: "prévenez le client et déplacez ou annulez la réservation : le refuge est fermé ce jour-là")
    }

    static func outsideOpenings(
        _ reference: String, type: String, days: [CalendarDate], at location: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            rule: "\(prefix).outside_openings", severity: .warning, location: location,
            message: "réservation \(reference) hors des périodes d'ouverture « \(type) » : \(RefugeText.list(days))",
            found: RefugeText.list(days),
            fix: "déplacez la réservation dans une période d'ouverture, ou ajoutez la période à la définition du refuge"
        )
    }

    static func quantityOutOfRange(
        _ reference: String, item: RefugeDefinition.Item, quantity: Int64, at location: SourceLocation
    ) -> Diagnostic {
        let maximum = item.maxQuantity == Int64(Int.max) ? "sans maximum" : "au plus \(item.maxQuantity)"
        return Diagnostic(
            rule: "\(prefix).quantity_out_of_range", severity: .warning, location: location,
            message: "réservation \(reference) : quantité \(quantity) pour « \(item.name) », hors des limites "
                + "par commande (au moins \(item.minQuantity), \(maximum))", found: String(quantity),
            fix: "vérifiez la commande avec le client : scindez-la ou corrigez la quantité")
    }

    static func unknownItem(
        _ reference: String, code: String, isTariff: Bool, suggestion: String?, at location: SourceLocation
    ) -> Diagnostic {
        let what = isTariff ? "tarif" : "supplément"
        let effect = isTariff ? " : la réservation ne compte dans aucun stock" : ""
        return Diagnostic(
            rule: "\(prefix).unknown_\(isTariff ? "tariff" : "supplement")", severity: .warning, location: location,
            message: "réservation \(reference) : \(what) « \(code) » inconnu du refuge\(effect)", found: code,
            fix: suggestion.map { "vouliez-vous dire « \($0) » ? corrigez le code dans l'export" }
                ?? "ajoutez ce \(what) à la définition du refuge ou corrigez le code dans l'export")
    }

    static func tooLate(_ booking: RefugeBooking, days: Int, minimum: Int, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            rule: "\(prefix).too_late", severity: .warning, location: location,
            message: "réservation \(booking.reference) prise le \(booking.bookedAt.frenchText) pour une arrivée le "
                + "\(booking.arrival.frenchText) : \(days) jour(s) d'avance, \(minimum) au minimum",
            found: booking.bookedAt.frenchText,
            fix: "confirmez avec le gardien que les places peuvent être tenues, sinon annulez la réservation")
    }

    static func afterCutoff(_ booking: RefugeBooking, cutoff: Int, at location: SourceLocation) -> Diagnostic {
        let limit = LocalDateTime(date: booking.arrival, secondsOfDay: cutoff).clockText
        return Diagnostic(
            rule: "\(prefix).after_cutoff", severity: .warning, location: location,
            message: "réservation \(booking.reference) pour le jour même prise à \(booking.bookedAt.clockText), après "
                + "l'heure limite de \(limit)", found: booking.bookedAt.frenchText,
            fix: "confirmez avec le gardien que les places peuvent être tenues, sinon annulez la réservation")
    }
}

/// French renderings of days for messages and reports.
enum RefugeText {
    /// `le 14/07/2026` or `du 14/07/2026 au 16/07/2026`, for a run of consecutive days.
    static func days(_ days: [CalendarDate]) -> String {
        guard let first = days.first, let last = days.last else { return "" }
        return first == last ? "le \(first.frenchText)" : "du \(first.frenchText) au \(last.frenchText)"
    }

    /// `14/07/2026, 20/07/2026`.
    static func list(_ days: [CalendarDate]) -> String { days.map(\.frenchText).joined(separator: ", ") }

    static let weekdayNames = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
}
