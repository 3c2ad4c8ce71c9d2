/// How one field of a pipeline's column mapping is found in a file and typed.
///
/// Declared in the pipeline: `email: { headers: ["Email client", "E-mail", "Courriel"], type: email }`,
/// or in short form `email: ["Email client", "E-mail"]` (text, optional).
package struct ColumnSpec: Sendable, Hashable {
    /// The field's name in the pipeline.
    package var name: String
    /// The header names the field accepts; matched ignoring case, accents, repeated and trailing spaces.
    package var headers: [String]
    package var type: ColumnType
    /// Whether a row without a value is rejected (and the file stopped if the column is absent).
    package var isRequired: Bool
    /// For `enumeration`: canonical value → the spellings accepted for it (`confirmed: [Confirmé, Confirme, OK]`).
    package var values: [String: [String]]

    package init(
        name: String, headers: [String], type: ColumnType = .text, isRequired: Bool = false,
        values: [String: [String]] = [:]
    ) {
        self.name = name
        self.headers = headers
        self.type = type
        self.isRequired = isRequired
        self.values = values
    }
}

/// The types a mapped column can have.
package enum ColumnType: String, Sendable, Hashable, CaseIterable {
    case text, email, date, datetime, integer, money, percent, boolean, enumeration
}
