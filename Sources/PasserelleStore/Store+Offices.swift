import Foundation
import GRDB
import PasserelleCore

extension Store {
    /// Active providers and accommodations and every stored stay, read in one snapshot (issue 5).
    package func officeSnapshot() throws -> OfficeSnapshot {
        try read(operation: "read providers, accommodations and stays for the office reports") { db in
            let providers = try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT code, name, email, phone, office, is_member, membership_paid_on FROM providers
                    WHERE status = 'active' ORDER BY code
                    """
            ).map(Store.provider)
            let accommodations = try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT code, provider_code, name, type, capacity, formula FROM accommodations
                    WHERE status = 'active' ORDER BY code
                    """
            ).map { row in
                AccommodationRecord(
                    code: row[0], providerCode: row[1], name: row[2], type: row[3], capacity: row[4],
                    formula: (row[5] as String?).flatMap(PassFormula.init(rawValue:)))
            }
            let stays = try GRDB.Row.fetchAll(db, sql: Store.staySelect + " ORDER BY reference").map(Store.stay)
            return OfficeSnapshot(providers: providers, accommodations: accommodations, stays: stays)
        }
    }

    /// Stores the notices not stored yet (first one wins) and returns the stored notices of these providers.
    package func membershipNotices(_ notices: [MembershipNotice], scope: WriteScope) throws -> [MembershipNotice] {
        try transaction(commit: scope.commit, operation: "record membership notices (stage '\(scope.stage)')") { db in
            for notice in notices.sorted(by: { ($0.providerCode, $0.office) < ($1.providerCode, $1.office) }) {
                try db.cachedStatement(
                    sql: """
                        INSERT OR IGNORE INTO membership_notices (provider_code, office, notified_at, run_id)
                        VALUES (?, ?, ?, ?)
                        """
                ).execute(
                    arguments: [
                        notice.providerCode, notice.office,
                        Int64(notice.notifiedAt.timeIntervalSince1970.rounded(.down)),
                        scope.runID,
                    ])
            }
            let codes = Set(notices.map(\.providerCode)).sorted()
            guard !codes.isEmpty else { return [] }
            let marks = Array(repeating: "?", count: codes.count).joined(separator: ", ")
            return try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT provider_code, office, notified_at FROM membership_notices
                    WHERE provider_code IN (\(marks)) ORDER BY provider_code, office
                    """, arguments: StatementArguments(codes)
            ).map { row in
                MembershipNotice(
                    providerCode: row[0], office: row[1],
                    notifiedAt: Date(timeIntervalSince1970: TimeInterval(row[2] as Int64)))
            }
        }
    }

    /// References of the stays whose cheque the tourist office has validated.
    package func validatedCheques() throws -> Set<String> {
        try read(operation: "read validated cheques") { db in
            Set(try String.fetchAll(db, sql: "SELECT stay_reference FROM cheque_validations"))
        }
    }
}
