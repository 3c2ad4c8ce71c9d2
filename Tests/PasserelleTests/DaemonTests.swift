import Foundation
import PasserelleCore
import PasserelleStages
import PasserelleStore
import Testing

@testable import Passerelle

/// The daemon loop with a simulated clock, a recording launcher and runs held by the test.
@Suite struct DaemonTests {
    static func definition(_ name: String, schedule: String, in folder: URL, alerts: Bool = false) throws {
        var yaml = "name: \(name)\nschedule: \"\(schedule)\"\n"
        if alerts { yaml += "alerts: { to: [exploitation@example.fr], from: passerelle@example.fr }\n" }
        yaml += "stages:\n  one: { kind: test.pass }\n"
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("\(name).yml"))
    }

    static func daemon(
        root: URL, clock: SimulatedClock, launcher: RecordingLauncher,
        dispatch: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void
    ) -> Daemon {
        Daemon(
            settings: Daemon.Settings(
                definitionsFolder: root.appendingPathComponent("pipelines"),
                store: root.appendingPathComponent("var/passerelle.sqlite").path,
                output: root.appendingPathComponent("out").path),
            passerelle: Passerelle(catalog: [PassStage.self], environment: [:]), launcher: launcher, clock: clock,
            logger: TestSupport.quietLogger, dispatch: dispatch)
    }

    @Test func longRunDelaysTheNextSlotAndARestartRemembersTheLastSlot() throws {
        let root = try TestSupport.temporaryDirectory()
        try Self.definition("every-five", schedule: "*/5 * * * *", in: root.appendingPathComponent("pipelines"))
        let clock = SimulatedClock(try ScheduleTests.instant("2026-11-24T08:00:30Z"))
        let launcher = RecordingLauncher()
        let held = HeldJobs()
        let daemon = Self.daemon(root: root, clock: clock, launcher: launcher, dispatch: { held.hold($0) })
        #expect(daemon.reload() == [])
        daemon.tick()
        #expect(held.count == 0)  // 08:00 came before the daemon started
        clock.advance(seconds: 5 * 60)
        daemon.tick()
        #expect(held.count == 1 && daemon.isRunning("every-five"))
        clock.advance(seconds: 12 * 60)  // 08:17:30: the run is long; the 08:10 and 08:15 slots pass
        daemon.tick()
        #expect(held.count == 1)
        held.runAll()
        daemon.tick()  // the missed slots run once, after the long run
        held.runAll()
        daemon.tick()
        #expect(held.count == 0)
        #expect(launcher.runs == ["every-five", "every-five"])
        let store = try Store(path: root.appendingPathComponent("var/passerelle.sqlite").path)
        #expect(
            try store.lastScheduledSlot(pipeline: "every-five") == (try ScheduleTests.instant("2026-11-24T08:15:00Z")))
        let restarted = Self.daemon(root: root, clock: clock, launcher: launcher, dispatch: { $0() })
        restarted.reload()
        restarted.tick()
        #expect(launcher.runs.count == 2)
        clock.advance(seconds: 3 * 60)
        restarted.tick()
        #expect(launcher.runs.count == 3)
    }

    @Test func failedScheduledRunWritesAnAlert() throws {
        let root = try TestSupport.temporaryDirectory()
        try Self.definition(
            "nightly", schedule: "0 3 * * *", in: root.appendingPathComponent("pipelines"), alerts: true)
        let clock = SimulatedClock(try ScheduleTests.instant("2026-11-24T01:59:00Z"))
        let launcher = RecordingLauncher(
            result: LaunchResult(
                succeeded: false, summary: "run 7 of nightly failed: stage 'one' (test.pass) failed: disk full"))
        let daemon = Self.daemon(root: root, clock: clock, launcher: launcher, dispatch: { $0() })
        daemon.reload()
        clock.advance(seconds: 90)
        daemon.tick()
        let alerts = try TestSupport.files(under: root.appendingPathComponent("out/nightly/alerts"))
        #expect(alerts.keys.sorted() == ["/alert-20261124-020030.eml"])
        let text = String(decoding: try #require(alerts.values.first), as: UTF8.self)
        #expect(text.contains("To: exploitation@example.fr\r\n"))
        #expect(text.contains("Auto-Submitted: auto-generated\r\n"))
    }

    @Test func reloadPicksUpNewDefinitionsAndSkipsBrokenOnes() throws {
        let root = try TestSupport.temporaryDirectory()
        let folder = root.appendingPathComponent("pipelines")
        try Self.definition("first", schedule: "@daily", in: folder)
        let daemon = Self.daemon(
            root: root, clock: SimulatedClock(Date(timeIntervalSince1970: 1_795_000_000)),
            launcher: RecordingLauncher(),
            dispatch: { $0() })
        daemon.reload()
        #expect(daemon.pipelineNames == ["first"])
        try Self.definition("second", schedule: "0 25 * * *", in: folder)
        try Self.definition("third", schedule: "@hourly", in: folder)
        let problems = daemon.reload()
        #expect(daemon.pipelineNames == ["first", "third"])
        try #require(problems.count == 1)
        #expect(problems[0].contains("second.yml:2:11: error: bad schedule '0 25 * * *'"))
    }

    @Test func successfulRunSendsItsDeliveryBatchesOnce() throws {
        let root = try TestSupport.temporaryDirectory()
        let folder = root.appendingPathComponent("pipelines")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let yaml = """
            name: daily-import
            schedule: "0 6 * * *"
            delivery: { batches: [codes-sejour, modifications-sejour] }
            stages:
              one: { kind: test.pass }
            """
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("daily-import.yml"))
        let batch = try DeliveryTests.batch(in: root, recipients: ["a@example.com", "b@example.com"])
        let server = try LoopbackSMTPServer(in: root)
        defer { server.stop() }
        // The next day's run finds the same batch: nothing is sent twice.
        try Self.runTwoDays(
            root: root, definitions: folder, store: root.appendingPathComponent("var/passerelle.sqlite").path,
            runFolder: batch.deletingLastPathComponent(), server: server)
        #expect(try server.messages().count == 2)
    }

    /// A batch kept in the store alone (`files: false`) has no folder in the run: the daemon sends it from the outbox.
    @Test func aBatchKeptInTheOutboxAloneIsSentFromItOnce() throws {
        let root = try TestSupport.temporaryDirectory()
        let folder = root.appendingPathComponent("pipelines")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let yaml = """
            name: daily-import
            schedule: "0 6 * * *"
            delivery: { batches: [codes-sejour] }
            stages:
              one: { kind: test.pass }
            """
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("daily-import.yml"))
        let storePath = root.appendingPathComponent("var/passerelle.sqlite").path
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("var"), withIntermediateDirectories: true)
        let store = try Store(path: storePath)
        let messages = try ["a@example.com", "b@example.com"].enumerated().map { i, recipient in
            let message = EmailMessage(
                from: EmailAddress(displayName: "Centrale", address: "ot@example.fr"),
                to: [EmailAddress(displayName: "Client", address: recipient)], subject: "Votre code séjour",
                date: Date(timeIntervalSince1970: 1_795_000_000), messageID: "passerelle.S\(i).t1@example.fr",
                textBody: "Bonjour,\n")
            return PreparedMessage(
                record: NotificationRecord(
                    key: "stay_code:S\(i):v1", kind: "stay_code", recipient: recipient, subjectKey: "S\(i)"),
                template: "stay-code", data: Data(try message.rendered().utf8))
        }
        let already = try store.claimMessages(
            messages, firstPosition: 1, file: { "codes-sejour/\($0)-\($1.subjectKey).eml" },
            scope: WriteScope(runID: 1, stage: "stay_code_mails", commit: true))
        #expect(already.isEmpty)
        let runFolder = root.appendingPathComponent("out/daily-import/run-0001")
        try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
        let server = try LoopbackSMTPServer(in: root)
        defer { server.stop() }
        // The next day's run: the outbox has nothing left to send.
        try Self.runTwoDays(root: root, definitions: folder, store: storePath, runFolder: runFolder, server: server)
        let received = try server.messages()
        #expect(received.count == 2)
        #expect(received.first?.hasSuffix(String(decoding: messages[0].data, as: UTF8.self)) == true)
        #expect(try store.outboxMessages().map(\.delivery) == [.delivered, .delivered])
    }

    /// Runs the `daily-import` definition of `definitions` under the daemon on two days in a row, each run
    /// "succeeding" with `runFolder`, with SMTP on `server`.
    static func runTwoDays(
        root: URL, definitions: URL, store: String, runFolder: URL, server: LoopbackSMTPServer
    ) throws {
        let clock = SimulatedClock(try ScheduleTests.instant("2026-11-24T04:59:00Z"))
        let launcher = RecordingLauncher(result: LaunchResult(succeeded: true, summary: "ok", runFolder: runFolder))
        var settings = Daemon.Settings(
            definitionsFolder: definitions, store: store, output: root.appendingPathComponent("out").path,
            smtp: SMTPSettings(url: server.url))
        settings.currentDirectory = root
        let daemon = Daemon(
            settings: settings, passerelle: Passerelle(catalog: [PassStage.self], environment: [:]), launcher: launcher,
            clock: clock, logger: TestSupport.quietLogger, dispatch: { $0() })
        #expect(daemon.reload() == [])
        clock.advance(seconds: 90)
        daemon.tick()
        clock.advance(seconds: 86_400)
        daemon.tick()
        #expect(launcher.runs == ["daily-import", "daily-import"])
    }
}
