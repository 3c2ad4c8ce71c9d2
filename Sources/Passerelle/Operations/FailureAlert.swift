import Foundation
import PasserelleSpec
import PasserelleStages

/// The e-mail that tells a pipeline's `alerts.to` that a scheduled or triggered run failed.
///
/// Written as `out/<pipeline>/alerts/alert-YYYYMMDD-HHMMSS.eml` (UTC time of the run clock), then sent when SMTP
/// is configured (`PASSERELLE_SMTP_URL`). The body gives the pipeline, the trigger, the run's summary (which
/// stage failed, its kind, the cause, what was not run) and, for an inbox run, where the files went.
package struct FailureAlert: Sendable {
    package var pipeline: String
    package var alerts: AlertSpec
    /// Why the run started: `schedule 0 6 * * 1-6 (slot 2026-11-24T05:00:00Z)` or `inbox: sejours.csv`.
    package var trigger: String
    /// The run's summary, or the definition's diagnostics when it could not load.
    package var summary: String
    package var date: Date

    package init(pipeline: String, alerts: AlertSpec, trigger: String, summary: String, date: Date) {
        self.pipeline = pipeline
        self.alerts = alerts
        self.trigger = trigger
        self.summary = summary
        self.date = date
    }

    /// The rendered message (user-facing text in French, as every message Passerelle sends).
    package func message() throws -> EmailMessage {
        let domain = alerts.from.split(separator: "@").last.map(String.init) ?? "localhost.localdomain"
        let stamp = FailureAlert.stamp(date)
        let body = """
            La chaîne « \(pipeline) » a échoué.

            Déclenchement : \(trigger)
            Date : \(date.formatted(.iso8601))

            \(summary)

            Consultez `passerelle history` pour le détail des étapes et des lignes rejetées.
            """
        return EmailMessage(
            from: EmailAddress(displayName: "Passerelle", address: alerts.from),
            to: alerts.to.map { EmailAddress(address: $0) }, subject: "[Passerelle] Échec de « \(pipeline) »",
            date: date, messageID: "passerelle.alert.\(stamp).\(FailureAlert.safe(pipeline))@\(domain)",
            textBody: body, extraHeaders: [("Auto-Submitted", "auto-generated")])
    }

    /// Writes the alert under `<outputRoot>/<pipeline>/alerts/` and returns the file.
    package func write(outputRoot: URL) throws -> URL {
        let folder = outputRoot.appendingPathComponent(pipeline).appendingPathComponent("alerts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("alert-\(FailureAlert.stamp(date)).eml")
        try Data(try message().rendered().utf8).write(to: file, options: .atomic)
        return file
    }

    /// Sends the alert to every recipient; returns the outcome per recipient.
    package func send(with transport: SMTPTransport) throws -> [String: SMTPOutcome] {
        let data = Data(try message().rendered().utf8)
        var outcomes: [String: SMTPOutcome] = [:]
        for recipient in alerts.to { outcomes[recipient] = transport.send(data, from: alerts.from, to: [recipient]) }
        return outcomes
    }

    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02d-%02d%02d%02d", p.year ?? 0, p.month ?? 0, p.day ?? 0, p.hour ?? 0, p.minute ?? 0,
            p.second ?? 0)
    }

    static func safe(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" })
    }
}
