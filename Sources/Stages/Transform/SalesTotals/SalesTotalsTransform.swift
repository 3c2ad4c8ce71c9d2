import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Totals sales by month and by year, pre-reservations and reservations apart, per provider and accommodation.
///
/// Issue 4, "Sales follow-up": for each period, provider and accommodation, the number and amount of
/// pre-reservations, of reservations (confirmed stays) and of both. Cancelled stays are left out. The period is
/// that of `period_date` (the booking date by default; a stay without one is rejected, since its sale cannot be
/// dated). Amounts are sums of the stays' amounts in cents, nothing is rounded. Rule:
/// `transform.sales_totals.missing_date`. Writes `rows` (months then years), `monthly` and `yearly`, sorted by
/// period, provider and accommodation.
///
/// With no input, the totals are those of every stored stay, summed by the store (one SQL aggregate per month,
/// provider, accommodation and kind of sale): the stays are not loaded, so memory does not grow with the store.
/// With an input (a stays table, such as `ingest.stored_stays` over some months), its rows are summed.
///
/// ```yaml
/// sales:
///   kind: transform.sales_totals
///   options: { period_date: booking_date }
/// ```
struct SalesTotalsTransform: Stage {
    static let schema = StageKindSchema(
        kind: "transform.sales_totals",
        summary: "Total sales by month and year: pre-reservations, reservations, total, per accommodation.",
        options: [
            OptionSpec(
                "period_date", .choice(["booking_date", "arrival", "departure"]),
                "The stay date that places it in a period (default 'booking_date').")
        ], inputs: 0...1)

    static let columns = [
        "period", "provider_code", "provider_name", "accommodation_code", "accommodation_name", "pre_bookings",
        "pre_bookings_amount", "bookings", "bookings_amount", "total", "total_amount",
    ]

    let periodDate: String

    init(spec: StageSpec) throws { periodDate = spec.options.string("period_date") ?? "booking_date" }

    /// One period × accommodation cell.
    struct Key: Hashable, Comparable {
        var period: String
        var provider: String
        var accommodation: String
        static func < (a: Key, b: Key) -> Bool {
            (a.period, a.provider, a.accommodation) < (b.period, b.provider, b.accommodation)
        }
    }

    /// The types of the fields it hands down that are not text.
    static let fieldTypes: [String: FieldType] = [
        "bookings": .integer, "bookings_amount": .money, "pre_bookings": .integer, "pre_bookings_amount": .money,
        "total": .integer, "total_amount": .money,
    ]

    var inputFields: [FieldRequirement] { [.required("status", .text), .required(periodDate, .date, option: "period_date")] }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        ["rows", "monthly", "yearly"].map { TableShape($0, fields: Self.columns, types: Self.fieldTypes) }
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        guard !inputs.direct.isEmpty else { return try storeTotals(in: context) }
        let table = try FinanceTable.primary(inputs, stage: context.stageName, needs: ["status", periodDate])
        var monthly: [Key: SalesCell] = [:]
        var yearly: [Key: SalesCell] = [:]
        var cancelled = 0
        for row in table.rows {
            let status = FinanceTable.status(table, row)
            if status == .cancelled {
                cancelled += 1
                continue
            }
            guard let date = table.value(periodDate, in: row).date else {
                context.reject([missingDate(table, row)])
                continue
            }
            let month = FinanceMonth(of: date)
            Self.add(table, row, isPreBooking: status == .preBooking, to: &monthly, period: month.description)
            Self.add(table, row, isPreBooking: status == .preBooking, to: &yearly, period: String(month.year))
        }
        let rows = { (cells: [Key: SalesCell]) in cells.keys.sorted().compactMap { cells[$0] } }
        return output(
            monthly: Self.table(rows(monthly)), yearly: Self.table(rows(yearly)), rowsIn: table.rows.count,
            cancelled: cancelled, in: context)
    }

    /// The store sums and sorts the cells (one aggregate per kind of period); each becomes its row as it is read.
    private func storeTotals(in context: StageContext) throws -> StageOutput {
        let undated = FinanceTable.table(try context.store.undatedSales(by: periodDate))
        for row in undated.rows { context.reject([missingDate(undated, row)]) }
        let counts = try context.store.salesCounts()
        func table(_ period: SalesPeriod) throws -> Table {
            var table = Table(columns: Self.columns)
            try context.store.eachSalesTotal(by: periodDate, per: period) { table.rows.append(Self.row($0)) }
            return table
        }
        return output(
            monthly: try table(.month), yearly: try table(.year), rowsIn: counts.stays, cancelled: counts.cancelled,
            in: context)
    }

    private func output(monthly: Table, yearly: Table, rowsIn: Int, cancelled: Int, in context: StageContext)
        -> StageOutput
    {
        context.note("\(cancelled) cancelled stay(s) left out of the sales totals")
        let all = Table(columns: Self.columns, rows: monthly.rows + yearly.rows)
        return StageOutput(rows: all, rowsIn: rowsIn, extra: ["monthly": monthly, "yearly": yearly])
    }

    private static func add(
        _ table: Table, _ row: Row, isPreBooking: Bool, to cells: inout [Key: SalesCell], period: String
    ) {
        let provider = table.value("provider_code", in: row).text ?? ""
        let accommodation = table.value("accommodation_code", in: row).text ?? ""
        let key = Key(period: period, provider: provider, accommodation: accommodation)
        var cell =
            cells[key]
            ?? SalesCell(
                period: period, providerCode: provider, providerName: "", accommodationCode: accommodation,
                accommodationName: "")
        cell.providerName = table.value("provider_name", in: row).text ?? ""
        cell.accommodationName = table.value("accommodation_name", in: row).text ?? ""
        let amount = table.value("amount", in: row).money ?? .zero
        if isPreBooking {
            cell.preBookings += 1
            cell.preBookingsAmount = cell.preBookingsAmount + amount
        } else {
            cell.bookings += 1
            cell.bookingsAmount = cell.bookingsAmount + amount
        }
        cells[key] = cell
    }

    private static func table(_ cells: [SalesCell]) -> Table { Table(columns: columns, rows: cells.map(row)) }

    private static func row(_ c: SalesCell) -> Row {
        let values: [Value] = [
            .text(c.period), .text(c.providerCode), .text(c.providerName), .text(c.accommodationCode),
            .text(c.accommodationName), .integer(Int64(c.preBookings)), .money(c.preBookingsAmount),
            .integer(Int64(c.bookings)), .money(c.bookingsAmount), .integer(Int64(c.preBookings + c.bookings)),
            .money(c.preBookingsAmount + c.bookingsAmount),
        ]
        return Row(location: .file(""), values: values)
    }

    private func missingDate(_ table: Table, _ row: Row) -> Diagnostic {
        Diagnostic(
            rule: "transform.sales_totals.missing_date", location: table.location(of: periodDate, in: row),
            message:
                "le séjour \(FinanceTable.label(table, row)) n'a pas de \(periodDate == "booking_date" ? "date de réservation" : "date"), "
                + "il ne peut pas être placé dans une période",
            fix: "saisissez la date de réservation dans le fichier des séjours et réimportez-le, "
                + "ou choisissez 'period_date: arrival'")
    }
}
