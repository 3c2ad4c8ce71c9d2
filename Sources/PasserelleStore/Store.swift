import Foundation
import GRDB
import PasserelleCore

/// The embedded SQLite store: the engine's run history and the domain tables.
///
/// One file (default `var/passerelle.sqlite` in the project folder), WAL journal, versioned migrations.
/// `Store` is the only user of GRDB in Passerelle.
package final class Store: DomainStore {
    let queue: DatabaseQueue
    package let path: String

    /// Opens (creating if needed) the store at `path` and applies pending migrations.
    package init(path: String) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                if !db.configuration.readonly { try db.execute(sql: "PRAGMA journal_mode = WAL") }
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Store.migrator.migrate(queue)
        } catch {
            throw StoreError(path: path, operation: "open", cause: error)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(Migration001EngineTables.identifier, migrate: Migration001EngineTables.migrate)
        migrator.registerMigration(Migration002DomainTables.identifier, migrate: Migration002DomainTables.migrate)
        migrator.registerMigration(Migration003Finance.identifier, migrate: Migration003Finance.migrate)
        migrator.registerMigration(Migration004Offices.identifier, migrate: Migration004Offices.migrate)
        migrator.registerMigration(Migration005Delivery.identifier, migrate: Migration005Delivery.migrate)
        migrator.registerMigration(Migration006Channels.identifier, migrate: Migration006Channels.migrate)
        migrator.registerMigration(Migration007ProviderAddress.identifier, migrate: Migration007ProviderAddress.migrate)
        migrator.registerMigration(Migration008RefugeBookings.identifier, migrate: Migration008RefugeBookings.migrate)
        migrator.registerMigration(
            Migration009ChannelBookingDetails.identifier, migrate: Migration009ChannelBookingDetails.migrate)
        migrator.registerMigration(Migration010StoredRows.identifier, migrate: Migration010StoredRows.migrate)
        migrator.registerMigration(Migration011Outbox.identifier, migrate: Migration011Outbox.migrate)
        migrator.registerMigration(
            Migration012OutboxMessages.identifier, migrate: Migration012OutboxMessages.migrate)
        return migrator
    }

    /// Runs `body` in one transaction, committed only when `commit` is true (a dry run rolls back).
    func transaction<T>(commit: Bool, operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            var result: T?
            try queue.inTransaction { db in
                // A dry run rolls back: foreign keys are checked at commit time only, so a dry run's stays
                // may refer to the accommodations its own (also rolled back) provider stage would create.
                if !commit { try db.execute(sql: "PRAGMA defer_foreign_keys = ON") }
                result = try body(db)
                return commit ? .commit : .rollback
            }
            guard let result else { throw StoreError(path: path, operation: operation, cause: nil) }
            return result
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, operation: operation, cause: error)
        }
    }

    /// Reads with a consistent snapshot.
    func read<T>(operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read { db in try body(db) }
        } catch {
            throw StoreError(path: path, operation: operation, cause: error)
        }
    }
}

/// A store operation that failed, with the store's path, what was being done and the SQLite cause.
package struct StoreError: Error, CustomStringConvertible {
    package var path: String
    package var operation: String
    package var cause: (any Error)?

    package var description: String {
        let reason = cause.map { "\($0)" } ?? "no result"
        return "store \(path): \(operation) failed: \(reason). Check that the folder is writable and the disk not full; "
            + "if the file is damaged, move it aside and run again to start a new store"
    }
}
