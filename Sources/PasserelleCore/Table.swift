/// A named column of a table, with where it came from in the user's file.
package struct Field: Sendable, Hashable {
    /// The field's name in the pipeline (`email`, `arrival`).
    package var name: String
    /// The header as written in the user's file, if the field was read from one.
    package var header: String?
    /// The 1-based column (or CSV field) it was read from.
    package var sourceColumn: Int?

    package init(name: String, header: String? = nil, sourceColumn: Int? = nil) {
        self.name = name
        self.header = header
        self.sourceColumn = sourceColumn
    }
}

/// Rows with named fields: what stages pass to one another.
package struct Table: Sendable {
    package var fields: [Field]
    package var rows: [Row]
    /// Field name → index, for lookups by name.
    private var index: [String: Int]

    package init(fields: [Field], rows: [Row] = []) {
        self.fields = fields
        self.rows = rows
        var index: [String: Int] = [:]
        for (i, field) in fields.enumerated() where index[field.name] == nil { index[field.name] = i }
        self.index = index
    }

    /// Builds a table of plain text columns (reports, change lists).
    package init(columns: [String], rows: [Row] = []) {
        self.init(fields: columns.map { Field(name: $0) }, rows: rows)
    }

    /// The index of a field, if the table has it.
    package func column(_ name: String) -> Int? { index[name] }

    /// The value of a field in a row, or `.null` when the table has no such field.
    package func value(_ name: String, in row: Row) -> Value {
        guard let i = index[name], i < row.count else { return .null }
        return row.value(at: i)
    }

    /// The location of one field of a row: the row's place with the field's source column and header.
    package func location(of name: String, in row: Row) -> SourceLocation {
        guard let i = index[name] else { return row.location }
        let field = fields[i]
        guard let column = field.sourceColumn else { return row.location }
        return row.location.withColumn(column, header: field.header)
    }

    /// An empty table with the same fields.
    package func emptyCopy() -> Table { Table(fields: fields) }
}
