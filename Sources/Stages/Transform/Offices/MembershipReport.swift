import Foundation
import PasserelleCore
import PasserelleEngine

/// The rows of `transform.office_membership`, built provider by provider.
struct MembershipReport {
    let index: OfficeIndex
    let settings: OfficeConfiguration
    let asOf: Date
    var membership = OfficeTable(OfficeMembershipTransform.membershipColumns)
    var deactivations = OfficeTable(OfficeMembershipTransform.deactivationColumns)
    var reminders = OfficeTable(OfficeMembershipTransform.reminderColumns)
    var cheques = OfficeTable(OfficeMembershipTransform.chequeColumns)

    init(index: OfficeIndex, settings: OfficeConfiguration, asOf: Date) {
        self.index = index
        self.settings = settings
        self.asOf = asOf
    }

    var tables: [String: Table] {
        [
            "rows": membership.table, "membership": membership.table, "deactivations": deactivations.table,
            "reminders": reminders.table, "cheques": cheques.table,
        ]
    }

    mutating func add(_ provider: ProviderRecord, office: String, grace: GracePeriod?, context: StageContext) {
        guard !provider.isMember, let grace else {
            membership.append([
                .text(office), .text(provider.code), .text(provider.name), .optionalText(OfficeIndex.contact(provider)),
                .bool(true), provider.membershipPaidOn.map(Value.date) ?? .null, .null, .null, .null, .text("adhérent"),
            ])
            return
        }
        let passed = grace.hasPassed(at: asOf)
        membership.append([
            .text(office), .text(provider.code), .text(provider.name), .optionalText(OfficeIndex.contact(provider)),
            .bool(false), provider.membershipPaidOn.map(Value.date) ?? .null, .text(ParisTime.text(grace.notifiedAt)),
            .integer(Int64(grace.hours)), .text(ParisTime.text(grace.deadline)),
            .text(passed ? "délai dépassé : séjours à désactiver" : "dans le délai de grâce"),
        ])
        if passed {
            addDeactivations(provider, office: office)
        } else if let email = provider.email, !email.isEmpty {
            reminders.append([
                .text(office), .text(provider.code), .text(provider.name), .text(email),
                .text(ParisTime.text(grace.notifiedAt)), .integer(Int64(grace.hours)),
                .text(ParisTime.text(grace.deadline)), .text("fr"),
            ])
        } else {
            context.report(Self.noEmail(provider, office: office))
        }
    }

    /// The provider's client stays the ticket offices deactivate: every stay not cancelled, by arrival.
    private mutating func addDeactivations(_ provider: ProviderRecord, office: String) {
        let stays = index.snapshot.stays.filter { stay in
            stay.status != .cancelled && index.accommodations[stay.accommodationCode]?.providerCode == provider.code
        }
        for stay in stays.sorted(by: { ($0.arrival, $0.reference) < ($1.arrival, $1.reference) }) {
            deactivations.append([
                .text(office), .text(provider.code), .text(provider.name), .text(stay.reference),
                .optionalText(stay.stayCode), .text(OfficeIndex.client(stay)), .date(stay.arrival),
                .date(stay.departure), .text(stay.accommodationCode),
                .optionalText(index.accommodations[stay.accommodationCode]?.name),
            ])
        }
    }

    /// Cheque payments (domain.md rule 8) of stays not cancelled that their office has not validated yet.
    mutating func addCheques(validated: Set<String>) {
        for stay in index.snapshot.stays
        where stay.paymentMode == "cheque" && stay.status != .cancelled && !validated.contains(stay.reference) {
            guard let provider = index.provider(ofAccommodation: stay.accommodationCode),
                let office = OfficeIndex.office(of: provider)
            else { continue }  // a provider without an office is reported by the membership rows already
            cheques.append([
                .text(office), .text(provider.name), .text(stay.reference), .optionalText(stay.stayCode),
                .text(OfficeIndex.client(stay)), .text(stay.accommodationCode), .date(stay.arrival),
                .date(stay.departure), stay.amount.map(Value.money) ?? .null,
            ])
        }
    }

    private static func noEmail(_ provider: ProviderRecord, office: String) -> Diagnostic {
        Diagnostic(
            rule: "transform.office_membership.no_email", severity: .warning, location: .file(""),
            message: "l'hébergeur \(provider.code) (\(provider.name)), non adhérent de \(office), n'a pas d'adresse "
                + "e-mail : aucune relance ne peut lui être envoyée",
            found: provider.code, fix: "l'office de tourisme le relance par téléphone")
    }
}
