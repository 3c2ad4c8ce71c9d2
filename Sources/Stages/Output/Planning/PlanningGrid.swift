import Foundation
import PasserelleCore

/// One refuge's planning as the report shows it: a grid of days × stock types (places available / total)
/// and its sales follow-up, built from `transform.refuge_stock`'s `availability` and `sales` tables.
struct PlanningGrid: Sendable {
    struct StockType: Sendable {
        var code: String
        var name: String
        var places: Int
        /// At most this many places left is "few places" (a quarter of the type's places, at least 1).
        var lowThreshold: Int { max(1, places / 4) }
    }

    /// How a cell is coloured.
    enum Level: String, Sendable {
        /// Nothing left, or more booked than for sale.
        case full
        case low
        case free
        /// A closure day of the refuge.
        case closed
        /// Outside the type's openings, nothing booked.
        case none
    }

    struct Cell: Sendable {
        var total: Int
        var booked: Int
        var available: Int
        var state: String

        /// `18 / 24`, `fermé`, `fermé (2 réservée(s))`, `—`.
        var text: String {
            switch state {
            case "closed": booked > 0 ? "fermé (\(booked) réservée(s))" : "fermé"
            case "not_open" where booked == 0: "—"
            default: "\(available) / \(total)"
            }
        }

        /// A closed day holding bookings is shown as full: the bookings need handling.
        func level(threshold: Int) -> Level {
            if state == "closed" { return booked > 0 ? .full : .closed }
            if state == "not_open" && booked == 0 { return .none }
            if available <= 0 { return .full }
            return available <= threshold ? .low : .free
        }
    }

    /// The sales of one month (`salesColumns` of the transform).
    struct SalesMonth: Sendable {
        var month: FinanceMonth
        var figures: [Value]
    }

    var code: String
    var name: String
    var types: [StockType] = []
    var days: [CalendarDate] = []
    /// Per day (as `days`), per stock type (as `types`).
    var cells: [[Cell?]] = []
    var sales: [SalesMonth] = []

    /// The sales figures' fields, in the order of the report's columns.
    static let salesFields = [
        "pre_reservations", "pre_reservations_amount", "reservations", "reservations_amount", "total", "total_amount",
        "cancelled", "cancelled_amount",
    ]
    static let salesHeaders = [
        "Pré-réservations", "Montant pré-réservations", "Réservations", "Montant réservations", "Total",
        "Montant total", "Annulées", "Montant annulé",
    ]

    /// The grids of every refuge in the tables, in the order they first appear.
    static func grids(availability: Table, sales: Table) -> [PlanningGrid] {
        var order: [String] = []
        var grids: [String: PlanningGrid] = [:]
        var cells: [String: [CalendarDate: [String: Cell]]] = [:]
        for row in availability.rows {
            let code = availability.value("accommodation_code", in: row).storageText
            guard let day = availability.value("date", in: row).date else { continue }  // the transform writes dates
            if grids[code] == nil {
                order.append(code)
                grids[code] = PlanningGrid(
                    code: code, name: availability.value("accommodation_name", in: row).storageText)
            }
            let type = availability.value("stock_type", in: row).storageText
            if grids[code]?.types.contains(where: { $0.code == type }) == false {
                grids[code]?.types.append(
                    StockType(
                        code: type, name: availability.value("stock_type_name", in: row).storageText,
                        places: Int(availability.value("places", in: row).integer ?? 0)))
            }
            cells[code, default: [:]][day, default: [:]][type] = cell(availability, row)
        }
        return order.compactMap { code in
            guard var grid = grids[code] else { return nil }
            let byDay = cells[code] ?? [:]
            grid.days = byDay.keys.sorted()
            grid.cells = grid.days.map { day in grid.types.map { byDay[day]?[$0.code] } }
            grid.sales = salesMonths(sales, code: code)
            return grid
        }
    }

    private static func cell(_ table: Table, _ row: Row) -> Cell {
        Cell(
            total: Int(table.value("total", in: row).integer ?? 0),
            booked: Int(table.value("booked", in: row).integer ?? 0),
            available: Int(table.value("available", in: row).integer ?? 0),
            state: table.value("state", in: row).storageText)
    }

    private static func salesMonths(_ sales: Table, code: String) -> [SalesMonth] {
        sales.rows.filter { sales.value("accommodation_code", in: $0).storageText == code }.compactMap { row in
            FinanceMonth(sales.value("month", in: row).storageText).map { month in
                SalesMonth(month: month, figures: salesFields.map { sales.value($0, in: row) })
            }
        }
    }
}
