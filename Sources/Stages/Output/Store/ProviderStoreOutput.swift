import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Stores providers and their accommodations by code, from the providers-and-accommodations file.
///
/// One row per accommodation; provider fields are taken from the provider's first row. New ones are
/// created, changed fields updated and recorded, unchanged ones untouched; a provider absent from the
/// file is reported (`output.store_providers.absent`, warning), never deleted. An accommodation whose
/// `formula` is `conflict` keeps its stored formula. Writes `changes`, `absent_providers` and `rows`.
///
/// ```yaml
/// store_providers: { kind: output.store_providers, inputs: [check_membership] }
/// ```
struct ProviderStoreOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.store_providers",
        summary: "Store providers and accommodations by code; report providers absent from the file.",
        options: [], inputs: 1...1)

    init(spec: StageSpec) throws {}

    var tableReads: TableReads { .inputsOnly }
    var inputFields: [FieldRequirement] {
        [.required("provider_code", .text), .required("accommodation_code", .text)]
            + [
                "provider_name", "provider_email", "phone", "office", "provider_address", "accommodation_name", "type",
                "formula",
            ].map { FieldRequirement($0, .text) }
            + [
                FieldRequirement("is_member", .boolean), FieldRequirement("membership_paid_on", .date),
                FieldRequirement("capacity", .integer),
            ]
    }

    /// Every row it is given is stored or rejected: the run checks the providers file's rows add up.
    var storesRows: Bool { true }

    /// Its input's rows that were stored, the changes, and the providers absent from the file.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] {
        [inputs.primary, ChangeTable.shape, TableShape("absent_providers", fields: Self.absentColumns, types: [:])]
    }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let table = try ValidationSupport.primary(inputs, stage: context.stageName)
        // Records in arrays, found by code through an index that goes before the store is written: a central's
        // 100 000 accommodations cost their records once, not a dictionary of records plus copies of its values.
        var providers: [ProviderRecord] = []
        var accommodations: [AccommodationRecord] = []
        var providerIndex: [String: Int] = [:]
        var accommodationIndex: [String: Int] = [:]
        accommodationIndex.reserveCapacity(table.rows.count)
        var accepted = table.emptyCopy()
        for row in table.rows {
            guard let code = table.value("provider_code", in: row).text,
                let accommodation = table.value("accommodation_code", in: row).text
            else {
                context.reject([
                    Diagnostic(
                        rule: "output.store_providers.incomplete", location: row.location,
                        message: "ligne sans code hébergeur ou sans code hébergement",
                        fix: "complétez les codes puis réimportez le fichier")
                ])
                continue
            }
            if providerIndex[code] == nil {  // a provider's fields come from its first row
                providerIndex[code] = providers.count
                providers.append(provider(table, row, code))
            }
            let record = self.accommodation(table, row, code: accommodation, provider: code)
            if let i = accommodationIndex[accommodation] {  // an accommodation listed twice: the last row wins
                accommodations[i] = record
            } else {
                accommodationIndex[accommodation] = accommodations.count
                accommodations.append(record)
            }
            accepted.rows.append(row)
        }
        providerIndex = [:]
        accommodationIndex = [:]
        providers.sort { $0.code < $1.code }
        accommodations.sort { $0.code < $1.code }
        let result = try context.store.upsertProviders(
            providers, accommodations: accommodations, scope: context.writeScope)
        context.recordChanges(result.changes)
        context.recordStored(accepted.rows.lazy.map(\.location))
        report(result, context)
        return StageOutput(
            rows: accepted, rowsIn: table.rows.count,
            extra: [
                "changes": ChangeTable.table(result.changes), "absent_providers": absentTable(result.absentProviders),
            ])
    }

    private func provider(_ table: Table, _ row: Row, _ code: String) -> ProviderRecord {
        ProviderRecord(
            code: code, name: table.value("provider_name", in: row).text ?? code,
            email: table.value("provider_email", in: row).text, phone: table.value("phone", in: row).text,
            office: table.value("office", in: row).text, isMember: table.value("is_member", in: row).bool ?? true,
            membershipPaidOn: table.value("membership_paid_on", in: row).date,
            address: table.value("provider_address", in: row).text)
    }

    private func accommodation(_ table: Table, _ row: Row, code: String, provider: String) -> AccommodationRecord {
        let formula = table.value("formula", in: row).text
        return AccommodationRecord(
            code: code, providerCode: provider, name: table.value("accommodation_name", in: row).text ?? code,
            type: table.value("type", in: row).text, capacity: table.value("capacity", in: row).integer,
            formula: formula.flatMap(PassFormula.init(rawValue:)), hasFormulaConflict: formula == "conflict")
    }

    private func report(_ result: ProviderUpsertResult, _ context: StageContext) {
        let verb = context.isDryRun ? "would store" : "stored"
        context.note(
            "\(verb) providers: \(result.createdProviders.count) new, \(result.updatedProviders.count) updated, "
                + "\(result.unchangedProviders) unchanged; accommodations: \(result.createdAccommodations.count) new, "
                + "\(result.updatedAccommodations.count) updated, \(result.unchangedAccommodations) unchanged")
        for absent in result.absentProviders {
            context.report(
                Diagnostic(
                    rule: "output.store_providers.absent", severity: .warning, location: .file(""),
                    message:
                        "l'hébergeur \(absent.code) (\(absent.name)) est absent du dernier fichier ; il est conservé",
                    found: absent.code,
                    fix: "si l'hébergeur a quitté la centrale, archivez-le ; sinon ajoutez-le au prochain export"))
        }
    }

    static let absentColumns = ["provider_code", "provider_name", "office", "provider_email"]

    private func absentTable(_ providers: [ProviderRecord]) -> Table {
        var table = Table(columns: Self.absentColumns)
        for p in providers {
            table.rows.append(
                Row(
                    location: .file(""),
                    values: [.text(p.code), .text(p.name), .text(p.office ?? ""), .text(p.email ?? "")]))
        }
        return table
    }
}
