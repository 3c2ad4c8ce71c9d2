import Foundation
import GRDB
import PasserelleCore

extension Store {
    /// Upserts providers then accommodations by code (domain.md rule 5: create new, update changed, keep the rest).
    ///
    /// A provider absent from the file is reported, never deleted. An accommodation with a formula
    /// conflict keeps its stored formula (domain.md rule 3).
    package func upsertProviders(
        _ providers: [ProviderRecord], accommodations: [AccommodationRecord], scope: WriteScope
    ) throws -> ProviderUpsertResult {
        try transaction(commit: scope.commit, operation: "store providers (stage '\(scope.stage)')") { db in
            var result = ProviderUpsertResult()
            // In code order (sorted here only if the caller has not: a sorted array is not copied).
            for provider in Self.inCodeOrder(providers, \.code) {
                try upsert(provider, db, scope, &result)
            }
            for accommodation in Self.inCodeOrder(accommodations, \.code) {
                try upsert(accommodation, db, scope, &result)
            }
            // An empty file (or one skipped as already imported) says nothing about who left.
            if !providers.isEmpty {
                let seen = Set(providers.map(\.code))
                try forEachProvider(db) { if !seen.contains($0.code) { result.absentProviders.append($0) } }
            }
            try insertChanges(db, runID: scope.runID, stage: scope.stage, result.changes)
            return result
        }
    }

    private func fetchProviders(_ db: Database) throws -> [ProviderRecord] {
        var providers: [ProviderRecord] = []
        try forEachProvider(db) { providers.append($0) }
        return providers
    }

    /// The active providers in code order, one at a time (a cursor: a central's whole list is never held as rows).
    private func forEachProvider(_ db: Database, _ body: (ProviderRecord) throws -> Void) throws {
        let rows = try GRDB.Row.fetchCursor(
            db,
            sql: """
                SELECT code, name, email, phone, office, is_member, membership_paid_on, address FROM providers
                WHERE status = 'active' ORDER BY code
                """)
        while let row = try rows.next() { try body(Store.provider(row)) }
    }

    /// `records` in code order: as given when already so, else sorted.
    private static func inCodeOrder<Record>(_ records: [Record], _ code: (Record) -> String) -> [Record] {
        let isSorted = zip(records, records.dropFirst()).allSatisfy { code($0) < code($1) }
        return isSorted ? records : records.sorted { code($0) < code($1) }
    }

    static func provider(_ row: GRDB.Row) -> ProviderRecord {
        ProviderRecord(
            code: row[0], name: row[1], email: row[2], phone: row[3], office: row[4], isMember: row[5],
            membershipPaidOn: (row[6] as String?).flatMap { CalendarDate.parse($0) },
            address: row.count > 7 ? row[7] : nil)
    }

    private func upsert(_ p: ProviderRecord, _ db: Database, _ scope: WriteScope, _ result: inout ProviderUpsertResult)
        throws
    {
        // Cached statements: compiled once per upsert, not twice per provider (125 000 at a large central).
        let lookup = try db.cachedStatement(
            sql: "SELECT code, name, email, phone, office, is_member, membership_paid_on, address FROM providers WHERE code = ?")
        let existing = try GRDB.Row.fetchOne(lookup, arguments: [p.code]).map(Store.provider)
        let arguments: StatementArguments = [
            p.name, p.email, p.phone, p.office, p.isMember, p.membershipPaidOn?.description, p.address, scope.runID,
            p.code,
        ]
        guard let existing else {
            try db.cachedStatement(
                sql: """
                    INSERT INTO providers (name, email, phone, office, is_member, membership_paid_on, address, updated_run,
                    code, created_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: arguments + [scope.runID])
            result.createdProviders.append(p.code)
            return
        }
        let changes = Store.diff(entity: "provider", key: p.code, old: existing.fields, new: p.fields)
        guard !changes.isEmpty else {
            result.unchangedProviders += 1
            return
        }
        try db.cachedStatement(
            sql: """
                UPDATE providers SET name = ?, email = ?, phone = ?, office = ?, is_member = ?, membership_paid_on = ?,
                address = ?, updated_run = ?, status = 'active' WHERE code = ?
                """
        ).execute(arguments: arguments)
        result.updatedProviders.append(p.code)
        result.changes += changes
    }

    private func upsert(
        _ a: AccommodationRecord, _ db: Database, _ scope: WriteScope, _ result: inout ProviderUpsertResult
    ) throws {
        let lookup = try db.cachedStatement(
            sql: "SELECT provider_code, name, type, capacity, formula FROM accommodations WHERE code = ?")
        let row = try GRDB.Row.fetchOne(lookup, arguments: [a.code])
        var incoming = a
        let stored = row.map {
            AccommodationRecord(
                code: a.code, providerCode: $0[0], name: $0[1], type: $0[2], capacity: $0[3],
                formula: ($0[4] as String?).flatMap(PassFormula.init(rawValue:)))
        }
        if a.hasFormulaConflict { incoming.formula = stored?.formula }
        let arguments: StatementArguments = [
            incoming.providerCode, incoming.name, incoming.type, incoming.capacity, incoming.formula?.rawValue,
            scope.runID, incoming.code,
        ]
        guard let stored else {
            try db.cachedStatement(
                sql: """
                    INSERT INTO accommodations (provider_code, name, type, capacity, formula, updated_run, code, created_run)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: arguments + [scope.runID])
            result.createdAccommodations.append(a.code)
            return
        }
        let changes = Store.diff(entity: "accommodation", key: a.code, old: stored.fields, new: incoming.fields)
        guard !changes.isEmpty else {
            result.unchangedAccommodations += 1
            return
        }
        try db.cachedStatement(
            sql: """
                UPDATE accommodations SET provider_code = ?, name = ?, type = ?, capacity = ?, formula = ?,
                updated_run = ?, status = 'active' WHERE code = ?
                """
        ).execute(arguments: arguments)
        result.updatedAccommodations.append(a.code)
        result.changes += changes
    }

    /// The fields that differ between two field lists of the same shape.
    static func diff(entity: String, key: String, old: [(String, String)], new: [(String, String)]) -> [ChangeRecord] {
        zip(old, new).compactMap { o, n in  // nil for an unchanged field: nothing lost
            o.1 == n.1 ? nil : ChangeRecord(entity: entity, key: key, field: n.0, oldValue: o.1, newValue: n.1)
        }
    }

    /// Every accommodation code in the store.
    package func accommodationCodes() throws -> Set<String> {
        try read(operation: "read accommodations") { db in
            Set(try String.fetchAll(db, sql: "SELECT code FROM accommodations WHERE status = 'active'"))
        }
    }

    /// Every active provider.
    package func providers() throws -> [ProviderRecord] {
        try read(operation: "read providers") { db in try fetchProviders(db) }
    }
}
