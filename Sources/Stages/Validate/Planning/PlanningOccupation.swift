import PasserelleCore

/// Nights of one accommodation held by one source: a stay of the central or a direct booking (stored
/// stays), or a channel booking. What the shared planning is made of.
struct PlanningOccupation: Sendable, Hashable {
    var accommodationCode: String
    var arrival: CalendarDate
    var departure: CalendarDate
    /// How the source is named to the user: `séjour R-1042 (Centrale)`, `Airbnb chalet-airbnb:1418…@airbnb.com`.
    var label: String
    /// The feed of a channel booking; nil for a stored stay.
    var feed: String?
    /// Whether the source names its guest by e-mail. An availability event (iCalendar) does not, so it
    /// cannot be told apart from the stay it mirrors.
    var hasGuestEmail: Bool

    init(stay: StayRecord) {
        accommodationCode = stay.accommodationCode
        arrival = stay.arrival
        departure = stay.departure
        let client = [stay.lastName, stay.firstName].filter { !$0.isEmpty }.joined(separator: " ")
        label = "séjour \(stay.reference) (\(stay.channel ?? "centrale"), \(client))"
        feed = nil
        hasGuestEmail = !stay.email.isEmpty
    }

    init(channel stored: StoredChannelBooking) {
        let b = stored.booking
        accommodationCode = b.accommodationCode
        arrival = b.arrival
        departure = b.departure
        label = "\(b.channel) \(b.feed):\(stored.key)" + (b.guestName.map { " (\($0))" } ?? "")
        feed = b.feed
        hasGuestEmail = !(b.email ?? "").isEmpty
    }

    /// The source's identity for mirror detection: the feed, or the central's stays.
    var sourceKey: String { feed ?? "stays" }
}

/// Mirrors and double sales in one accommodation's occupations.
///
/// Mirror rule (formats.md 1a, quirk 6): when a channel manager synchronises channels, one stay shows in
/// several feeds. Two occupations of the same accommodation with the SAME arrival and departure, from
/// different sources, of which at least one names no guest e-mail (an availability event), are one stay:
/// the one with an e-mail (else the first by label) is kept, the other is listed as its mirror. Two
/// sources that both name a guest by e-mail are two sales, even on the same dates. Any other intersection
/// of nights is a night sold twice.
enum PlanningMerge {
    /// The occupations once mirrors are folded into the stay they mirror, and the (kept, mirror) pairs.
    static func foldMirrors(_ occupations: [PlanningOccupation]) -> ([PlanningOccupation], [(PlanningOccupation, PlanningOccupation)]) {
        var groups: [String: [PlanningOccupation]] = [:]
        var order: [String] = []
        for o in occupations.sorted(by: { ($0.hasGuestEmail ? 0 : 1, $0.label) < ($1.hasGuestEmail ? 0 : 1, $1.label) }) {
            let key = "\(o.accommodationCode)|\(o.arrival.daysSinceEpoch)|\(o.departure.daysSinceEpoch)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(o)
        }
        var kept: [PlanningOccupation] = []
        var mirrors: [(PlanningOccupation, PlanningOccupation)] = []
        for key in order {
            var group: [PlanningOccupation] = []
            for o in groups[key] ?? [] {
                if let twin = group.first(where: { $0.sourceKey != o.sourceKey && !($0.hasGuestEmail && o.hasGuestEmail) }) {
                    mirrors.append((twin, o))
                } else {
                    group.append(o)
                }
            }
            kept += group
        }
        return (kept, mirrors)
    }

    /// Every pair whose nights intersect, per accommodation, by a sweep over arrivals (O(n log n + pairs)).
    static func doubleSales(_ occupations: [PlanningOccupation]) -> [(PlanningOccupation, PlanningOccupation)] {
        let sorted = occupations.sorted {
            ($0.accommodationCode, $0.arrival, $0.departure, $0.label) < ($1.accommodationCode, $1.arrival, $1.departure, $1.label)
        }
        var result: [(PlanningOccupation, PlanningOccupation)] = []
        var open: [PlanningOccupation] = []
        var current = ""
        for o in sorted {
            if o.accommodationCode != current {
                current = o.accommodationCode
                open.removeAll()
            }
            open.removeAll { $0.departure <= o.arrival }
            for other in open { result.append((other, o)) }
            open.append(o)
        }
        return result
    }
}
