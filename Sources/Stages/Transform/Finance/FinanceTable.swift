import Foundation
import PasserelleCore
import PasserelleEngine

/// The stays table finance stages pass along, and helpers to add computed columns to it.
///
/// Columns of `ingest.stored_stays`: reference, stay_code, accommodation_code, accommodation_name,
/// provider_code, provider_name, provider_email, office, client, arrival, departure, amount, channel, status,
/// booking_date, deposit, payment_mode, provider_address. `transform.channel_commissions` adds commission_rate and commission;
/// `transform.payment_fees` adds charged_online and payment_fee.
enum FinanceTable {
    static let columns = [
        "reference", "stay_code", "accommodation_code", "accommodation_name", "provider_code", "provider_name",
        "provider_email", "office", "client", "arrival", "departure", "amount", "channel", "status", "booking_date",
        "deposit", "payment_mode", "provider_address",
    ]

    /// The table as declared: dates, the amount and the deposit typed, the other fields text.
    static let shape = TableShape.rows(
        columns,
        types: [
            "arrival": .date, "departure": .date, "amount": .money, "booking_date": .date, "deposit": .percent,
        ])

    /// The table of these stays, in the given order.
    static func table(_ stays: [ProviderStay]) -> Table {
        var table = Table(columns: columns)
        table.rows.reserveCapacity(stays.count)
        for p in stays { table.rows.append(row(p)) }
        return table
    }

    /// One stay's row of the table.
    static func row(_ p: ProviderStay) -> Row {
        let s = p.stay
        let values: [Value] = [
            .text(s.reference), text(s.stayCode), .text(s.accommodationCode), .text(p.accommodationName),
            .text(p.providerCode), .text(p.providerName), text(p.providerEmail), text(p.office),
            .text(StayTable.client(s)),
            .date(s.arrival), .date(s.departure), s.amount.map(Value.money) ?? .null, text(s.channel),
            .text(s.status.rawValue), s.bookingDate.map(Value.date) ?? .null,
            s.depositBasisPoints.map(Value.percent) ?? .null, text(s.paymentMode), text(p.providerAddress),
        ]
        return Row(location: .file("store: stay \(s.reference)"), values: values)
    }

    /// The input table of a finance transform, or an error naming the stage.
    static func primary(_ inputs: StageInputs, stage: String, needs columns: [String] = []) throws -> Table {
        guard let table = inputs.primary else {
            throw StageError(
                stage: stage, message: "stage '\(stage)' has no input table", fix: "list a stays stage under 'inputs'")
        }
        for column in columns where table.column(column) == nil {
            throw StageError(
                stage: stage, message: "the input of stage '\(stage)' has no '\(column)' column",
                fix: "put the stage that computes '\(column)' (see `passerelle kinds`) between the stays and this stage"
            )
        }
        return table
    }

    /// The input table of a finance transform that takes it (`Stage.takesInputTables`): its only copy when it
    /// was handed over, so that `extending` releases each input row as it builds the new one; else shared.
    static func taken(_ inputs: StageInputs, stage: String, needs columns: [String] = []) throws -> Table {
        let table = try primary(inputs, stage: stage, needs: columns)
        return inputs.takePrimary() ?? table
    }

    /// `table` with `columns` added after its own; `values` gives a row's new values (as many as `columns`) from
    /// the table's fields (`header`, which has no rows) and the row, or nil to leave the row out (the caller
    /// rejects it). Each input row is released once copied: when the caller handed over the table's only copy,
    /// the input and the output are not both held whole.
    static func extending(
        _ table: consuming Table, with columns: [String], _ values: (_ header: Table, Row) -> [Value]?
    ) -> Table {
        var out = Table(fields: table.fields + columns.map { Field(name: $0) })
        out.rows.reserveCapacity(table.rows.count)
        each(consuming: table) { header, row in
            guard let extra = values(header, row) else { return }
            out.rows.append(row.appending(extra))
        }
        return out
    }

    /// Hands each row of `table` to `body` with the table's fields (`header`, which has no rows), releasing the
    /// row once `body` is done with it: when the caller handed over the table's only copy, the rows are freed as
    /// they are read instead of at the end.
    static func each(consuming table: consuming Table, _ body: (_ header: Table, Row) throws -> Void) rethrows {
        let header = table.emptyCopy()
        var rows = table.rows
        table.rows = []
        let released = Row(location: .file(""), values: [])
        for i in rows.indices {
            let row = rows[i]
            rows[i] = released
            try body(header, row)
        }
    }

    /// The stay's status.
    static func status(_ table: Table, _ row: Row) -> StayStatus {
        StayStatus(rawValue: table.value("status", in: row).text ?? "") ?? .confirmed
    }

    /// "CR-2026-000040 (Marie DUPONT, 28/03/2027–02/04/2027)": how a stay is named in messages.
    static func label(_ table: Table, _ row: Row) -> String {
        let reference = table.value("reference", in: row).text ?? "?"
        let client = table.value("client", in: row).text ?? ""
        var details = client
        if let a = table.value("arrival", in: row).date, let d = table.value("departure", in: row).date {
            details += (details.isEmpty ? "" : ", ") + "\(a.frenchText)–\(d.frenchText)"
        }
        return details.isEmpty ? reference : "\(reference) (\(details))"
    }

    private static func text(_ value: String?) -> Value { value.map(Value.text) ?? .null }
}
