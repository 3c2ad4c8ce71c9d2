import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// The membership report's tables, from the store: every provider per office, member or not, and for each
/// non-member its grace period, deadline and, once the deadline has passed, its client stays to deactivate.
///
/// The grace period runs from when the office was told (domain.md rule 4): the configuration's `notified`
/// time for the provider, else the first run that found it not a member (kept in the store, so the
/// deadline never moves). Each office sets its own period, 48 to 72 elapsed hours; deadlines are shown in
/// Paris time. Cancelled stays are not listed for deactivation. Every row carries its `office`, the key
/// `output.office_reports` partitions on. Rules: `transform.office_membership.no_office` (provider without
/// an office, in no office's report), `transform.office_membership.no_email` (no reminder possible).
///
/// Writes `membership`, `deactivations`, `reminders` (providers still within their grace period, for an
/// `output.email_batch`) and `cheques` (cheque payments awaiting their office's validation, rule 8).
///
/// ```yaml
/// membership:
///   kind: transform.office_membership
///   options: { config: ../sample-data/offices.yml }
/// ```
struct OfficeMembershipTransform: Stage {
    static let schema = StageKindSchema(
        kind: "transform.office_membership",
        summary: "Membership per office: grace deadlines, stays to deactivate, reminders, cheques to validate.",
        options: [OptionSpec("config", .path(mustExist: true), required: true, "The offices' settings (offices.yml).")],
        inputs: 0...8)

    static let membershipColumns = [
        "office", "provider_code", "provider_name", "contact", "is_member", "paid_on", "notified_at", "grace_hours",
        "deadline", "status",
    ]
    static let deactivationColumns = [
        "office", "provider_code", "provider_name", "reference", "stay_code", "client", "arrival", "departure",
        "accommodation_code", "accommodation_name",
    ]
    static let reminderColumns = [
        "office", "provider_code", "provider_name", "email", "notified_at", "grace_hours", "deadline", "language",
    ]
    static let chequeColumns = [
        "office", "provider_name", "reference", "stay_code", "client", "accommodation_code", "arrival", "departure",
        "amount",
    ]

    /// The offices' settings, read when the stage is built (so `check` finds their mistakes).
    let settings: OfficeConfiguration

    init(spec: StageSpec) throws { settings = try OfficeConfiguration.load(path: spec.options.string("config") ?? "") }

    /// The types of the fields it hands down that are not text.
    static let fieldTypes: [String: FieldType] = [
        "amount": .money, "arrival": .date, "departure": .date, "grace_hours": .integer, "is_member": .boolean,
        "paid_on": .date,
    ]

    /// One row per provider (`rows`, also `membership`), the stays to deactivate, the reminders, the cheques.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [
            .rows(Self.membershipColumns, types: Self.fieldTypes),
            TableShape("membership", fields: Self.membershipColumns, types: Self.fieldTypes),
            TableShape("deactivations", fields: Self.deactivationColumns, types: Self.fieldTypes),
            TableShape("reminders", fields: Self.reminderColumns, types: Self.fieldTypes),
            TableShape("cheques", fields: Self.chequeColumns, types: Self.fieldTypes),
        ]
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let index = OfficeIndex(try context.store.officeSnapshot())
        let graces = try gracePeriods(index, settings, context)
        var report = MembershipReport(index: index, settings: settings, asOf: context.asOf)
        for provider in index.snapshot.providers {
            guard let office = OfficeIndex.office(of: provider) else {
                context.report(Self.noOffice(provider))
                continue
            }
            report.add(provider, office: office, grace: graces[provider.code], context: context)
        }
        report.addCheques(validated: try context.store.validatedCheques())
        let tables = report.tables
        try oweReminders(tables["reminders"], in: context)
        return StageOutput(
            tables: tables, rowsIn: index.snapshot.providers.count, rowsOut: tables["membership"]?.rows.count ?? 0)
    }

    /// The outbox: each due reminder is owed with the stage's record. The reminders are worked out again from the
    /// store every run, so one an earlier run owes is sent again while due (it is among this run's); one no
    /// longer due (the deadline has passed, the provider has paid) is owed nothing any more.
    private func oweReminders(_ reminders: Table?, in context: StageContext) throws {
        guard let reminders else { return }
        let keys = reminders.rows.map { row in
            ["provider_code", "office", "deadline"].map { reminders.value($0, in: row).storageText }.joined(
                separator: "/")
        }
        context.owe(OutboxKind.membershipReminder, keys: keys)
        guard context.isRead(table: "reminders") else { return }
        let due = Set(keys)
        let gone = try context.store.pendingOutbox(kind: OutboxKind.membershipReminder, createdBefore: context.runID)
            .filter { !due.contains($0) }
        guard !gone.isEmpty else { return }
        try context.store.markOutboxPrepared(
            kind: OutboxKind.membershipReminder, entityKeys: gone, scope: context.writeScope)
        context.note("\(gone.count) reminder(s) owed by an earlier run no longer due: dropped")
    }

    /// The grace period of each non-member provider with an office: configured notice, else stored first sighting.
    private func gracePeriods(
        _ index: OfficeIndex, _ settings: OfficeConfiguration, _ context: StageContext
    ) throws -> [String: GracePeriod] {
        let pending = index.snapshot.providers.filter { !$0.isMember }.compactMap { p in
            OfficeIndex.office(of: p).map {
                MembershipNotice(providerCode: p.code, office: $0, notifiedAt: context.asOf)
            }
        }
        let stored = try context.store.membershipNotices(pending, scope: context.writeScope)
        var result: [String: GracePeriod] = [:]
        for notice in pending {
            let first = stored.first { $0.providerCode == notice.providerCode && $0.office == notice.office }
            let told = settings.notified[notice.providerCode] ?? first?.notifiedAt ?? notice.notifiedAt
            result[notice.providerCode] = GracePeriod(notifiedAt: told, hours: settings.graceHours(of: notice.office))
        }
        return result
    }

    private static func noOffice(_ provider: ProviderRecord) -> Diagnostic {
        Diagnostic(
            rule: "transform.office_membership.no_office", severity: .warning, location: .file(""),
            message: "l'hébergeur \(provider.code) (\(provider.name)) n'a déclaré aucun office de tourisme ; "
                + "il ne figure dans le rapport d'aucun office",
            found: provider.code, fix: "renseigner la colonne « Office de tourisme » dans le fichier des hébergeurs")
    }
}
