import Foundation
import PasserelleCore

/// Values of an OpenTravel message: dates, durations, amounts, the basket, free text and language.
extension OTAReservation {
    static func date(_ text: String?) -> CalendarDate? {
        guard let text, text.count >= 10 else { return nil }
        return CalendarDate.parse(text.prefix(10))
    }

    /// Days of an ISO 8601 duration of days or weeks (`P2D` = 2 nights, `P1W` = 7); nil for anything else.
    static func duration(_ text: String?) -> Int? {
        guard let text = text?.uppercased(), text.hasPrefix("P"), let unit = text.last, text.count >= 3,
            let number = Int(text.dropFirst().dropLast()), number > 0
        else { return nil }
        switch unit {
        case "D": return number
        case "W": return number * 7
        default: return nil
        }
    }

    /// The amount of a `Total` (or `Base`) in cents.
    ///
    /// `AmountAfterTax="32550" DecimalPlaces="2"` is 325.50 (Booking.com); `"317.39"` is read as written. More
    /// decimals than cents are rounded half away from zero (the documented rule).
    static func amount(_ total: OTAElement) -> Money? {
        guard let text = total.attributes["AmountAfterTax"] ?? total.attributes["AmountBeforeTax"] else { return nil }
        if let places = total.attributes["DecimalPlaces"].flatMap(Int.init), !text.contains("."),
            (0...6).contains(places),
            let whole = Int64(text)
        {
            return Money(cents: places <= 2 ? whole * pow10(2 - places) : Money.rounded(whole, over: pow10(places - 2)))
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let units = Int64(parts[0]) else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.allSatisfy(\.isASCIIDigitChar), fraction.count <= 6 else { return nil }
        let scaled = units * pow10(fraction.count) + (units < 0 ? -1 : 1) * (Int64(fraction) ?? 0)
        return Money(
            cents: fraction.count <= 2
                ? scaled * pow10(2 - fraction.count) : Money.rounded(scaled, over: pow10(fraction.count - 2)))
    }

    private static func pow10(_ n: Int) -> Int64 { (0..<n).reduce(1) { value, _ in value * 10 } }

    /// The nights of one `Rate`: from `EffectiveDate` up to `ExpireDate` (the check-out of that rate), at least one.
    static func nights(_ rate: OTAElement) -> Int {
        guard let from = date(rate.attributes["EffectiveDate"]), let to = date(rate.attributes["ExpireDate"]) else {
            return 1
        }
        return max(1, to.daysSinceEpoch - from.daysSinceEpoch)
    }

    /// A room's amount from its rates (`Base` per night × nights), for a room without its own `Total`.
    static func ratesTotal(_ rates: [OTAElement]) -> Money? {
        let amounts = rates.compactMap { rate in rate.first("Base").flatMap(amount).map { ($0, nights(rate)) } }
        guard !amounts.isEmpty else { return nil }
        return Money(cents: amounts.reduce(0) { $0 + $1.0.cents * Int64($1.1) })
    }

    /// One line per rate: `2017-10-31 · Classic Room (004) · 116.00 EUR` (a rate of several nights shows both dates).
    static func basket(_ rates: [OTAElement], in scope: OTAElement) -> [String] {
        let roomType = scope.first("RoomType")
        let room =
            roomType?.attributes["RoomType"] ?? scope.first("RoomDescription")?.attributes["Name"]
            ?? roomType?.attributes["RoomTypeCode"]
        return rates.map { rate in
            let plan = planName(of: rate, in: scope)
            let from = rate.attributes["EffectiveDate"].map { String($0.prefix(10)) }
            let dates =
                nights(rate) > 1
                ? rate.attributes["ExpireDate"].map { "\(from ?? "") → \($0.prefix(10))" } ?? from : from
            let label = [room, plan.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
            return [dates, label.isEmpty ? nil : label, price(rate.first("Base"))].compactMap { $0 }.joined(
                separator: " · ")
        }
    }

    /// The rate plan around a rate (Weekendesk nests `Rate` in `RatePlan`), else the room's first rate plan.
    private static func planName(of rate: OTAElement, in scope: OTAElement) -> String? {
        let plans = scope.descendants("RatePlan")
        let plan = plans.first { $0.descendants("Rate").contains { $0 === rate } } ?? plans.first
        return plan?.attributes["RatePlanName"] ?? plan?.attributes["RatePlanCode"]
    }

    /// `116.00 EUR`: an amount with its currency code, neutral text for any language.
    private static func price(_ element: OTAElement?) -> String? {
        guard let element, let money = amount(element) else { return nil }
        return [money.description, element.attributes["CurrencyCode"]].compactMap { $0 }.joined(separator: " ")
    }

    /// The reservation's services: `Supplement accomodation children × 1 · 0.00 EUR`.
    static func services(_ item: OTAElement) -> [String] {
        item.descendants("Service").map { service in
            let text =
                service.first("Text")?.value.map(HTMLEntities.decoded) ?? service.attributes["ServiceInventoryCode"]
                ?? "Service"
            let quantity = service.attributes["Quantity"].map { " × \($0)" } ?? ""
            return [text + quantity, price(service.first("Base"))].compactMap { $0 }.joined(separator: " · ")
        }
    }

    /// The free text of a reservation (comments and special requests), HTML entities decoded.
    ///
    /// One line per non-empty line, trimmed; nil when there is none. Names and ids are never entity-decoded.
    static func freeText(_ item: OTAElement) -> String? {
        let texts = (item.descendants("Comment") + item.descendants("SpecialRequest")).compactMap { element in
            element.first("Text")?.value ?? element.value
        }
        let lines = texts.flatMap { HTMLEntities.decoded($0).split(whereSeparator: \.isNewline) }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// The first language given, as two lowercase letters (`en-US` → `en`).
    static func language(_ candidates: [String?]) -> String? {
        guard let tag = candidates.lazy.compactMap({ $0 }).first(where: { !$0.isEmpty }) else { return nil }
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? tag
        return primary.count == 2 && primary.allSatisfy(\.isLetter) ? primary.lowercased() : nil
    }
}
