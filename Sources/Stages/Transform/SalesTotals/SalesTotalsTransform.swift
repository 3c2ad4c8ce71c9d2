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
                "The stay date that places it in a period (default 'booking_date')."),
        ], inputs: 0...1)

    static let columns = [
        "period", "provider_code", "provider_name", "accommodation_code", "accommodation_name", "pre_bookings",
        "pre_bookings_amount", "bookings", "bookings_amount", "total", "total_amount",
    ]

    let periodDate: String

    init(spec: StageSpec) throws { periodDate = spec.options.string("period_date") ?? "booking_date" }

    /// One period × accommodation cell.
    struct Cell {
        var providerName = ""
        var accommodationName = ""
        var preBookings = 0
        var preBookingsAmount = Money.zero
        var bookings = 0
        var bookingsAmount = Money.zero
    }

    /// The key of a cell: period, provider code, accommodation code.
    struct Key: Hashable, Comparable {
        var period: String
        var provider: String
        var accommodation: String
        static func < (a: Key, b: Key) -> Bool { (a.period, a.provider, a.accommodation) < (b.period, b.provider, b.accommodation) }
    }

    /// The totals by month then by year (`rows`), and each alone.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        ["rows", "monthly", "yearly"].map { TableShape($0, fields: Self.columns) }
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        guard !inputs.direct.isEmpty else { return try storeTotals(in: context) }
        let table = try FinanceTable.primary(inputs, stage: context.stageName, needs: ["status", periodDate])
        var monthly: [Key: Cell] = [:]
        var yearly: [Key: Cell] = [:]
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
            let sale = SalesCell(
                month: month.description, providerCode: table.value("provider_code", in: row).text ?? "",
                providerName: table.value("provider_name", in: row).text ?? "",
                accommodationCode: table.value("accommodation_code", in: row).text ?? "",
                accommodationName: table.value("accommodation_name", in: row).text ?? "",
                isPreBooking: status == .preBooking, stays: 1, amount: table.value("amount", in: row).money ?? .zero)
            Self.add(sale, to: &monthly, period: month.description)
            Self.add(sale, to: &yearly, period: String(month.year))
        }
        return output(monthly: monthly, yearly: yearly, rowsIn: table.rows.count, cancelled: cancelled, in: context)
    }

    /// The totals of every stored stay, summed by the store; the stays without a period date are read to be
    /// rejected (by reference, as the rows of a stays table are).
    private func storeTotals(in context: StageContext) throws -> StageOutput {
        let undated = FinanceTable.table(try context.store.undatedSales(by: periodDate))
        for row in undated.rows { context.reject([missingDate(undated, row)]) }
        let sales = try context.store.salesTotals(by: periodDate)
        var monthly: [Key: Cell] = [:]
        var yearly: [Key: Cell] = [:]
        for sale in sales.cells {
            Self.add(sale, to: &monthly, period: sale.month)
            Self.add(sale, to: &yearly, period: String(sale.month.prefix(4)))
        }
        return output(monthly: monthly, yearly: yearly, rowsIn: sales.stays, cancelled: sales.cancelled, in: context)
    }

    private func output(monthly: [Key: Cell], yearly: [Key: Cell], rowsIn: Int, cancelled: Int, in context: StageContext)
        -> StageOutput
    {
        context.note("\(cancelled) cancelled stay(s) left out of the sales totals")
        let monthlyTable = Self.table(monthly)
        let yearlyTable = Self.table(yearly)
        let all = Table(columns: Self.columns, rows: monthlyTable.rows + yearlyTable.rows)
        return StageOutput(rows: all, rowsIn: rowsIn, extra: ["monthly": monthlyTable, "yearly": yearlyTable])
    }

    /// Adds `sale` (one stay, or the store's sum of several) to its cell of `period`.
    private static func add(_ sale: SalesCell, to cells: inout [Key: Cell], period: String) {
        let key = Key(period: period, provider: sale.providerCode, accommodation: sale.accommodationCode)
        var cell = cells[key] ?? Cell()
        cell.providerName = sale.providerName
        cell.accommodationName = sale.accommodationName
        if sale.isPreBooking {
            cell.preBookings += sale.stays
            cell.preBookingsAmount = cell.preBookingsAmount + sale.amount
        } else {
            cell.bookings += sale.stays
            cell.bookingsAmount = cell.bookingsAmount + sale.amount
        }
        cells[key] = cell
    }

    private static func table(_ cells: [Key: Cell]) -> Table {
        Table(columns: columns, rows: cells.keys.sorted().map { key in
            let c = cells[key] ?? Cell()  // the key comes from the dictionary
            let values: [Value] = [
                .text(key.period), .text(key.provider), .text(c.providerName), .text(key.accommodation),
                .text(c.accommodationName), .integer(Int64(c.preBookings)), .money(c.preBookingsAmount),
                .integer(Int64(c.bookings)), .money(c.bookingsAmount), .integer(Int64(c.preBookings + c.bookings)),
                .money(c.preBookingsAmount + c.bookingsAmount),
            ]
            return Row(location: .file(""), values: values)
        })
    }

    private func missingDate(_ table: Table, _ row: Row) -> Diagnostic {
        Diagnostic(
            rule: "transform.sales_totals.missing_date", location: table.location(of: periodDate, in: row),
            message: "le séjour \(FinanceTable.label(table, row)) n'a pas de \(periodDate == "booking_date" ? "date de réservation" : "date"), "
                + "il ne peut pas être placé dans une période",
            fix: "saisissez la date de réservation dans le fichier des séjours et réimportez-le, "
                + "ou choisissez 'period_date: arrival'")
    }
}
