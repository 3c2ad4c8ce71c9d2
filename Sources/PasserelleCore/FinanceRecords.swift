/// A stored stay with what finance needs around it: its accommodation's name and its provider.
///
/// Read by `ingest.stored_stays` for the monthly statement, which works from the store rather than from
/// the day's file: a payout covers every stay departing in the month, whenever it was imported.
package struct ProviderStay: Sendable, Hashable {
    package var stay: StayRecord
    package var accommodationName: String
    package var providerCode: String
    package var providerName: String
    package var providerEmail: String?
    /// The tourist office the provider declared.
    package var office: String?
    /// The provider's postal address (the buyer's address on commission invoices).
    package var providerAddress: String?

    package init(
        stay: StayRecord, accommodationName: String, providerCode: String, providerName: String,
        providerEmail: String? = nil, office: String? = nil, providerAddress: String? = nil
    ) {
        self.stay = stay
        self.accommodationName = accommodationName
        self.providerCode = providerCode
        self.providerName = providerName
        self.providerEmail = providerEmail
        self.office = office
        self.providerAddress = providerAddress
    }
}

/// A commission invoice's number, allocated once per provider and month and never changed or reused.
package struct InvoiceNumberRecord: Sendable, Hashable {
    /// The numbering series (`FC`): one continuous chronological sequence per series.
    package var series: String
    /// The number in the series, 1, 2, 3… without gaps.
    package var number: Int64
    /// The month invoiced, `YYYY-MM`.
    package var month: String
    package var providerCode: String

    package init(series: String, number: Int64, month: String, providerCode: String) {
        self.series = series
        self.number = number
        self.month = month
        self.providerCode = providerCode
    }
}

/// What the store itself sums for one provider over a month: the confirmed stays departing in it and their
/// amounts, computed by the store (SQL), independently of the stages, for the monthly reconciliation and the
/// statement's chart.
package struct ProviderMonthTotal: Sendable, Hashable {
    /// The month of departure.
    package var month: FinanceMonth
    package var providerCode: String
    package var providerName: String
    package var stays: Int
    package var gross: Money

    package init(month: FinanceMonth, providerCode: String, providerName: String, stays: Int, gross: Money) {
        self.month = month
        self.providerCode = providerCode
        self.providerName = providerName
        self.stays = stays
        self.gross = gross
    }
}

/// What the store sums over one month of departure for every provider: its confirmed stays and their amounts.
package struct MonthTotal: Sendable, Hashable {
    package var month: FinanceMonth
    package var stays: Int
    package var gross: Money

    package init(month: FinanceMonth, stays: Int, gross: Money) {
        self.month = month
        self.stays = stays
        self.gross = gross
    }
}

/// Stored stays summed by the store for the sales follow-up: one period (a month or a year), provider and
/// accommodation, with the pre-reservations and the reservations counted and summed apart.
package struct SalesCell: Sendable, Hashable {
    /// `2027-04` or `2027`.
    package var period: String
    package var providerCode: String
    package var providerName: String
    package var accommodationCode: String
    package var accommodationName: String
    package var preBookings = 0
    package var preBookingsAmount = Money.zero
    package var bookings = 0
    package var bookingsAmount = Money.zero

    package init(
        period: String, providerCode: String, providerName: String, accommodationCode: String,
        accommodationName: String
    ) {
        self.period = period
        self.providerCode = providerCode
        self.providerName = providerName
        self.accommodationCode = accommodationCode
        self.accommodationName = accommodationName
    }
}

/// The periods the sales follow-up sums by: a month or a year of the period date.
package enum SalesPeriod: Sendable {
    case month, year
}

/// The stored stays the sales follow-up reads: every stay with an accommodation and its provider, and how many of
/// them are cancelled (left out of the sales).
package struct SalesCounts: Sendable, Equatable {
    package var stays: Int
    package var cancelled: Int

    package init(stays: Int, cancelled: Int) {
        self.stays = stays
        self.cancelled = cancelled
    }
}
