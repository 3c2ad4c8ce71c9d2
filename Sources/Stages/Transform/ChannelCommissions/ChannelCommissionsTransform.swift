import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Computes each stay's channel commission: the stay amount times the channel's rate on the stay's date.
///
/// domain.md "Channel commission": each channel keeps its own rate, declared in the pipeline; a rate change
/// takes effect from its `from` date, compared with the stay's `effective_date` (its departure by default: the
/// month a channel pays for). Rounding: `Money.applying(basisPoints:)`, half away from zero, per stay; totals
/// elsewhere are sums of these rounded lines. Adds `commission_rate` (percent) and `commission` (money).
/// Rules: `transform.channel_commissions.unknown_channel` (no rate declared for the stay's channel, or none
/// yet on its date), `transform.channel_commissions.missing_amount` (a confirmed stay without an amount).
///
/// ```yaml
/// commissions:
///   kind: transform.channel_commissions
///   inputs: [stays]
///   options:
///     rates:
///       - { channel: Booking.com, rate: 17 % }
///       - { channel: Alma Heritage, rate: 13 % }
///       - { channel: Alma Heritage, rate: 14 %, from: 2027-04-15 }
///       - { channel: Direct, rate: 0 % }
/// ```
struct ChannelCommissionsTransform: Stage {
    static let schema = StageKindSchema(
        kind: "transform.channel_commissions",
        summary: "Add each stay's channel commission (rate per channel, changes from their date).",
        options: [
            OptionSpec(
                "rates",
                .list(
                    .object([
                        OptionSpec("channel", .string, required: true, "The channel as the stays name it."),
                        OptionSpec("rate", .value(.percentage), required: true, "Its commission rate, e.g. '13 %'."),
                        OptionSpec(
                            "from", .value(.date), "First day of this rate (yyyy-mm-dd); since always when absent."),
                    ])), required: true, "The commission rate of each channel, with optional effective dates."),
            OptionSpec(
                "effective_date", .choice(["departure", "arrival", "booking_date"]),
                "The stay date that picks the rate (default 'departure'; a missing booking date uses departure)."),
        ], inputs: 1...1)

    static let columns = ["commission_rate", "commission"]

    let rates: ChannelRateTable
    let effectiveDate: String

    init(spec: StageSpec) throws {
        rates = try ChannelRateTable(option: spec.options.values["rates"], stage: spec.name)
        effectiveDate = spec.options.string("effective_date") ?? "departure"
    }

    var inputFields: [FieldRequirement] {
        [
            .required("amount", .money), .required("channel", .text), .required("departure", .date),
            .required(effectiveDate, .date, option: "effective_date"),
        ]
    }

    /// Its input's stays with their commission rate and commission.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [inputs.primary.adding([FieldShape("commission_rate", .percent), FieldShape("commission", .money)])]
    }

    var takesInputTables: Bool { true }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let table = try FinanceTable.taken(inputs, stage: context.stageName, needs: ["amount", "channel", "departure"])
        let rowsIn = table.rows.count
        let out = FinanceTable.extending(consume table, with: Self.columns) { header, row in
            switch commission(header, row) {
            case .success(let values): return values
            case .failure(let reason):
                context.reject([reason.diagnostic])
                return nil
            }
        }
        return StageOutput(rows: out, rowsIn: rowsIn)
    }

    /// The rate and commission of one stay, or why it has none.
    func commission(_ table: Table, _ row: Row) -> Result<[Value], CommissionProblem> {
        let channel = table.value("channel", in: row).text ?? ""
        let date = rateDate(table, row)
        guard let rate = rates.rate(of: channel, on: date) else {
            return .failure(.unknownChannel(table, row, channel, date, rates))
        }
        guard let amount = table.value("amount", in: row).money else {
            if FinanceTable.status(table, row) == .confirmed { return .failure(.missingAmount(table, row)) }
            return .success([.percent(rate), .null])
        }
        // Rounding: half away from zero to the cent, per stay (Money.applying(basisPoints:)).
        return .success([.percent(rate), .money(amount.applying(basisPoints: rate))])
    }

    private func rateDate(_ table: Table, _ row: Row) -> CalendarDate {
        let departure = table.value("departure", in: row).date ?? CalendarDate(daysSinceEpoch: 0)
        switch effectiveDate {
        case "arrival": return table.value("arrival", in: row).date ?? departure
        case "booking_date": return table.value("booking_date", in: row).date ?? departure
        default: return departure
        }
    }
}

/// Why a stay gets no commission, as the diagnostic users read.
struct CommissionProblem: Error {
    let diagnostic: Diagnostic

    static func unknownChannel(
        _ table: Table, _ row: Row, _ channel: String, _ date: CalendarDate, _ rates: ChannelRateTable
    ) -> CommissionProblem {
        let known = rates.knows(channel)
        let message =
            channel.isEmpty
            ? "le séjour \(FinanceTable.label(table, row)) n'a pas de canal de vente"
            : known
                ? "le canal '\(channel)' n'a pas encore de taux de commission le \(date.frenchText) "
                    + "pour le séjour \(FinanceTable.label(table, row))"
                : "le canal '\(channel)' du séjour \(FinanceTable.label(table, row)) n'a pas de taux de commission"
        let fix =
            known
            ? "déclarez un taux du canal '\(channel)' valable à cette date dans 'rates' du pipeline"
            : "déclarez le taux du canal dans 'rates' du pipeline (canaux déclarés : "
                + "\(rates.channelNames.joined(separator: ", ")))"
        return CommissionProblem(
            diagnostic: Diagnostic(
                rule: "transform.channel_commissions.unknown_channel", location: table.location(of: "channel", in: row),
                message: message, found: channel, fix: fix))
    }

    static func missingAmount(_ table: Table, _ row: Row) -> CommissionProblem {
        CommissionProblem(
            diagnostic: Diagnostic(
                rule: "transform.channel_commissions.missing_amount", location: table.location(of: "amount", in: row),
                message: "le séjour confirmé \(FinanceTable.label(table, row)) n'a pas de montant",
                fix: "saisissez le montant du séjour dans le fichier des séjours et réimportez-le"))
    }
}
