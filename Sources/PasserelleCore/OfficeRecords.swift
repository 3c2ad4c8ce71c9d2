import Foundation

/// What the tourist-office reports read from the store, taken in one consistent read (issue 5).
///
/// Only active (not archived) providers and accommodations; stays of every status, so that a report can
/// say what it left aside. Each list is sorted by its key (code, code, reference).
package struct OfficeSnapshot: Sendable {
    package var providers: [ProviderRecord]
    package var accommodations: [AccommodationRecord]
    package var stays: [StayRecord]

    package init(providers: [ProviderRecord] = [], accommodations: [AccommodationRecord] = [], stays: [StayRecord] = [])
    {
        self.providers = providers
        self.accommodations = accommodations
        self.stays = stays
    }
}

/// When a tourist office was told that one of its providers is not a paying member (domain.md rule 4).
///
/// The grace period runs from this instant. It is kept per provider *and* office: a provider who moves to
/// another office starts a new notice with the new office.
package struct MembershipNotice: Sendable, Hashable {
    package var providerCode: String
    package var office: String
    package var notifiedAt: Date

    package init(providerCode: String, office: String, notifiedAt: Date) {
        self.providerCode = providerCode
        self.office = office
        self.notifiedAt = notifiedAt
    }
}
