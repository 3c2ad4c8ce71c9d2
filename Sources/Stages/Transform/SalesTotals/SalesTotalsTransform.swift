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
/// ```yaml
/// sales:
///   kind: transform.sales_totals
///   inputs: [all_stays]
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
        ], inputs: 1...1)

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
            add(table, row, status, to: &monthly, period: month.description)
            add(table, row, status, to: &yearly, period: String(month.year))
        }
        context.note("\(cancelled) cancelled stay(s) left out of the sales totals")
        let monthlyTable = Self.table(monthly)
        let yearlyTable = Self.table(yearly)
        let all = Table(columns: Self.columns, rows: monthlyTable.rows + yearlyTable.rows)
        return StageOutput(rows: all, rowsIn: table.rows.count, extra: ["monthly": monthlyTable, "yearly": yearlyTable])
    }

    private func add(_ table: Table, _ row: Row, _ status: StayStatus, to cells: inout [Key: Cell], period: String) {
        let key = Key(
            period: period, provider: table.value("provider_code", in: row).text ?? "",
            accommodation: table.value("accommodation_code", in: row).text ?? "")
        var cell = cells[key] ?? Cell()
        cell.providerName = table.value("provider_name", in: row).text ?? ""
        cell.accommodationName = table.value("accommodation_name", in: row).text ?? ""
        let amount = table.value("amount", in: row).money ?? .zero
        if status == .preBooking {
            cell.preBookings += 1
            cell.preBookingsAmount = cell.preBookingsAmount + amount
        } else {
            cell.bookings += 1
            cell.bookingsAmount = cell.bookingsAmount + amount
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
