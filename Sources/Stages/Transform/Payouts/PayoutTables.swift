import Foundation
import PasserelleCore
import PasserelleEngine

/// The tables `transform.monthly_payouts` writes, and reading them back into figures for the outputs.
enum PayoutTables {
    static let payoutColumns = [
        "provider_code", "provider_name", "provider_email", "stays", "gross", "commission", "fees", "net",
        "payout_date",
        "provider_address",
    ]
    static let detailColumns = [
        "provider_code", "provider_name", "accommodation_code", "accommodation_name", "reference", "stay_code",
        "client", "arrival", "departure", "channel", "gross", "commission_rate", "commission", "charged_online", "fees",
        "net", "payout_date",
    ]
    static let cancellationColumns = [
        "provider_code", "provider_name", "accommodation_code", "accommodation_name", "reference", "stay_code",
        "client", "arrival", "departure", "channel", "amount",
    ]
    static let totalColumns = [
        "month", "payout_date", "providers", "stays", "gross", "commission", "fees", "net", "cancellations",
    ]
    static let historyColumns = ["month", "label", "stays", "gross"]

    /// The types of the fields it hands down that are not text.
    static let fieldTypes: [String: FieldType] = [
        "amount": .money, "arrival": .date, "cancellations": .integer, "charged_online": .money, "commission": .money,
        "commission_rate": .percent, "departure": .date, "fees": .money, "gross": .money, "net": .money,
        "payout_date": .date, "providers": .integer, "stays": .integer,
    ]

    /// The tables of `transform.monthly_payouts`, as declared: the payouts are `rows` and `payouts`.
    static let shapes = [
        TableShape.rows(payoutColumns, types: Self.fieldTypes),
        TableShape("payouts", fields: payoutColumns, types: Self.fieldTypes),
        TableShape("detail", fields: detailColumns, types: Self.fieldTypes),
        TableShape("cancellations", fields: cancellationColumns, types: Self.fieldTypes),
        TableShape("totals", fields: totalColumns, types: Self.fieldTypes),
        TableShape("history", fields: historyColumns, types: Self.fieldTypes),
    ]

    /// The names of the tables every finance output reads.
    static let tableNames = shapes.map(\.name)

    static func payouts(_ payouts: [ProviderPayout]) -> Table {
        Table(
            columns: payoutColumns,
            rows: payouts.map { p in
                row([
                    .text(p.providerCode), .text(p.providerName), p.providerEmail.map(Value.text) ?? .null,
                    .integer(Int64(p.stays)), .money(p.gross), .money(p.commission), .money(p.fees), .money(p.net),
                    .date(p.payoutDate), p.providerAddress.map(Value.text) ?? .null,
                ])
            })
    }

    static func detail(_ lines: [PayoutLine], paidOn date: CalendarDate) -> Table {
        Table(
            columns: detailColumns,
            rows: lines.map { l in
                row(
                    stayValues(l) + [
                        .money(l.gross), .percent(l.commissionRate), .money(l.commission), .money(l.chargedOnline),
                        .money(l.fees), .money(l.net), .date(date),
                    ])
            })
    }

    static func cancellations(_ lines: [PayoutLine]) -> Table {
        Table(columns: cancellationColumns, rows: lines.map { row(stayValues($0) + [.money($0.gross)]) })
    }

    static func totals(_ t: PayoutTotals, providers: Int, month: FinanceMonth, cancellations: Int) -> Table {
        Table(
            columns: totalColumns,
            rows: [
                row([
                    .text(month.description), .date(month.lastDay), .integer(Int64(providers)),
                    .integer(Int64(t.stays)),
                    .money(t.gross), .money(t.commission), .money(t.fees), .money(t.net),
                    .integer(Int64(cancellations)),
                ])
            ])
    }

    /// Confirmed stays and gross per month of departure, for the `months` months ending with `month` (a month
    /// without stays has a row of zeros).
    static func history(_ figures: [FinanceMonth: MonthFigures], ending month: FinanceMonth, months: Int) -> Table {
        var table = Table(columns: historyColumns)
        for offset in stride(from: months - 1, through: 0, by: -1) {
            let m = month.adding(months: -offset)
            let f = figures[m] ?? MonthFigures()
            table.rows.append(
                row([.text(m.description), .text(m.shortFrenchName), .integer(Int64(f.stays)), .money(f.gross)]))
        }
        return table
    }

    /// The lines of a `detail` table, as `detail(_:paidOn:)` wrote them.
    static func lines(fromDetail table: Table) -> [PayoutLine] {
        table.rows.map { row in
            func text(_ name: String) -> String { table.value(name, in: row).text ?? "" }
            let unknown = CalendarDate(daysSinceEpoch: 0)  // detail rows always have both dates
            return PayoutLine(
                providerCode: text("provider_code"), providerName: text("provider_name"), providerEmail: nil,
                accommodationCode: text("accommodation_code"), accommodationName: text("accommodation_name"),
                reference: text("reference"), stayCode: table.value("stay_code", in: row).text, client: text("client"),
                arrival: table.value("arrival", in: row).date ?? unknown,
                departure: table.value("departure", in: row).date ?? unknown, channel: text("channel"),
                gross: table.value("gross", in: row).money ?? .zero,
                commissionRate: table.value("commission_rate", in: row).percent ?? 0,
                commission: table.value("commission", in: row).money ?? .zero,
                chargedOnline: table.value("charged_online", in: row).money ?? .zero,
                fees: table.value("fees", in: row).money ?? .zero)
        }
    }

    private static func stayValues(_ l: PayoutLine) -> [Value] {
        [
            .text(l.providerCode), .text(l.providerName), .text(l.accommodationCode), .text(l.accommodationName),
            .text(l.reference), l.stayCode.map(Value.text) ?? .null, .text(l.client), .date(l.arrival),
            .date(l.departure), .text(l.channel),
        ]
    }

    private static func row(_ values: [Value]) -> Row { Row(location: .file(""), values: values) }
}
