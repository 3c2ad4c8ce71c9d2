import PasserelleCore

/// A CSV file that cannot be read at all: it names the file, the line when there is one, and a remedy.
///
/// Row-level problems (a ragged row, a bad value) are not `CSVError`s: the reader returns such rows and the
/// mapping layer rejects them one by one. A `CSVError` stops the file.
///
/// ```
/// stays.csv:12: error: a quoted field starting on this line is never closed [ingest.csv.unterminated_quote]
///   fix: close the quote (") of that field, or double the quotes inside it (""), then import the file again
/// ```
package struct CSVError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong; the raw value is the stable rule ID.
    package enum Code: String, Sendable, Equatable {
        /// The file could not be opened or read.
        case unreadable = "ingest.csv.unreadable"
        /// A quoted field is still open at the end of the file.
        case unterminatedQuote = "ingest.csv.unterminated_quote"
        /// The file is a workbook (ZIP/XLSX or OLE/XLS), not text.
        case notText = "ingest.csv.not_text"
        /// The file is UTF-16 or UTF-32, which French Excel never writes for CSV.
        case unsupportedEncoding = "ingest.csv.unsupported_encoding"
        /// The separator given is not one byte of the supported set.
        case invalidSeparator = "ingest.csv.invalid_separator"
    }

    package var code: Code
    /// The file as the user named it.
    package var file: String
    /// The 1-based physical line, when the problem has one.
    package var line: Int?
    /// What is wrong, lowercase, without a final period.
    package var message: String
    /// What the user should do.
    package var remedy: String

    package init(code: Code, file: String, line: Int? = nil, message: String, remedy: String) {
        self.code = code
        self.file = file
        self.line = line
        self.message = message
        self.remedy = remedy
    }

    /// `file:line: error: message [rule]` then the fix, as every Passerelle diagnostic is printed.
    package var description: String { diagnostic.rendered }

    /// The same finding as a `Diagnostic`, for the run's report.
    package var diagnostic: Diagnostic {
        let location: SourceLocation =
            line.map { .csv(file: file, line: $0, field: nil, header: nil) } ?? .file(file)
        return Diagnostic(rule: code.rawValue, location: location, message: message, fix: remedy)
    }
}

extension CSVError {
    static func unterminatedQuote(file: String, line: Int) -> CSVError {
        CSVError(
            code: .unterminatedQuote, file: file, line: line,
            message: "a quoted field starting on this line is never closed",
            remedy: "close the quote (\") of that field, or double the quotes inside it (\"\"), "
                + "then import the file again")
    }

    static func unreadable(file: String, reason: String) -> CSVError {
        CSVError(
            code: .unreadable, file: file, message: "cannot read the file: \(reason)",
            remedy: "check that the file exists and is readable, then run again")
    }
}
