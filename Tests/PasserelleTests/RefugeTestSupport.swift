import Foundation
import PasserelleCore
import PasserelleEngine
import Testing

@testable import Passerelle

/// Runs refuge pipelines on the fixtures of `Fixtures/refuge/` (issue 6, items 6–7).
enum RefugeTestSupport {
    static func fixture(_ name: String) -> String { TestSupport.fixture("refuge/\(name)").path }

    /// The bookings' column mapping, as `pipelines/channel-sync.yml` declares it.
    static let columns = """
              columns:
                reference: { headers: [Référence, Réf.], required: true }
                refuge: [Refuge, Code refuge]
                booked_at: { headers: [Réservé le, Date de réservation], type: datetime, required: true }
                arrival: { headers: [Arrivée, Date d'arrivée], type: date, required: true }
                departure: { headers: [Départ, Date de départ], type: date, required: true }
                tariff: { headers: [Tarif, Code tarif], required: true }
                quantity: { headers: [Quantité, Nombre de places], type: integer, required: true }
                supplements: [Suppléments, Options]
                guest_name: [Client, Nom du client]
                email: { headers: [E-mail, Email, Courriel], type: email }
                language: [Langue]
                source:
                  headers: [Source, Canal]
                  required: true
                  values: { online: [En ligne, Internet], phone: [Téléphone, Tél] }
                status:
                  headers: [Statut, État]
                  values:
                    reservation: [Réservation, Confirmée]
                    pre_reservation: [Pré-réservation, Pré-résa]
                    cancelled: [Annulée, Annulé]
                amount: { headers: [Montant, Montant TTC], type: money }
        """

    /// A pipeline reading `bookings` with the given definitions, and the planning report when `report` is set.
    static func yaml(bookings: String, definitions: [String] = ["refuge-test.yml"], report: Bool = false) -> String {
        var yaml = """
            name: refuge-test
            stages:
              bookings:
                kind: ingest.csv
                options:
                  path: \(fixture(bookings))
            \(columns)
              stock:
                kind: transform.refuge_stock
                inputs: [bookings]
                options: { definitions: [\(definitions.map(fixture).joined(separator: ", "))] }

            """
        if report {
            let template = TestSupport.repositoryRoot.appendingPathComponent("reports/planning/planning.html.mustache")
                .path
            yaml += """
                  report:
                    kind: output.planning_report
                    inputs: [stock]
                    options: { template: \(template) }

                """
        }
        return yaml
    }

    /// Runs a refuge pipeline in `folder` (the same folder twice = the same store).
    static func run(
        _ bookings: String, in folder: URL, definitions: [String] = ["refuge-test.yml"], report: Bool = false,
        force: Bool = false
    ) throws -> RunReport {
        try ChannelTestSupport.run(
            yaml(bookings: bookings, definitions: definitions, report: report), in: folder, force: force)
    }

    /// A table's rows as `field=value` strings of the given fields (storage text), row by row.
    static func rows(_ table: Table?, _ fields: [String]) -> [String] {
        guard let table else { return [] }
        return table.rows.map { row in
            fields.map { "\($0)=\(table.value($0, in: row).storageText)" }.joined(separator: " ")
        }
    }

    /// The availability row of one day and stock type: `total/booked/available/state`.
    static func availability(_ table: Table?, _ date: String, _ type: String) -> String? {
        guard let table else { return nil }
        let row = table.rows.first {
            table.value("date", in: $0).storageText == date && table.value("stock_type", in: $0).storageText == type
        }
        return row.map { row in
            ["total", "booked", "available", "state"].map { table.value($0, in: row).storageText }.joined(
                separator: "/")
        }
    }
}
