/// How a stage's writes to the store are made: which run and stage, and whether to keep them.
package struct WriteScope: Sendable {
    package var runID: Int64
    package var stage: String
    /// False in a dry run: the writes are made in a transaction and rolled back, so counts are exact.
    package var commit: Bool

    package init(runID: Int64, stage: String, commit: Bool) {
        self.runID = runID
        self.stage = stage
        self.commit = commit
    }
}

/// What an upsert of providers and accommodations did.
package struct ProviderUpsertResult: Sendable {
    package var createdProviders: [String] = []
    package var updatedProviders: [String] = []
    package var unchangedProviders = 0
    package var createdAccommodations: [String] = []
    package var updatedAccommodations: [String] = []
    package var unchangedAccommodations = 0
    /// Stored providers absent from this file (reported, never deleted).
    package var absentProviders: [ProviderRecord] = []
    package var changes: [ChangeRecord] = []

    package init() {}
}

/// What an upsert of stays did.
package struct StayUpsertResult: Sendable {
    /// New stays, with the stay code they were given.
    package var created: [StayRecord] = []
    /// Changed stays (after the change), with their unchanged stay code.
    package var updated: [StayRecord] = []
    /// Stays newly marked cancelled.
    package var cancelled: [StayRecord] = []
    package var unchanged = 0
    package var changes: [ChangeRecord] = []
    /// The stay code of every stay of the upsert, by reference.
    package var codes: [String: String] = [:]

    package init() {}
}

/// The domain operations stages need from the store, so that stage code never touches SQL.
///
/// Implemented by `PasserelleStore`; the engine hands it to stages through their context.
package protocol DomainStore: Sendable {
    /// Creates new providers and accommodations, updates changed ones and records each change.
    func upsertProviders(
        _ providers: [ProviderRecord], accommodations: [AccommodationRecord], scope: WriteScope
    ) throws -> ProviderUpsertResult
    /// Creates new stays with a stay code, updates changed ones, marks cancellations.
    func upsertStays(_ stays: [StayRecord], scope: WriteScope) throws -> StayUpsertResult
    /// Every accommodation code in the store.
    func accommodationCodes() throws -> Set<String>
    /// Stored stays of these accommodations (all statuses).
    func stays(ofAccommodations codes: Set<String>) throws -> [StayRecord]
    /// Records notifications as sent; returns the keys that had already been sent before.
    func claimNotifications(_ notifications: [NotificationRecord], scope: WriteScope) throws -> Set<String>
}
