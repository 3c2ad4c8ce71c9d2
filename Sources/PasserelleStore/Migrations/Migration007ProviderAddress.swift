import GRDB

/// The provider's postal address, the billing address of its commission invoices.
///
/// Frozen: a migration is never modified once it has shipped; add a new one instead.
enum Migration007ProviderAddress {
    static let identifier = "007-provider-address"

    static func migrate(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE providers ADD COLUMN address TEXT")
    }
}
