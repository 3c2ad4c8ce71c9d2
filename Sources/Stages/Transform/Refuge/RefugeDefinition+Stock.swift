import Foundation
import PasserelleCore
import PasserelleSpec
import Yams

/// Reading the stock types, opening periods, tariffs and supplements of a refuge definition.
extension RefugeDefinitionReader {
    /// French weekday keys, Monday first (ISO order).
    static let weekdays = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"]

    mutating func stockTypes(_ node: Node) -> [RefugeDefinition.StockType] {
        let example = "{ DORT: { name: Dortoir, places: 20 } }"
        guard let map = mapping(node, "stock_types", example: example) else { return [] }
        var types: [RefugeDefinition.StockType] = []
        for (key, value) in map {
            guard let code = text(key, "stock type code"), let fields = mapping(value, code, example: example)
            else { continue }
            checkKeys(fields, known: ["name", "places", "blocks_whole_room"], context: "in stock type '\(code)'")
            let context = "stock type '\(code)'"
            let name = required(fields, "name", in: value, context: context).flatMap { text($0, "\(code).name") }
            let places = required(fields, "places", in: value, context: context).flatMap {
                integer($0, "\(code).places", in: 1...10_000)
            }
            let whole = fields["blocks_whole_room"].flatMap { bool($0, "\(code).blocks_whole_room") } ?? false
            if let name, let places {
                types.append(.init(code: code, name: name, places: places, blocksWholeRoom: whole))
            }
        }
        return types
    }

    mutating func openings(_ node: Node, types: [RefugeDefinition.StockType]) -> [RefugeDefinition.Opening] {
        let example = "{ DORT: [{ first: 2026-06-13, last: 2026-09-20, stock: 20 }] }"
        guard let map = mapping(node, "openings", example: example) else { return [] }
        var openings: [RefugeDefinition.Opening] = []
        for (key, value) in map {
            guard let code = text(key, "stock type code") else { continue }
            guard let type = types.first(where: { $0.code == code }) else {
                unknownStockType(key, code, types: types)
                continue
            }
            guard let periods = value.sequence else {
                report(
                    "wrong_type", value, "the openings of '\(code)' must be a list of periods", fix: "write \(example)")
                continue
            }
            let read = periods.compactMap { period in opening(period, type: type).map { ($0, period) } }
            checkOverlaps(read)
            openings += read.map(\.0)
        }
        return openings
    }

    private mutating func opening(_ node: Node, type: RefugeDefinition.StockType) -> RefugeDefinition.Opening? {
        let example = "{ first: 2026-06-13, last: 2026-09-20, stock: 20 }"
        guard let map = mapping(node, "opening period", example: example) else { return nil }
        checkKeys(map, known: ["first", "last", "stock"], context: "in an opening period of '\(type.code)'")
        let context = "an opening period of '\(type.code)'"
        let first = required(map, "first", in: node, context: context).flatMap { date($0, "first") }
        let last = required(map, "last", in: node, context: context).flatMap { date($0, "last") }
        let stock = required(map, "stock", in: node, context: context).flatMap { weekdayStock($0, type: type) }
        guard let first, let last, let stock else { return nil }
        guard first <= last else {
            report(
                "invalid_value", node,
                "the period of '\(type.code)' ends (\(last.frenchText)) before it starts "
                    + "(\(first.frenchText))", found: "", fix: "swap 'first' and 'last'")
            return nil
        }
        return RefugeDefinition.Opening(stockType: type.code, first: first, last: last, stock: stock)
    }

    /// `stock: 20` (every day) or `stock: { lun: 12, …, dim: 20 }` (a weekday left out has no place for sale).
    private mutating func weekdayStock(_ node: Node, type: RefugeDefinition.StockType) -> [Int]? {
        let range = 0...type.places
        let fix = "give at most the \(type.places) places of '\(type.code)', or raise its 'places'"
        if node.scalar != nil {
            return integer(node, "openings.\(type.code).stock", in: range, fix: fix).map {
                Array(repeating: $0, count: 7)
            }
        }
        guard let map = mapping(node, "stock", example: "20 or { lun: 12, mar: 12, …, dim: 20 }") else { return nil }
        checkKeys(map, known: Self.weekdays, context: "in the stock of '\(type.code)' (days are lun … dim)")
        var stock = Array(repeating: 0, count: 7)
        for (index, day) in Self.weekdays.enumerated() {
            guard let value = map[day] else { continue }
            guard let places = integer(value, "openings.\(type.code).stock.\(day)", in: range, fix: fix) else {
                return nil
            }
            stock[index] = places
        }
        return stock
    }

    /// Two periods of one stock type covering the same day leave its stock ambiguous.
    private mutating func checkOverlaps(_ periods: [(RefugeDefinition.Opening, Node)]) {
        for (i, (a, _)) in periods.enumerated() {
            for (b, node) in periods[(i + 1)...] where a.first <= b.last && b.first <= a.last {
                report(
                    "overlapping_openings", node,
                    "the periods of '\(a.stockType)' from \(a.first.frenchText) and from \(b.first.frenchText) overlap",
                    found: "", fix: "make each period end before the next one starts")
            }
        }
    }

    /// Tariffs (with a stock type) when `types` is given, supplements otherwise.
    mutating func items(_ node: Node, types: [RefugeDefinition.StockType]?) -> [RefugeDefinition.Item] {
        let kind = types == nil ? "supplements" : "tariffs"
        let example =
            types == nil
            ? "{ PIQUE-NIQUE: { name: Pique-nique, min_quantity: 1, max_quantity: 20, price: \"12,00\" } }"
            : "{ NUIT-DORT: { name: Nuitée dortoir, stock_type: DORT, min_quantity: 1, max_quantity: 12, price: \"32,00\" } }"
        guard let map = mapping(node, kind, example: example) else { return [] }
        var items: [RefugeDefinition.Item] = []
        for (key, value) in map {
            guard let code = text(key, "\(kind) code"), let fields = mapping(value, code, example: example) else {
                continue
            }
            if let item = item(code, fields, value, types: types) { items.append(item) }
        }
        return items
    }

    private mutating func item(
        _ code: String, _ fields: Node.Mapping, _ node: Node, types: [RefugeDefinition.StockType]?
    ) -> RefugeDefinition.Item? {
        let known =
            ["name", "description", "min_quantity", "max_quantity", "price"] + (types == nil ? [] : ["stock_type"])
        checkKeys(fields, known: known, context: "in '\(code)'")
        let context = "'\(code)'"
        let name = required(fields, "name", in: node, context: context).flatMap { text($0, "\(code).name") }
        let minimum = fields["min_quantity"].flatMap { integer($0, "\(code).min_quantity", in: 1...Int.max) } ?? 1
        let maximum = fields["max_quantity"].flatMap { integer($0, "\(code).max_quantity", in: 1...Int.max) } ?? Int.max
        let price = required(fields, "price", in: node, context: context).flatMap { money($0, "\(code).price") }
        var stockType: String?
        if let types, let typeNode = required(fields, "stock_type", in: node, context: context) {
            stockType = text(typeNode, "\(code).stock_type")
            if let named = stockType, !types.contains(where: { $0.code == named }) {
                unknownStockType(typeNode, named, types: types)
            }
        }
        if minimum > maximum, let node = fields["min_quantity"] {
            report("invalid_value", node, "'\(code).min_quantity' is above max_quantity (\(maximum))", fix: "lower it")
        }
        guard let name, let price else { return nil }
        return RefugeDefinition.Item(
            code: code, name: name, stockType: stockType,
            description: fields["description"].flatMap { $0.scalar?.string } ?? "", minQuantity: Int64(minimum),
            maxQuantity: Int64(maximum), price: price)
    }

    private mutating func unknownStockType(_ node: Node, _ code: String, types: [RefugeDefinition.StockType]) {
        let codes = types.map(\.code)
        report(
            "unknown_stock_type", node, "'\(code)' is not a stock type of this refuge", found: code,
            fix: Suggestion.nearest(to: code, in: codes).map { "did you mean '\($0)'?" }
                ?? "declare it under 'stock_types' (known: \(codes.joined(separator: ", ")))")
    }
}
