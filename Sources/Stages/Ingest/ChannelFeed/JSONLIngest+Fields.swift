import Foundation
import PasserelleCore

extension JSONLIngest {
    /// The booking of a decoded line; a cancellation needs only its reservation id.
    static func bookingFields(
        _ m: JSONLBooking, id: String, action: ChannelAction, feed: String, channel: String, at location: SourceLocation
    ) -> ChannelParse<ChannelBooking> {
        let arrival = m.arrival.flatMap(isoDate), departure = m.departure.flatMap(isoDate)
        if action != .cancel {
            for (name, value) in [("accommodation", m.accommodation), ("arrival", m.arrival), ("departure", m.departure)]
            where value?.isEmpty ?? true {
                return .failure(
                    problem("missing_field", location, "champ « \(name) » manquant pour la réservation \(id)", nil,
                        "ajoutez « \(name) » à la ligne (voir le schéma dans le README)"))
            }
            guard let arrival, let departure, departure > arrival else {
                return .failure(
                    problem("bad_value", location, "dates de la réservation \(id) invalides (attendu aaaa-mm-jj, départ après l'arrivée)",
                        "\(m.arrival ?? "") → \(m.departure ?? "")", "corrigez les dates de la ligne"))
            }
        }
        var amount: Money?
        if let text = m.amount {
            guard let value = Money.parse(text) else {
                return .failure(problem("bad_value", location, "montant « \(text) » illisible", text, "écrivez le montant avec un point décimal, ex. \"220.00\""))
            }
            amount = value
        }
        let name = [m.firstName, m.lastName].compactMap { $0 }.filter { !$0.isEmpty }
        let guests = (m.adults ?? 0) + (m.children ?? 0)
        let none = CalendarDate(daysSinceEpoch: 0)  // a cancellation only needs its id
        return .success(
            ChannelBooking(
                feed: feed, reservationID: id, accommodationCode: m.accommodation ?? "", channel: m.channel ?? channel,
                kind: .reserved, action: action, arrival: arrival ?? none, departure: departure ?? none,
                guestName: name.isEmpty ? nil : name.joined(separator: " "), email: m.email,
                guests: m.adults == nil && m.children == nil ? nil : guests, amount: amount, currency: m.currency,
                source: location, language: OTAReservation.language([m.language])))
    }

    /// `yyyy-mm-dd` (a time part after it is ignored, as some feeds write `2021-12-03 15:00:00`).
    private static func isoDate(_ text: String) -> CalendarDate? {
        guard text.count >= 10, text.prefix(4).allSatisfy(\.isASCIIDigitChar) else { return nil }
        return CalendarDate.parse(text.prefix(10))
    }
}
