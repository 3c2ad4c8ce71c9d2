import Foundation
import GRDB
import PasserelleCore

extension Store {
    /// Stored stays departing in `[from, before)` with their accommodation's name and provider, by reference.
    ///
    /// They are handed to `body` one at a time as they are read: the caller keeps what it needs of each (a table
    /// row), not a second copy of them all. Dates are stored as ISO text (`2027-04-02`), so the bounds compare
    /// as text.
    package func eachProviderStay(
        departingFrom from: CalendarDate?, before: CalendarDate?, _ body: (ProviderStay) throws -> Void
    ) throws {
        try eachProviderStay(
            where: "(?1 IS NULL OR s.departure >= ?1) AND (?2 IS NULL OR s.departure < ?2)",
            arguments: [from?.description, before?.description], body)
    }

    /// Stored stays matching `condition` (over `s`, the stays) with their accommodation's name and provider, by
    /// reference.
    private func providerStays(where condition: String, arguments: StatementArguments) throws -> [ProviderStay] {
        var stays: [ProviderStay] = []
        try eachProviderStay(where: condition, arguments: arguments) { stays.append($0) }
        return stays
    }

    /// Stored stays matching `condition`, read through a cursor and handed to `body` one at a time.
    private func eachProviderStay(
        where condition: String, arguments: StatementArguments, _ body: (ProviderStay) throws -> Void
    ) throws {
        try read(operation: "read stays with their providers") { db in
            let sql = """
                SELECT s.reference, s.stay_code, s.accommodation_code, s.last_name, s.first_name, s.email, s.language,
                s.arrival, s.departure, s.party_size, s.amount_cents, s.channel, s.status, s.booking_date,
                s.deposit_basis_points, s.payment_mode, a.name, p.code, p.name, p.email, p.office, p.address
                FROM stays s JOIN accommodations a ON a.code = s.accommodation_code
                JOIN providers p ON p.code = a.provider_code
                WHERE \(condition)
                ORDER BY s.reference
                """
            let rows = try GRDB.Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                try body(
                    ProviderStay(
                        stay: Store.stay(row), accommodationName: row[16], providerCode: row[17], providerName: row[18],
                        providerEmail: row[19], office: row[20], providerAddress: row[21]))
            }
        }
    }

    /// The dates a stay's sale may be placed by (`transform.sales_totals`'s `period_date`), as store columns.
    package static let salesDates: Set<String> = ["booking_date", "arrival", "departure"]

    private static let salesJoin = """
        FROM stays s JOIN accommodations a ON a.code = s.accommodation_code
        JOIN providers p ON p.code = a.provider_code
        """

    /// The stays the sales follow-up reads (with an accommodation and its provider, as `providerStays` reads
    /// them) and how many of them are cancelled.
    package func salesCounts() throws -> SalesCounts {
        try read(operation: "count the stored stays' sales") { db in
            let row = try GRDB.Row.fetchOne(
                db, sql: "SELECT COUNT(*), COALESCE(SUM(s.status = 'cancelled'), 0) \(Self.salesJoin)")
            return SalesCounts(stays: row?[0] ?? 0, cancelled: row?[1] ?? 0)
        }
    }

    /// The stored stays summed by the store per period of `date` (its first 7 characters for a month, 4 for a
    /// year), provider and accommodation, pre-reservations and reservations apart (cancelled stays and stays
    /// without that date left out): one aggregate, sorted by SQLite and read through a cursor, so neither the
    /// store's stays nor the whole result are held in memory.
    package func eachSalesTotal(by date: String, per period: SalesPeriod, _ body: (SalesCell) throws -> Void) throws {
        precondition(Self.salesDates.contains(date), "not a sales date column: \(date)")  // an SQL identifier
        let length = period == .month ? 7 : 4
        try read(operation: "sum the stored stays' sales") { db in
            let sql = """
                SELECT substr(s.\(date), 1, \(length)), p.code, p.name, a.code, a.name,
                SUM(s.status = 'pre_booking'), COALESCE(SUM(CASE WHEN s.status = 'pre_booking' THEN s.amount_cents END), 0),
                SUM(s.status <> 'pre_booking'), COALESCE(SUM(CASE WHEN s.status <> 'pre_booking' THEN s.amount_cents END), 0)
                \(Self.salesJoin)
                WHERE s.status <> 'cancelled' AND s.\(date) IS NOT NULL
                GROUP BY 1, p.code, a.code ORDER BY 1, p.code, a.code
                """
            let rows = try GRDB.Row.fetchCursor(db, sql: sql)
            while let row = try rows.next() {
                var cell = SalesCell(
                    period: row[0], providerCode: row[1], providerName: row[2], accommodationCode: row[3],
                    accommodationName: row[4])
                cell.preBookings = row[5]
                cell.preBookingsAmount = Money(cents: row[6])
                cell.bookings = row[7]
                cell.bookingsAmount = Money(cents: row[8])
                try body(cell)
            }
        }
    }

    /// The stored stays that are not cancelled and have no `date`, by reference (those the sales follow-up
    /// cannot place in a period).
    package func undatedSales(by date: String) throws -> [ProviderStay] {
        precondition(Self.salesDates.contains(date), "not a sales date column: \(date)")  // an SQL identifier
        return try providerStays(where: "s.status <> 'cancelled' AND s.\(date) IS NULL", arguments: [])
    }

    package func providerMonthTotals(departingFrom from: CalendarDate, before: CalendarDate) throws
        -> [ProviderMonthTotal]
    {
        try monthSums(grouped: "p.code, p.name", from: from, before: before, operation: "sum the stays per month and provider")
        { month, row in
            ProviderMonthTotal(month: month, providerCode: row[1], providerName: row[2], stays: row[3], gross: Money(cents: row[4]))
        }
    }

    package func monthTotals(departingFrom from: CalendarDate, before: CalendarDate) throws -> [MonthTotal] {
        try monthSums(grouped: nil, from: from, before: before, operation: "sum the stays per month") { month, row in
            MonthTotal(month: month, stays: row[1], gross: Money(cents: row[2]))
        }
    }

    /// The confirmed stays (with an accommodation and its provider) departing in [from, before), counted and
    /// summed per month and `grouped` columns: the month is column 0, then those columns, then count and sum.
    private func monthSums<T>(
        grouped columns: String?, from: CalendarDate, before: CalendarDate, operation: String,
        _ make: (FinanceMonth, GRDB.Row) throws -> T
    ) throws -> [T] {
        try read(operation: operation) { db in
            // Dates are stored as YYYY-MM-DD: the first seven characters are the month.
            let selected = columns.map { "month, \($0)" } ?? "month"
            let sql = """
                SELECT substr(s.departure, 1, 7) AS month\(columns.map { ", \($0)" } ?? ""), COUNT(*),
                COALESCE(SUM(s.amount_cents), 0)
                FROM stays s JOIN accommodations a ON a.code = s.accommodation_code
                JOIN providers p ON p.code = a.provider_code
                WHERE s.departure >= ? AND s.departure < ? AND s.status NOT IN ('cancelled', 'pre_booking')
                GROUP BY \(selected) ORDER BY \(selected)
                """
            return try GRDB.Row.fetchAll(db, sql: sql, arguments: [from.description, before.description]).map { row in
                let month: String = row[0]
                guard let parsed = FinanceMonth(month) else {
                    throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a stay departs in '\(month)', not a month")
                }
                return try make(parsed, row)
            }
        }
    }

    /// The month's invoice numbers for `providers`, giving the next numbers of the series to those without one.
    package func invoiceNumbers(
        series: String, month: String, providers: [String], scope: WriteScope
    ) throws -> [InvoiceNumberRecord] {
        try transaction(commit: scope.commit, operation: "number the invoices of \(month) (stage '\(scope.stage)')") {
            db in
            let given = try Store.invoiceNumbers(series: series, month: month, db)
            let numbered = Set(given.map(\.providerCode))
            var last = try Int64.fetchOne(
                db, sql: "SELECT MAX(number) FROM invoice_numbers WHERE series = ?", arguments: [series]) ?? 0
            for provider in Set(providers).subtracting(numbered).sorted() {
                last += 1
                try db.cachedStatement(
                    sql: "INSERT INTO invoice_numbers (series, number, month, provider_code, run_id) VALUES (?, ?, ?, ?, ?)"
                ).execute(
                    arguments: [series, last, month, provider, scope.runID])
            }
            return try Store.invoiceNumbers(series: series, month: month, db)
        }
    }

    private static func invoiceNumbers(series: String, month: String, _ db: Database) throws -> [InvoiceNumberRecord] {
        try GRDB.Row.fetchAll(
            db,
            sql: """
                SELECT series, number, month, provider_code FROM invoice_numbers
                WHERE series = ? AND month = ? ORDER BY number
                """, arguments: [series, month]
        ).map { InvoiceNumberRecord(series: $0[0], number: $0[1], month: $0[2], providerCode: $0[3]) }
    }
}
