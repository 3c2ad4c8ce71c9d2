import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// The commission rates of the channels as a pipeline declares them, each from its effective date.
///
/// domain.md "Channel commission": each channel has its own rate, set in configuration; a rate change
/// takes effect from its date, so a channel may list several rates, each with `from`.
struct ChannelRateTable: Sendable {
    /// One declared rate.
    struct Entry: Sendable, Hashable {
        var channel: String
        var basisPoints: Int64
        /// First day the rate applies; nil: since always.
        var from: CalendarDate?
        /// Its place in the `rates` option (`rates[2]`), for errors.
        var option: String? = nil
    }

    /// Entries by channel key, sorted by `from` (nil first).
    private let entries: [String: [Entry]]

    init(_ declared: [Entry], stage: String) throws {
        var byChannel: [String: [Entry]] = [:]
        for entry in declared { byChannel[FinanceRate.key(entry.channel), default: []].append(entry) }
        for (key, list) in byChannel {
            let sorted = list.sorted { ($0.from?.daysSinceEpoch ?? .min) < ($1.from?.daysSinceEpoch ?? .min) }
            for (a, b) in zip(sorted, sorted.dropFirst()) where a.from == b.from {
                throw StageError(
                    stage: stage,
                    message: "channel '\(b.channel)' has two rates from \(b.from?.frenchText ?? "the start")",
                    fix: "keep one rate per channel and date; give the new rate its own 'from' date", option: b.option)
            }
            byChannel[key] = sorted
        }
        entries = byChannel
    }

    /// Reads the `rates` option: a list of `{ channel, rate, from }`.
    init(option value: OptionValue?, stage: String) throws {
        guard case .list(let items)? = value else { throw Self.missing(stage) }
        var declared: [Entry] = []
        for (index, item) in items.enumerated() {
            let option = "rates[\(index)]"
            guard case .map(_, let fields) = item, case .string(let channel)? = fields["channel"],
                case .string(let rate)? = fields["rate"]
            else { throw Self.missing(stage) }
            var from: CalendarDate?
            if case .string(let text)? = fields["from"] {
                guard let date = CalendarDate.parse(text) else {
                    throw StageError(
                        stage: stage, message: "'from' of channel '\(channel)' is '\(text)', not a date",
                        fix: "write the date as yyyy-mm-dd or dd/mm/yyyy", option: "\(option).from")
                }
                from = date
            }
            let points = try FinanceRate.option(
                rate, key: "rate of channel '\(channel)'", stage: stage, option: "\(option).rate")
            declared.append(Entry(channel: channel, basisPoints: points, from: from, option: option))
        }
        try self.init(declared, stage: stage)
    }

    /// Whether the channel is declared at all.
    func knows(_ channel: String) -> Bool { entries[FinanceRate.key(channel)] != nil }

    /// The rate of `channel` on `date`: the declared rate with the latest `from` not after `date`.
    func rate(of channel: String, on date: CalendarDate) -> Int64? {
        entries[FinanceRate.key(channel)]?.last { ($0.from ?? date) <= date }?.basisPoints
    }

    /// The declared channels, for messages.
    var channelNames: [String] { entries.values.compactMap(\.first?.channel).sorted() }

    private static func missing(_ stage: String) -> StageError {
        StageError(
            stage: stage, message: "stage '\(stage)' needs 'rates': a list of { channel, rate, from }",
            fix: "declare each channel's rate, e.g. 'rates: [{ channel: Booking.com, rate: 17 % }]'")
    }
}
