import Foundation
import PasserelleCore
import PasserelleStages

/// The workbook writer alone: every stay of the data folder written as a 15-column sheet.
extension Measures {
    /// The stays file's columns as the writer gets them: text, dates, an integer, money, a percent.
    static let stayColumns: [CellsFile.Column] = [
        .init("Référence", "s"), .init("Code hébergement", "s"), .init("Nom", "s"), .init("Prénom", "s"),
        .init("E-mail client", "s"), .init("Langue", "s"), .init("Date d'arrivée", "d"), .init("Date de départ", "d"),
        .init("Nb personnes", "i"), .init("Montant (€)", "m"), .init("Canal", "s"), .init("Statut", "s"),
        .init("Date de réservation", "d"), .init("Acompte (%)", "p"), .init("Mode de paiement", "s"),
    ]

    /// Writes every stay of `sejours.csv` through `XLSXDocument` in constant-memory mode (`<cells>/stays.xlsx`),
    /// then saves the same cells for the references (`<cells>/stays.tsv`).
    ///
    /// The cells are read and typed before the clock starts (dates as date cells with `dd/mm/yyyy`, amounts in
    /// euros, the deposit as a percent; what does not read as its type stays text, as in the file), so only
    /// writing is timed: the document's creation to `close()`, the zip included, as the C program times its own;
    /// the best of `repeats` runs, as the C program reports its own (`WriteTiming`).
    func xlsxWrite() throws -> Measurement {
        let (rows, loadSeconds) = try Measurement.timed { try typedStays() }
        let path = try cellsPath("stays.xlsx")
        let timing = try WriteTiming.best(of: repeats) { try writeStays(rows, to: path) }.1
        let cells = rows.reduce(0) { count, row in count + row.count { $0 != .null } }
        var measurement = Measurement(
            name: "xlsx_write", summary: "stays workbook written (constant memory)", rows: rows.count,
            seconds: timing.seconds, counts: ["rows": rows.count, "cells": cells])
        measurement.record(timing)
        measurement.loadSeconds = loadSeconds
        var file = try CellsFile(path: try cellsPath("stays.tsv"), columns: Self.stayColumns)
        for row in rows { try file.append(row) }
        try file.close()
        return measurement
    }

    /// The stays of `sejours.csv` (title line and header skipped), each field typed by its column.
    private func typedStays() throws -> [[Value]] {
        let types = Self.stayColumns.map(\.type)
        var rows: [[Value]] = []
        var record = 0
        try CSVReader(path: file("sejours.csv")).readRecords { _, fields in
            record += 1
            guard record > Self.rowsAboveData else { return }
            rows.append(
                fields.enumerated().map { i, field in StayCell.value(field, type: i < types.count ? types[i] : "s") })
        }
        return rows
    }

    /// The sheet as the product writes one: header (bold, frozen, autofilter), then one row per stay.
    private func writeStays(_ rows: [[Value]], to path: String) throws {
        let document = try XLSXDocument(
            path: path, created: Date(timeIntervalSince1970: 1_795_500_000),
            properties: XLSXDocumentProperties(title: "Séjours"), isConstantMemory: true)
        let sheet = try document.addSheet("Séjours")
        try sheet.writeHeader(row: 0, Self.stayColumns.map(\.header))
        for (r, row) in rows.enumerated() { try sheet.write(row: r + 1, values: row) }
        try document.close()
    }

    /// A file in the cells folder, which is created if needed.
    func cellsPath(_ name: String) throws -> String {
        try FileManager.default.createDirectory(at: cells, withIntermediateDirectories: true)
        return cells.appendingPathComponent(name).path
    }
}

/// Types one field of the stays CSV the simple way: a value that does not read as its column's type stays text.
enum StayCell {
    static func value(_ field: String, type: Character) -> Value {
        guard !field.isEmpty else { return .null }
        switch type {
        case "d": return date(field).map(Value.date) ?? .text(field)
        case "i": return Int64(field).map(Value.integer) ?? .text(field)
        case "m": return cents(field).map { .money(Money(cents: $0)) } ?? .text(field)
        case "p": return Int64(field).map { .percent($0 * 100) } ?? .text(field)
        default: return .text(field)
        }
    }

    /// `dd/mm/yyyy`, or nil.
    static func date(_ text: String) -> CalendarDate? {
        let parts = text.split(separator: "/")
        guard text.utf8.count == 10, parts.count == 3, let day = Int(parts[0]), let month = Int(parts[1]),
            let year = Int(parts[2])
        else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// A French amount (`1 234,50`, spaces or no-break spaces grouping) in cents, or nil.
    static func cents(_ text: String) -> Int64? {
        let digits = text.filter { $0 != " " && $0 != "\u{00A0}" && $0 != "\u{202F}" }
        let parts = digits.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count <= 2, let units = Int64(parts[0]), units >= 0 else { return nil }
        guard parts.count == 2 else { return units * 100 }
        guard (1...2).contains(parts[1].count), let fraction = Int64(parts[1]) else { return nil }
        return units * 100 + (parts[1].count == 1 ? fraction * 10 : fraction)
    }
}
