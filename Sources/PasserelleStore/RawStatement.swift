import Foundation
import GRDB
import GRDBSQLite
import PasserelleCore

/// A statement driven through SQLite's C interface on a GRDB connection, for the per-row statements of the
/// largest upsert (a million stays a season). GRDB still owns the connection and the transaction; this only
/// prepares, binds, steps and reads.
///
/// Written by hand because a benchmark showed it must be faster: storing a million new stays through GRDB's
/// `StatementArguments` and `Row.fetchOne` took 23 s on one core, most of it outside SQLite (a `Row` builds a
/// dictionary of its column names for each lookup, and each argument is boxed as a `DatabaseValue`), on the
/// import's critical path (`perf record` over `passerelle run pipelines/daily-import.yml --only store_stays`).
///
/// ```swift
/// let lookup = try RawStatement(db, sql: "SELECT stay_code FROM stays WHERE reference = ?")
/// lookup.bind(1, "CR-2026-000001")
/// if try lookup.step() { print(lookup.text(0) ?? "") }
/// ```
final class RawStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    let sql: String

    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the connection is closed", sql: sql)
        }
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &handle, nil)
        guard code == SQLITE_OK, let handle else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds text (SQL NULL for nil) to the 1-based parameter `index`; SQLite copies the bytes.
    func bind(_ index: Int32, _ text: String?) {
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        text.withUTF8 { bytes in
            guard let start = bytes.baseAddress else {
                // An empty buffer may have no address, and a null pointer would bind NULL, not ''.
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
                return
            }
            _ = sqlite3_bind_text(
                handle, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(bytes.count),
                Self.transient)
        }
    }

    /// Binds an integer (SQL NULL for nil) to the 1-based parameter `index`.
    func bind(_ index: Int32, _ integer: Int64?) {
        guard let integer else {
            sqlite3_bind_null(handle, index)
            return
        }
        sqlite3_bind_int64(handle, index, integer)
    }

    /// Binds bytes as a BLOB to the 1-based parameter `index`; SQLite copies them.
    func bind(_ index: Int32, blob: Data) {
        blob.withUnsafeBytes { bytes in
            guard let start = bytes.baseAddress, bytes.count > 0 else {
                _ = sqlite3_bind_zeroblob(handle, index, 0)  // a null pointer would bind NULL, not an empty BLOB
                return
            }
            _ = sqlite3_bind_blob(handle, index, start, Int32(bytes.count), Self.transient)
        }
    }

    /// Runs the statement to its next row: true when a row is there to read, false when it is done (and it is
    /// reset, ready to be bound again).
    @discardableResult
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            sqlite3_reset(handle)
            return false
        case let code:
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
    }

    /// Ends reading rows before the last one, ready to be bound again.
    func reset() { sqlite3_reset(handle) }

    /// The 0-based column `index` of the current row as text, nil for SQL NULL.
    func text(_ index: Int32) -> String? {
        textBytes(index).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The 0-based column `index` of the current row as a date (`yyyy-mm-dd`, else any form `CalendarDate.parse`
    /// reads), nil for SQL NULL or text that is no date.
    func date(_ index: Int32) -> CalendarDate? {
        guard let bytes = textBytes(index) else { return nil }
        return CalendarDate.parseISO(bytes) ?? CalendarDate.parse(String(decoding: bytes, as: UTF8.self))
    }

    /// Whether the 0-based column `index` of the current row is this text (false for SQL NULL).
    func textEquals(_ index: Int32, _ text: String) -> Bool {
        textBytes(index).map { text.utf8.elementsEqual($0) } ?? false
    }

    /// The UTF-8 bytes of the 0-based column `index` of the current row, valid until the next step or reset; nil
    /// for SQL NULL.
    private func textBytes(_ index: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard sqlite3_column_type(handle, index) != SQLITE_NULL, let bytes = sqlite3_column_text(handle, index) else {
            return nil
        }
        return UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, index)))
    }

    /// The 0-based column `index` of the current row as an integer, nil for SQL NULL.
    func integer(_ index: Int32) -> Int64? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
    }

    /// `SQLITE_TRANSIENT`, a C macro Swift does not import: SQLite copies the bound bytes.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}
