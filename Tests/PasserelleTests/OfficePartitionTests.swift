import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import PasserelleStore
import Testing

@testable import Passerelle
@testable import PasserelleStages

/// `pipelines/office-reports.yml` on a store planted with look-alike data across offices: same provider
/// names, same client names and e-mails, a provider that moved office. No office's files or e-mail may
/// mention another office's provider, accommodation, stay, client or total (issue 5, point 5).
@Suite struct OfficePartitionTests {
    static let gets = "Office de Tourisme des Gets"
    static let morzine = "Office de Tourisme de Morzine"
    static let abondance = "Office de Tourisme d'Abondance"
    static let pipeline = TestSupport.repositoryRoot.appendingPathComponent("pipelines/office-reports.yml").path

    /// The run's clock: Tuesday 24/11/2026 10:00 in Paris.
    static func now() throws -> Date {
        ParisTime.instant(try #require(CalendarDate(year: 2026, month: 11, day: 24)), hour: 10, minute: 0)
    }

    static func config(in folder: URL) throws -> String {
        let file = folder.appendingPathComponent("offices.yml")
        try Data(
            """
            offices:
              \(gets): { email: adhesions@ot-lesgets.example, grace_hours: 48 }
              \(morzine): { email: adhesions@ot-morzine.example, grace_hours: 72 }
              \(abondance): { email: adhesions@ot-abondance.example, grace_hours: 48 }
            notified:
              GA1: 2026-11-22 08:00
              MB1: 2026-11-22 08:00
            pass_saison:
              covered_percent: 60
              extra_bed_prices: [{ until: 2022-06-30, price: "40,00" }, { from: 2022-07-01, price: "60,00" }]
            delivery_modes: { B2B: [Centrale], B2C: [Direct] }
            """.utf8
        ).write(to: file)
        return file.path
    }

    static func providers(movedTo office: String) -> [ProviderRecord] {
        [
            ProviderRecord(
                code: "GA1", name: "Chalet du Lac", email: "lac@example.fr", phone: "04 50 00 00 01", office: gets,
                isMember: false),
            ProviderRecord(
                code: "GA2", name: "Les Sapins", email: "sapins@example.fr", office: gets, isMember: true,
                membershipPaidOn: CalendarDate(year: 2026, month: 10, day: 1)),
            ProviderRecord(
                code: "MB1", name: "Chalet du Lac", email: "lac@example.fr", phone: "04 50 00 00 02", office: morzine,
                isMember: false),
            ProviderRecord(
                code: "MB2", name: "Les Sapins", email: "sapins@example.fr", office: morzine, isMember: true),
            ProviderRecord(
                code: "MV1", name: "Gîte Voyageur", email: "voyageur@example.fr", office: office, isMember: false),
        ]
    }

    static let accommodations = [
        AccommodationRecord(
            code: "GA1-A", providerCode: "GA1", name: "Chalet du Lac", capacity: 6, formula: .passSejour),
        AccommodationRecord(code: "GA2-A", providerCode: "GA2", name: "Les Sapins", capacity: 10, formula: .passSaison),
        AccommodationRecord(
            code: "MB1-A", providerCode: "MB1", name: "Chalet du Lac", capacity: 6, formula: .passSejour),
        AccommodationRecord(code: "MB2-A", providerCode: "MB2", name: "Les Sapins", capacity: 20, formula: .passSaison),
        AccommodationRecord(code: "MV1-A", providerCode: "MV1", name: "Gîte Voyageur", capacity: 4),
    ]

    static func stay(
        _ ref: String, _ acc: String, _ last: String, _ from: (Int, Int), _ to: (Int, Int), beds: Int64,
        cents: Int64, payment: String = "card", channel: String = "Direct"
    ) throws -> StayRecord {
        StayRecord(
            reference: ref, accommodationCode: acc, lastName: last, firstName: "Marie",
            email: "marie.dupont@example.fr",
            arrival: try #require(CalendarDate(year: 2027, month: from.0, day: from.1)),
            departure: try #require(CalendarDate(year: 2027, month: to.0, day: to.1)), partySize: beds,
            amount: Money(cents: cents), channel: channel, paymentMode: payment)
    }

    /// Look-alike stays: the same client in both offices, overlaps in both, cheques in both, extra beds in both.
    static func stays() throws -> [StayRecord] {
        [
            try stay("A-STAY-1", "GA1-A", "Dupont", (1, 2), (1, 9), beds: 4, cents: 1111_11, payment: "cheque"),
            try stay("A-STAY-2", "GA1-A", "Aubert", (1, 5), (1, 12), beds: 2, cents: 3131_31),
            try stay("A-STAY-3", "GA2-A", "Dupont", (2, 6), (2, 13), beds: 8, cents: 4141_41, channel: "Centrale"),
            try stay("B-STAY-1", "MB1-A", "Dupont", (1, 2), (1, 9), beds: 4, cents: 2222_22, payment: "cheque"),
            try stay("B-STAY-2", "MB1-A", "Berthier", (1, 5), (1, 12), beds: 2, cents: 5151_51),
            try stay("B-STAY-3", "MB2-A", "Dupont", (2, 6), (2, 13), beds: 19, cents: 6161_61, channel: "Centrale"),
            try stay("MV-STAY-1", "MV1-A", "Vasseur", (3, 6), (3, 13), beds: 3, cents: 7171_71),
        ]
    }

    static func seed(_ store: Store, runID: Int64, movedTo office: String) throws -> [String: String] {
        let scope = WriteScope(runID: runID, stage: "seed", commit: true)
        _ = try store.upsertProviders(providers(movedTo: office), accommodations: accommodations, scope: scope)
        let stays = try stays()
        let codes = try store.upsertStays(stays, scope: scope).stayCodes
        return Dictionary(uniqueKeysWithValues: zip(stays.map(\.reference), codes).compactMap { r, c in c.map { (r, $0) } })
    }

    static func run(in folder: URL, asOf: Date, config: String) throws -> RunReport {
        let passerelle = Passerelle(environment: [:])
        let loaded = passerelle.load(pipeline, overrides: ["offices_file": config])
        let spec = try #require(loaded.spec, "\(loaded.diagnostics.map(\.rendered))")
        var options = TestSupport.options(in: folder)
        options.asOf = asOf
        return try passerelle.run(spec, options: options, observer: nil, logger: TestSupport.quietLogger)
    }

    /// Seeds with MV1 in Les Gets, runs (notice to Les Gets), moves MV1 to Morzine, runs again at `now`.
    static func plantedRun() throws -> (report: RunReport, codes: [String: String]) {
        let folder = try TestSupport.temporaryDirectory()
        let config = try config(in: folder)
        let store = try Store(path: TestSupport.options(in: folder).storePath)
        let first = try run(in: folder, asOf: try now().addingTimeInterval(-100 * 3_600), config: config)
        #expect(first.succeeded, "\(first.summary)")
        _ = try seed(store, runID: try store.nextRunID() - 1, movedTo: gets)
        let early = try run(in: folder, asOf: try now().addingTimeInterval(-100 * 3_600), config: config)
        #expect(early.succeeded, "\(early.summary)")
        let codes = try seed(store, runID: try store.nextRunID() - 1, movedTo: morzine)
        let report = try run(in: folder, asOf: try now(), config: config)
        #expect(report.succeeded, "\(report.summary)")
        return (report, codes)
    }

    /// Everything an office receives, as text: HTML pages, workbooks' cells, the e-mail with its attachments decoded.
    static func officeText(_ folder: URL) throws -> String {
        let script = """
            import email, email.policy, io, os, sys, openpyxl
            def cells(data):
                wb = openpyxl.load_workbook(io.BytesIO(data))
                return "\\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
            out = []
            for name in sorted(os.listdir(sys.argv[1])):
                data = open(os.path.join(sys.argv[1], name), 'rb').read()
                if name.endswith('.xlsx'): out.append(cells(data))
                elif name.endswith('.html'): out.append(data.decode('utf-8'))
                elif name.endswith('.eml'):
                    m = email.message_from_bytes(data, policy=email.policy.default)
                    assert not m.defects, m.defects
                    out.append(str(m['To']) + "\\n" + str(m['Subject']))
                    for part in m.walk():
                        if part.is_multipart(): continue
                        payload = part.get_payload(decode=True)
                        name = part.get_filename() or ''
                        out.append('ATTACHMENT ' + name if name else '')
                        out.append(cells(payload) if name.endswith('.xlsx') else payload.decode('utf-8'))
            print("\\n".join(out))
            """
        return try python(["-c", script, folder.path])
    }

    @Test func noOfficeSeesAnotherOfficesProvidersClientsOrTotals() throws {
        let (report, codes) = try Self.plantedRun()
        let root = report.outputDirectory.appendingPathComponent("offices")
        let gets = try Self.officeText(root.appendingPathComponent("office-de-tourisme-des-gets"))
        let morzine = try Self.officeText(root.appendingPathComponent("office-de-tourisme-de-morzine"))
        let abondance = try Self.officeText(root.appendingPathComponent("office-de-tourisme-d-abondance"))
        let stayCodes = { (refs: [String]) in refs.compactMap { codes[$0] } }
        let getsOnly =
            ["GA1", "GA2", "A-STAY-", "AUBERT", "1111,11", "1\u{202F}111,11", "120,00"]
            + stayCodes(["A-STAY-1", "A-STAY-2", "A-STAY-3"])
        let morzineOnly =
            [
                "MB1", "MB2", "MV1", "B-STAY-", "MV-STAY-", "BERTHIER", "VASSEUR", "Gîte Voyageur",
                "2\u{202F}222,22", "420,00",
            ] + stayCodes(["B-STAY-1", "B-STAY-2", "B-STAY-3", "MV-STAY-1"])
        for token in getsOnly {
            #expect(!morzine.contains(token), "Morzine's files mention \(token)")
            #expect(!abondance.contains(token), "Abondance's files mention \(token)")
        }
        for token in morzineOnly {
            #expect(!gets.contains(token), "Les Gets' files mention \(token)")
            #expect(!abondance.contains(token), "Abondance's files mention \(token)")
        }
        // Not vacuous: each office does see its own.
        for token in ["GA1", "A-STAY-1", "AUBERT", "1\u{202F}111,11", "120,00", "ATTACHMENT adhesion.xlsx"] {
            #expect(gets.contains(token), "Les Gets' files lack \(token)")
        }
        for token in ["MB1", "MV1", "B-STAY-1", "BERTHIER", "2\u{202F}222,22", "420,00", "ATTACHMENT pass-saison.html"]
        {
            #expect(morzine.contains(token), "Morzine's files lack \(token)")
        }
        #expect(abondance.contains("Rien à signaler"))
        #expect(abondance.contains("Aucun hébergeur n'a déclaré cet office."))
    }

    @Test func membershipDeadlinesDeactivationsAndRemindersFollowEachOfficesGracePeriod() throws {
        let (report, _) = try Self.plantedRun()
        let result = try #require(report.results.first { $0.name == "membership" })
        let membership = try #require(result.output.tables["membership"])
        func row(_ code: String) -> [String] {
            membership.rows.first { membership.value("provider_code", in: $0).text == code }?.values.map(\.frenchText)
                ?? []
        }
        // Les Gets (48 h): told 22/11 08:00, deadline 24/11 08:00, passed at 10:00.
        #expect(
            Array(row("GA1").suffix(4)) == [
                "22/11/2026 08:00", "48", "24/11/2026 08:00", "délai dépassé : séjours à désactiver",
            ])
        // Morzine (72 h): the same notice ends 25/11 08:00, still running.
        #expect(
            Array(row("MB1").suffix(4)) == ["22/11/2026 08:00", "72", "25/11/2026 08:00", "dans le délai de grâce"])
        // MV1 was told to Les Gets 100 h ago; its move to Morzine starts a new notice now.
        #expect(Array(row("MV1").prefix(2)) == [Self.morzine, "MV1"])
        #expect(
            Array(row("MV1").suffix(4)) == ["24/11/2026 10:00", "72", "27/11/2026 10:00", "dans le délai de grâce"])
        let deactivations = try #require(result.output.tables["deactivations"])
        #expect(
            deactivations.rows.map { deactivations.value("reference", in: $0).text ?? "" } == ["A-STAY-1", "A-STAY-2"])
        #expect(
            deactivations.rows.map { deactivations.value("client", in: $0).text ?? "" } == [
                "DUPONT Marie", "AUBERT Marie",
            ])
        let reminders = try #require(result.output.tables["reminders"])
        #expect(reminders.rows.map { reminders.value("provider_code", in: $0).text ?? "" } == ["MB1", "MV1"])
        let mails = try FileManager.default.contentsOfDirectory(
            atPath: report.outputDirectory.appendingPathComponent("relances-adhesion").path)
        // MB1 was reminded by the earlier run (same notice, same deadline): never twice. MV1's notice is new.
        #expect(mails.filter { $0.hasSuffix(".eml") }.count == 1)
    }
}
