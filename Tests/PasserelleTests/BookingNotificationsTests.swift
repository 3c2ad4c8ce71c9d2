import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import PasserelleStore
import Testing

@testable import Passerelle
@testable import PasserelleStages

/// `output.booking_notifications` (issue 6 item 8): the e-mails of new bookings in the account's languages,
/// read back with Python's `email` package, the host's copy, "never twice", resend, and the accounts' errors.
@Suite struct BookingNotificationsTests {
    static let folder = "notifications-reservations"

    /// A pipeline: the contract table of `Fixtures/notifications/bookings.json`, then the notifications.
    static func yaml(accounts: String = "comptes.yml", resend: String? = nil) -> String {
        """
        name: notifications-test
        stages:
          refuge:
            kind: test.new_bookings
            options: { path: \(TestSupport.fixture("notifications/bookings.json").path) }
          mails:
            kind: output.booking_notifications
            inputs: [refuge]
            options:
              accounts: \(TestSupport.fixture("notifications/\(accounts)").path)
              template: \(TestSupport.repositoryRoot.appendingPathComponent("reports/emails/bookings").path)
        \(resend.map { "      resend: \"\($0)\"" } ?? "")
        """
    }

    /// Runs `yaml` in `folder` (the same folder twice = the same store) with the test stage in the catalog.
    static func run(_ yaml: String, in folder: URL) throws -> RunReport {
        let file = folder.appendingPathComponent("pipeline.yml")
        try Data(yaml.utf8).write(to: file)
        let passerelle = Passerelle(catalog: StageCatalog.all + [NewBookingsFixtureStage.self], environment: [:])
        let loaded = passerelle.load(file.path)
        let spec = try #require(loaded.spec, "\(loaded.diagnostics.map(\.rendered))")
        return try passerelle.run(
            spec, options: TestSupport.options(in: folder), observer: nil, logger: TestSupport.quietLogger)
    }

    /// The batch's messages by key, as written.
    static func messages(_ report: RunReport) throws -> [String: String] {
        let batch = report.outputDirectory.appendingPathComponent(folder)
        guard FileManager.default.fileExists(atPath: batch.path) else { return [:] }
        var messages: [String: String] = [:]
        for entry in try BatchManifest(batchFolder: batch).entries {
            let data = try Data(contentsOf: report.outputDirectory.appendingPathComponent(entry.file))
            messages[entry.key] = String(decoding: data, as: UTF8.self)
        }
        return messages
    }

    static func message(_ messages: [String: String], _ reference: String, copy: Bool = false) throws -> String {
        let kind = copy ? "booking_notification_copy" : "booking_notification"
        return try #require(
            messages["\(kind):refuge/\(reference):v1"], "no message for \(reference): \(messages.keys.sorted())")
    }

    func parse(_ message: String) throws -> EmailMessageTests.Parsed { try EmailMessageTests().parse(message) }

    @Test func writesThePreReservationInFrenchWithTheBasketAndBothPartiesDetails() throws {
        let report = try Self.run(Self.yaml(), in: try TestSupport.temporaryDirectory())
        let raw = try Self.message(try Self.messages(report), "REF-0001")
        #expect(raw.contains("\r\nSubject: =?UTF-8?Q?Votre_pr=C3=A9-r=C3=A9servation_REF-0001_au_Refuge_du_Lac?=\r\n"))
        let parsed = try parse(raw)
        #expect(parsed.defects == [])
        #expect(parsed.from == [["Refuge du Lac", "reservations@refuge-du-lac.example"]])
        #expect(parsed.to == [["Marie Dupont", "marie.dupont@example.fr"]])
        #expect(parsed.replyTo == [["Refuge du Lac", "gardien@refuge-du-lac.example"]])
        #expect(parsed.subject == "Votre pré-réservation REF-0001 au Refuge du Lac")
        #expect(parsed.partTypes == ["multipart/alternative", "text/plain", "text/html"])
        #expect(parsed.extra["Auto-Submitted"] == "auto-generated")
        #expect(
            parsed.text?.replacingOccurrences(of: "\r\n", with: "\n") == """
                Bonjour Marie Dupont,

                Votre pré-réservation de 2 nuit(s) est enregistrée. Elle sera confirmée à réception de l'acompte de 43,20\u{A0}€.

                Le gardien

                Récapitulatif (pré-réservation)
                Référence : REF-0001
                Hébergement : Refuge du Lac – dortoir
                Arrivée : 10 juillet 2027
                Départ : 12 juillet 2027
                Nuits : 2
                Personnes : 2
                Panier :
                  - Nuitée en dortoir × 2 personnes × 2 nuits : 96,00 €
                  - Demi-pension × 2 personnes × 2 nuits : 48,00 €
                Montant : 144,00\u{A0}€
                Acompte : 43,20\u{A0}€

                Vos coordonnées
                Nom : Marie Dupont
                E-mail : marie.dupont@example.fr

                Votre hôte
                Refuge du Lac
                E-mail : gardien@refuge-du-lac.example
                Téléphone : 04 79 00 11 22
                Lac de la Vogealle
                74740 Sixt-Fer-à-Cheval

                """)
        #expect(parsed.html?.contains("<p>Bonjour Marie Dupont,</p>") == true)
        #expect(parsed.html?.contains("<th align=\"left\">Acompte</th><td>43,20\u{A0}€</td>") == true)
    }

    @Test(arguments: [
        (
            "REF-0002", "Your booking REF-0002 at Refuge du Lac",
            [
                "Hello John Smith,", "See you at the refuge on 1 August 2027!", "Summary (booking)",
                "Arrival: 1 August 2027",
                "Nights: 1", "Amount: €1,234.50", "Your details", "Your host",
            ]
        ),
        (
            "REF-0003", "La sua prenotazione REF-0003 al Refuge du Lac",
            [
                "Buongiorno Giulia Rossi,", "Riepilogo (prenotazione)", "Arrivo: 3 agosto 2027",
                "Partenza: 5 agosto 2027",
                "Notti: 2", "Importo: 1.234,50\u{A0}€", "I suoi dati", "Il suo host",
            ]
        ),
        (
            "REF-0004", "Ihre Vorreservierung REF-0004 im Refuge du Lac",
            [
                "Guten Tag Jonas Weiß,", "wir erwarten Ihre Anzahlung von 60,00\u{A0}€.",
                "Zusammenfassung (Vorreservierung)",
                "Anreise: 6. August 2027", "Personen: 4", "Anzahlung: 60,00\u{A0}€", "Ihre Angaben", "Ihr Gastgeber",
            ]
        ),
        (
            "REF-0005", "Su reserva REF-0005 en el Refuge du Lac",
            [
                "Hola Lucía Gómez:", "¡hasta pronto en el refugio, el 8 de agosto de 2027!", "Resumen (reserva)",
                "Llegada: 8 de agosto de 2027", "Noches: 2", "Importe: 300,00\u{A0}€", "Sus datos", "Su anfitrión",
            ]
        ),
        (
            // Portuguese is not offered by the account: its first language, French.
            "REF-0006", "Votre réservation REF-0006 au Refuge du Lac",
            ["Bonjour João Silva,", "Récapitulatif (réservation)", "Arrivée : 11 août 2027"]
        ),
    ])
    func writesInTheClientsLanguageWhenTheAccountOffersIt(reference: String, subject: String, lines: [String]) throws {
        let report = try Self.run(Self.yaml(), in: try TestSupport.temporaryDirectory())
        let parsed = try parse(try Self.message(try Self.messages(report), reference))
        #expect(parsed.defects == [])
        #expect(parsed.subject == subject)
        let text = parsed.text?.replacingOccurrences(of: "\r\n", with: "\n") ?? ""
        for line in lines { #expect(text.contains(line), "missing '\(line)' in:\n\(text)") }
    }

    @Test func sendsACopyToTheHostThatTheHostCanAnswer() throws {
        let report = try Self.run(Self.yaml(), in: try TestSupport.temporaryDirectory())
        let messages = try Self.messages(report)
        let parsed = try parse(try Self.message(messages, "REF-0002", copy: true))
        #expect(parsed.defects == [])
        #expect(parsed.from == [["Refuge du Lac", "reservations@refuge-du-lac.example"]])
        #expect(parsed.to == [["Refuge du Lac", "gardien@refuge-du-lac.example"]])
        #expect(parsed.replyTo == [["John Smith", "john.smith@example.co.uk"]])
        // The host's language (the account's first) frames the copy of the client's English message.
        #expect(parsed.subject == "Copie : Your booking REF-0002 at Refuge du Lac")
        let text = parsed.text?.replacingOccurrences(of: "\r\n", with: "\n") ?? ""
        #expect(text.hasPrefix("Copie du message envoyé à John Smith <john.smith@example.co.uk>\n---"))
        #expect(text.contains("Hello John Smith,\n\nSee you at the refuge on 1 August 2027!"))
    }

    @Test func countsBookingsWithoutEMailAndReportsTheOthersThatGetNone() throws {
        let report = try Self.run(Self.yaml(), in: try TestSupport.temporaryDirectory())
        let mails = try #require(report.results.first { $0.name == "mails" })
        #expect(mails.output.rowsIn == 10 && mails.output.rowsOut == 12)  // 6 bookings mailed, each with its copy
        #expect(
            mails.notes.first == "prepared 6 booking e-mail(s) to clients and 6 copies to hosts for 10 new booking(s); "
                + "0 message(s) already sent before; 1 booking(s) without e-mail, 0 cancelled in the same run, "
                + "1 without account, 2 reported")
        #expect(
            mails.findings.map(\.rule) == [
                "output.booking_notifications.no_account", "output.booking_notifications.unknown_status",
                "output.booking_notifications.unsafe_message",
            ])
        #expect(mails.findings.first?.message.contains("« REF-COL »") == true)
        #expect(try Self.messages(report).keys.contains { $0.contains("REF-0007") } == false)
    }

    @Test func importingAgainSendsNothingTwiceAndResendIsOnRequest() throws {
        let folder = try TestSupport.temporaryDirectory()
        _ = try Self.run(Self.yaml(), in: folder)
        let again = try Self.run(Self.yaml(), in: folder)
        #expect(try Self.messages(again).isEmpty)
        #expect(
            again.results.first { $0.name == "mails" }?.notes.first?.contains("12 message(s) already sent before")
                == true)
        let resent = try Self.run(Self.yaml(resend: "REF-0002, REF-9999"), in: folder)
        let messages = try Self.messages(resent)
        #expect(
            messages.keys.sorted() == [
                "booking_notification:refuge/REF-0002/resend-r3:v1",
                "booking_notification_copy:refuge/REF-0002/resend-r3:v1",
            ])
        let mails = try #require(resent.results.first { $0.name == "mails" })
        #expect(mails.findings.map(\.rule).contains("output.booking_notifications.unknown_resend"))
    }

    /// `output.store_channel_bookings` writes the input contract: a Weekendesk booking is e-mailed from its table.
    @Test func channelBookingsFollowTheInputContract() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.run(Self.channelYAML("weekendesk/01-commit.xml"), in: folder)
        let store = try #require(report.results.first { $0.name == "store" }).output.tables["new_bookings"]
        for (column, value) in [
            ("reference", "31245678"), ("source", "Weekendesk"), ("status", "reservation"), ("language", "fr"),
            ("email", "elodie.marchand@example.fr"), ("guests", "3"), ("amount", "232.00"), ("deposit", ""),
        ] {
            #expect(ChannelTestSupport.column(store, column) == [value], "\(column)")
        }
        let raw = try #require(try Self.messages(report)["booking_notification:Weekendesk/31245678:v1"])
        let parsed = try parse(raw)
        #expect(parsed.from == [["Les Sorbiers", "bonjour@les-sorbiers.example"]])
        #expect(parsed.replyTo == [])  // the host's address is the sender's
        #expect(parsed.subject == "Réservation 31245678 confirmée")
        let text = parsed.text?.replacingOccurrences(of: "\r\n", with: "\n") ?? ""
        #expect(
            text.contains("Hébergement : CHB-SORB-DBL\nArrivée : 13 février 2027\nDépart : 15 février 2027\nNuits : 2"))
        #expect(text.contains("Panier :\n  - 2027-02-13 · Chambre double (Week-end détente) · 116.00 EUR\n"))
        #expect(text.contains("Montant : 232,00\u{A0}€\n"))
    }

    @Test func aBookingCancelledInTheSameRunGetsNoEMail() throws {
        let report = try Self.run(Self.channelYAML("weekendesk"), in: try TestSupport.temporaryDirectory())
        #expect(try Self.messages(report).isEmpty)
        let note = try #require(report.results.first { $0.name == "mails" }?.notes.first)
        #expect(note.contains("for 1 new booking(s)") && note.contains("1 cancelled in the same run"))
    }

    /// The outbox (issue 20, part 4): a new booking's e-mail is owed from the transaction that stores it. Here the
    /// channel and refuge bookings are stored, then a third feed fails and the notification stage never runs; the
    /// next run, which finds nothing new, sends the owed e-mails, and a third sends nothing.
    @Test func aRunThatFailsAfterStoringBookingsLeavesTheirEMailsForTheNextRun() throws {
        let folder = try TestSupport.temporaryDirectory()
        let calendar = folder.appendingPathComponent("calendrier.ics")
        try Data("<html>not a calendar</html>\n".utf8).write(to: calendar)
        let yaml = """
            name: owed-bookings
            stages:
              messages:
                kind: ingest.ota_xml
                options: { path: \(ChannelTestSupport.fixture("weekendesk/01-commit.xml")), accommodations: { AL_SORB/RO_DOUBLE: CHB-SORB-DBL } }
              store: { kind: output.store_channel_bookings, inputs: [messages] }
              bookings:
                kind: ingest.csv
                options:
                  path: \(RefugeTestSupport.fixture("month.csv"))
            \(RefugeTestSupport.columns)
              stock:
                kind: transform.refuge_stock
                inputs: [bookings]
                options: { definitions: [\(RefugeTestSupport.fixture("refuge-test.yml"))] }
              calendars:
                kind: ingest.ical
                options: { feeds: [{ path: \(calendar.path), accommodation: CHB-SORB-DBL }] }
              store_calendars: { kind: output.store_channel_bookings, inputs: [calendars] }
              mails:
                kind: output.booking_notifications
                inputs: [store, stock, store_calendars]
                options:
                  accounts: \(TestSupport.fixture("notifications/comptes.yml").path)
                  template: \(TestSupport.repositoryRoot.appendingPathComponent("reports/emails/bookings").path)
            """
        let failed = try Self.run(yaml, in: folder)
        #expect(!failed.succeeded)
        #expect(failed.results.map(\.name).contains("store") && failed.results.map(\.name).contains("stock"))
        #expect(!failed.results.map(\.name).contains("mails"))
        let store = try Store(path: TestSupport.options(in: folder).storePath)
        let owed = try store.pendingOutbox(kind: OutboxKind.booking, createdBefore: Int64.max)
        #expect(owed.contains("Weekendesk/31245678"))
        #expect(owed.filter { $0.hasPrefix("refuge/") }.count == 5)  // month.csv: six with an e-mail, one cancelled

        try FileManager.default.removeItem(at: calendar)
        try FileManager.default.copyItem(atPath: ChannelTestSupport.fixture("airbnb-day1.ics"), toPath: calendar.path)
        let next = try Self.run(yaml, in: folder)
        #expect(next.succeeded, "\(next.summary)")
        #expect(try store.pendingOutbox(kind: OutboxKind.booking, createdBefore: Int64.max).isEmpty)
        #expect(try Self.messages(next)["booking_notification:Weekendesk/31245678:v1"] != nil)
        let stock = try #require(next.results.first { $0.name == "stock" })
        #expect(stock.notes.contains { $0.hasPrefix("5 refuge booking(s) stored by an earlier run still owed") })
        #expect(try #require(next.results.first { $0.name == "store" }).notes.contains {
            $0.hasPrefix("1 channel booking(s) stored by an earlier run still owed")
        })

        let third = try Self.run(yaml, in: folder)
        #expect(third.succeeded, "\(third.summary)")
        #expect(try Self.messages(third).isEmpty)
    }

    static func channelYAML(_ fixture: String) -> String {
        """
        name: channel-notifications-test
        stages:
          messages:
            kind: ingest.ota_xml
            options: { path: \(ChannelTestSupport.fixture(fixture)), accommodations: { AL_SORB/RO_DOUBLE: CHB-SORB-DBL } }
          store: { kind: output.store_channel_bookings, inputs: [messages] }
          mails:
            kind: output.booking_notifications
            inputs: [store]
            options:
              accounts: \(TestSupport.fixture("notifications/comptes.yml").path)
              template: \(TestSupport.repositoryRoot.appendingPathComponent("reports/emails/bookings").path)
        """
    }

    /// What `check` (and `run`, which loads the same way) reports for `yaml`: the stages are built when the
    /// definition is loaded, so a mistake in the accounts file is found before anything runs.
    static func check(_ yaml: String, in folder: URL) throws -> [String] {
        let file = folder.appendingPathComponent("pipeline.yml")
        try Data(yaml.utf8).write(to: file)
        let passerelle = Passerelle(catalog: StageCatalog.all + [NewBookingsFixtureStage.self], environment: [:])
        let loaded = passerelle.load(file.path)
        #expect(loaded.spec == nil)
        return loaded.diagnostics.map(\.rendered)
    }

    @Test func aMissingSenderAddressIsFoundByCheckWithTheFileLineAndFix() throws {
        let folder = try TestSupport.temporaryDirectory()
        let path = TestSupport.fixture("notifications/comptes-sans-expediteur.yml").path
        #expect(
            try Self.check(Self.yaml(accounts: "comptes-sans-expediteur.yml"), in: folder) == [
                """
                \(path):4:5: error: account 'refuge-du-lac' has no 'sender' address (the address its booking e-mails \
                are sent from) [notifications.missingSender]
                  fix: add 'sender: reservations@your-domain.example' to the account, an address of the host's own \
                domain that its mail server sends from
                """
            ])
    }

    @Test func aMalformedSenderAddressIsFoundByCheckWithTheFileLineAndFix() throws {
        let folder = try TestSupport.temporaryDirectory()
        let path = TestSupport.fixture("notifications/comptes-expediteur-invalide.yml").path
        #expect(
            try Self.check(Self.yaml(accounts: "comptes-expediteur-invalide.yml"), in: folder) == [
                """
                \(path):5:13: error: 'sender' of account 'refuge-du-lac' is 'Refuge du Lac \
                <reservations@refuge-du-lac>', not an e-mail address [notifications.malformedSender]
                  fix: write the whole address, e.g. reservations@gite-du-lac.example (ASCII letters only, no name)
                """
            ])
    }

    @Test func anUnknownKeyInTheAccountsFileIsFoundByCheckWithADidYouMean() throws {
        let folder = try TestSupport.temporaryDirectory()
        let accounts = try String(contentsOf: TestSupport.fixture("notifications/comptes.yml"), encoding: .utf8)
        let misspelt = accounts.replacingOccurrences(of: "    sender:", with: "    sendr:")
        #expect(misspelt != accounts)
        let file = folder.appendingPathComponent("comptes.yml")
        try Data(misspelt.utf8).write(to: file)
        let yaml = Self.yaml(accounts: "comptes.yml").replacingOccurrences(
            of: TestSupport.fixture("notifications/comptes.yml").path, with: file.path)
        let rendered = try Self.check(yaml, in: folder)
        let first = try #require(rendered.first)
        #expect(first.hasPrefix("\(file.path):"))
        #expect(first.contains("error: unknown key 'sendr' in account "))
        #expect(first.hasSuffix("[notifications.unknownKey]\n  fix: did you mean 'sender'?"))
    }
}

/// A test stage standing for a refuge stage: the `new_bookings` table of a JSON array of text fields.
struct NewBookingsFixtureStage: Stage {
    static let columns = [
        "reference", "source", "accommodation_code", "accommodation_name", "status", "arrival", "departure",
        "guest_name", "email", "language", "guests", "amount", "deposit", "basket",
    ]
    static let schema = StageKindSchema(
        kind: "test.new_bookings", summary: "A new_bookings table from JSON.",
        options: [OptionSpec("path", .path(mustExist: true), required: true, "JSON array of objects.")], inputs: 0...0)

    let path: String

    init(spec: StageSpec) throws { path = spec.options.string("path") ?? "" }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [.rows(Self.columns), TableShape("new_bookings", fields: Self.columns)] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let objects = try JSONDecoder().decode(
            [[String: String]].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        let rows = objects.enumerated().map { index, object in
            Row(
                location: .csv(file: path, line: index + 2, field: nil, header: nil),
                values: Self.columns.map { object[$0].map(Value.text) ?? .null })
        }
        let table = Table(columns: Self.columns, rows: rows)
        return StageOutput(rows: table, rowsIn: rows.count, extra: ["new_bookings": table])
    }
}
