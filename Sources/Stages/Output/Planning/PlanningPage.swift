import Foundation
import PasserelleCore

/// The Mustache context of the planning page: per refuge, one heat-map table per month (stock types ×
/// days, each cell `available/total` with its colour class) and the sales follow-up.
///
/// Values go through Mustache's escaping in the template; nothing here is HTML.
enum PlanningPage {
    static let weekdayLetters = ["L", "M", "M", "J", "V", "S", "D"]

    static func context(_ grids: [PlanningGrid], pipeline: String, asOf: Date) -> [String: Any] {
        let day = CalendarDate(daysSinceEpoch: Int((asOf.timeIntervalSince1970 / 86_400).rounded(.down)))
        return [
            "title": "Planning des refuges", "pipeline": pipeline, "date": day.frenchText,
            "salesHeaders": PlanningGrid.salesHeaders, "isEmpty": grids.isEmpty,
            "refuges": grids.enumerated().map { index, grid in refuge(grid, id: "refuge-\(index + 1)") },
        ]
    }

    private static func refuge(_ grid: PlanningGrid, id: String) -> [String: Any] {
        let months = Dictionary(grouping: grid.days.indices) { FinanceMonth(of: grid.days[$0]) }
        return [
            "id": id, "name": grid.name, "code": grid.code,
            "months": months.keys.sorted().map { month($0, indices: months[$0] ?? [], grid) },
            "hasSales": !grid.sales.isEmpty,
            "sales": grid.sales.map { sales in
                ["month": sales.month.frenchName, "figures": sales.figures.map(\.frenchText)] as [String: Any]
            },
        ]
    }

    /// One month's table: a header row of days, one row per stock type.
    private static func month(_ month: FinanceMonth, indices: [Int], _ grid: PlanningGrid) -> [String: Any] {
        let days = indices.map { grid.days[$0] }
        return [
            "label": month.frenchName,
            "days": days.map { ["number": String($0.parts.day), "weekday": weekdayLetters[$0.weekday - 1]] },
            "types": grid.types.enumerated().map { t, type in
                [
                    "name": type.name,
                    "cells": indices.map { d in cell(grid.cells[d][t], type: type, day: grid.days[d]) },
                ] as [String: Any]
            },
        ]
    }

    private static func cell(_ cell: PlanningGrid.Cell?, type: PlanningGrid.StockType, day: CalendarDate) -> [String:
        String]
    {
        guard let cell else { return ["text": "", "level": "none", "title": ""] }
        let weekday = RefugeText.weekdayNames[day.weekday - 1]
        let detail =
            cell.state == "closed"
            ? "refuge fermé" + (cell.booked > 0 ? ", \(cell.booked) place(s) réservée(s)" : "")
            : cell.available < 0
                ? "\(cell.booked) place(s) réservée(s) pour \(cell.total) : surréservation"
                : "\(cell.available) place(s) libre(s) sur \(cell.total)"
        return [
            "text": cell.text.replacingOccurrences(of: " / ", with: "/"),
            "level": cell.level(threshold: type.lowThreshold).rawValue,
            "title": "\(type.name), \(weekday) \(day.frenchText) : \(detail)",
        ]
    }
}
