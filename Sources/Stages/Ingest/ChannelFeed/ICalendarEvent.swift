import Foundation
import PasserelleCore

/// One `VEVENT` of an availability feed, its dates reduced to Paris calendar dates.
struct ICalendarEvent: Sendable, Hashable {
    var uid: String
    var arrival: CalendarDate
    /// Exclusive: the check-out day (formats.md 1a, quirk 1).
    var departure: CalendarDate
    var summary: String
    var description: String?
    /// `STATUS:CANCELLED` or `TRANSP:TRANSPARENT`: the event blocks nothing (quirk 3).
    var isNonBlocking: Bool
    /// The line of its `BEGIN:VEVENT`.
    var line: Int
}

/// A problem with one event or line of a feed: its rule, its line and what was found.
struct ICalendarProblem: Error, Sendable, Hashable {
    var rule: String
    var line: Int
    var message: String
    var found: String?
    var fix: String
}

/// Turns content lines into events, one problem per event that cannot be read.
enum ICalendarEvents {
    /// The feed's `PRODID`, events and problems.
    static func read(_ lines: [ICalendarLine]) -> (prodid: String?, events: [ICalendarEvent], problems: [ICalendarProblem]) {
        var prodid: String?
        var events: [ICalendarEvent] = []
        var problems: [ICalendarProblem] = []
        var current: [ICalendarLine]?
        var begin = 0
        for line in lines {
            switch (line.name, line.value.uppercased()) {
            case ("PRODID", _): prodid = prodid ?? ICalendarLines.unescape(line.value)
            case ("BEGIN", "VEVENT"):
                if current != nil { problems.append(unbalanced(begin, "BEGIN:VEVENT sans END:VEVENT")) }
                current = []
                begin = line.line
            case ("END", "VEVENT"):
                guard let properties = current else {
                    problems.append(unbalanced(line.line, "END:VEVENT sans BEGIN:VEVENT"))
                    continue
                }
                switch event(properties, line: begin) {
                case .success(let event): events.append(event)
                case .failure(let problem): problems.append(problem)
                }
                current = nil
            default: current?.append(line)
            }
        }
        if current != nil { problems.append(unbalanced(begin, "BEGIN:VEVENT sans END:VEVENT")) }
        return (prodid, events, problems)
    }

    /// One event from its properties; DTEND missing on a DATE event means one day (quirk 1).
    static func event(_ properties: [ICalendarLine], line: Int) -> Result<ICalendarEvent, ICalendarProblem> {
        func first(_ name: String) -> ICalendarLine? { properties.first { $0.name == name } }
        guard let uid = first("UID").map({ ICalendarLines.unescape($0.value).trimmingWhitespace() }), !uid.isEmpty else {
            return .failure(problem("missing_uid", line, "événement sans UID", nil, "demandez au canal un flux complet"))
        }
        guard let start = first("DTSTART") else {
            return .failure(problem("missing_start", line, "événement \(uid) sans DTSTART", nil, "demandez au canal un flux complet"))
        }
        guard let (arrival, isDateOnly) = ICalendarDate.parse(start) else {
            return .failure(badDate(start))
        }
        var departure = arrival.adding(days: 1)
        if let end = first("DTEND") {
            guard let (date, _) = ICalendarDate.parse(end) else { return .failure(badDate(end)) }
            departure = date
        } else if let duration = first("DURATION") {
            guard let days = ICalendarDate.durationDays(duration.value) else { return .failure(badDate(duration)) }
            departure = arrival.adding(days: days)
        }
        // A timed event ending on its start day still holds that night in an availability feed.
        if !isDateOnly && departure == arrival { departure = arrival.adding(days: 1) }
        guard departure > arrival else {
            return .failure(
                problem(
                    "end_before_start", first("DTEND")?.line ?? line,
                    "l'événement \(uid) finit le \(departure.frenchText), avant ou le jour de son début (\(arrival.frenchText))",
                    first("DTEND")?.value, "corrigez l'événement chez le canal"))
        }
        let status = first("STATUS")?.value.trimmingWhitespace().uppercased()
        let transp = first("TRANSP")?.value.trimmingWhitespace().uppercased()
        return .success(
            ICalendarEvent(
                uid: uid, arrival: arrival, departure: departure,
                summary: first("SUMMARY").map { ICalendarLines.unescape($0.value).trimmingWhitespace() } ?? "",
                description: first("DESCRIPTION").map { ICalendarLines.unescape($0.value) },
                isNonBlocking: status == "CANCELLED" || transp == "TRANSPARENT", line: line))
    }

    private static func badDate(_ line: ICalendarLine) -> ICalendarProblem {
        problem(
            "bad_date", line.line, "\(line.name) « \(line.value) » n'est pas une date iCalendar", line.value,
            "le format attendu est AAAAMMJJ ou AAAAMMJJTHHMMSS[Z]")
    }

    private static func unbalanced(_ line: Int, _ message: String) -> ICalendarProblem {
        problem("unbalanced", line, message, nil, "demandez au canal un flux complet, le fichier semble tronqué")
    }

    static func problem(_ reason: String, _ line: Int, _ message: String, _ found: String?, _ fix: String) -> ICalendarProblem {
        ICalendarProblem(rule: "ingest.ical.\(reason)", line: line, message: message, found: found, fix: fix)
    }
}
