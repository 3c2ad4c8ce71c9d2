import Foundation
import PasserelleCore
import Yams

extension SpecWalker {
    static let columnKeys = ["headers", "type", "required", "values"]

    /// Reads a column mapping: `field: [headers…]` or `field: { headers, type, required, values }`.
    /// Each field's place is recorded at `<path>.<field>` (the line `check` points at about that field).
    mutating func columnsValue(_ node: Node, key: String, path: String = "") -> OptionValue? {
        guard let mapping = node.mapping else {
            report(
                "spec.wrong_type", node, "'\(key)' must be a column mapping, found \(SpecWalker.describe(node))",
                fix: "write 'field: [\"Header\", \"Other header\"]' or 'field: { headers: [...], type: date }'")
            return nil
        }
        var columns: [ColumnSpec] = []
        for (fieldNode, value) in mapping {
            guard let field = fieldNode.string else { continue }
            if !path.isEmpty { optionLocations["\(path).\(field)"] = location(fieldNode) }
            if let column = columnSpec(field: field, node: value) { columns.append(column) }
        }
        return .columns(columns)
    }

    private mutating func columnSpec(field: String, node: Node) -> ColumnSpec? {
        if node.scalar != nil || node.sequence != nil {
            return ColumnSpec(name: field, headers: stringList(node, key: "\(field)"))
        }
        guard let mapping = node.mapping else { return nil }
        checkKeys(mapping, known: SpecWalker.columnKeys, context: "in column '\(field)'")
        var column = ColumnSpec(name: field, headers: [])
        if let headers = mapping["headers"] {
            column.headers = stringList(headers, key: "\(field).headers")
        } else {
            report(
                "spec.missing_option", node, "column '\(field)' has no 'headers'",
                fix: "add 'headers: [\"Header as written in the file\"]'")
        }
        if let typeNode = mapping["type"] {
            let words = ColumnType.allCases.map(\.rawValue)
            if case .string(let text)? = optionValue(typeNode, type: .choice(words), key: "\(field).type") {
                column.type = ColumnType(rawValue: text) ?? .text
            }
        }
        if let required = mapping["required"],
            case .boolean(let flag)? = optionValue(required, type: .boolean, key: "required")
        {
            column.isRequired = flag
        }
        if let valuesNode = mapping["values"] {
            column.values = aliasTable(valuesNode, field: field)
            if column.type != .enumeration, mapping["type"] == nil { column.type = .enumeration }
        } else if column.type == .enumeration {
            report(
                "spec.missing_option", node, "column '\(field)' is an enumeration without 'values'",
                fix: "add 'values: { canonical: [\"Alias\", \"Other alias\"] }'")
        }
        return column
    }

    private mutating func aliasTable(_ node: Node, field: String) -> [String: [String]] {
        guard let mapping = node.mapping else {
            report(
                "spec.wrong_type", node, "'values' of column '\(field)' must map each value to its spellings",
                fix: "write 'values: { confirmed: [\"Confirmé\", \"OK\"], cancelled: [\"Annulé\"] }'")
            return [:]
        }
        var table: [String: [String]] = [:]
        for (k, v) in mapping {
            guard let canonical = k.string else { continue }
            table[canonical] = stringList(v, key: "\(field).values.\(canonical)")
        }
        return table
    }

    mutating func stringList(_ node: Node, key: String) -> [String] {
        guard case .list(let items)? = optionValue(node, type: .list(.string), key: key) else { return [] }
        return items.compactMap(asString)
    }
}
