import Foundation
import PasserelleCore

/// The store's snapshot indexed for the office reports: who belongs to which office.
///
/// The office of a stay is the office its accommodation's provider declares *now*: a provider who moved
/// office takes its stays along, and the office it left sees none of them any more.
struct OfficeIndex: Sendable {
    let snapshot: OfficeSnapshot
    let providers: [String: ProviderRecord]
    let accommodations: [String: AccommodationRecord]

    init(_ snapshot: OfficeSnapshot) {
        self.snapshot = snapshot
        providers = Dictionary(snapshot.providers.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        accommodations = Dictionary(
            snapshot.accommodations.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The office declared by a provider, trimmed; nil when it declared none.
    static func office(of provider: ProviderRecord) -> String? {
        let name = provider.office?.trimmingCharacters(in: .whitespaces) ?? ""
        return name.isEmpty ? nil : name
    }

    func provider(ofAccommodation code: String) -> ProviderRecord? {
        accommodations[code].flatMap { providers[$0.providerCode] }
    }

    /// Every office some provider declares, sorted.
    var offices: [String] { Set(snapshot.providers.compactMap(Self.office)).sorted() }

    /// `DUPONT Marie`: a client as the reports name them.
    static func client(_ stay: StayRecord) -> String {
        [stay.lastName.uppercased(), stay.firstName].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The provider's contact to phone or write to: `04 50 12 34 56 · contact@example.fr`.
    static func contact(_ provider: ProviderRecord) -> String {
        [provider.phone, provider.email].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
    }
}

/// Builds an output table row by row, in the order of its columns.
struct OfficeTable {
    var table: Table

    init(_ columns: [String]) { table = Table(columns: columns) }

    mutating func append(_ values: [Value]) {
        precondition(
            values.count == table.fields.count, "a row of \(values.count) values for \(table.fields.count) columns")
        table.rows.append(Row(location: .file(""), values: values))
    }
}

extension Value {
    /// `.text`, or `.null` for nil or empty text.
    static func optionalText(_ text: String?) -> Value {
        guard let text, !text.isEmpty else { return .null }
        return .text(text)
    }
}
