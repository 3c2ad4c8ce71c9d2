import Foundation
import Mustache
import PasserelleCore
import PasserelleEngine

/// Writes one office's report files and e-mail from its share of the inputs (see `OfficeReportsOutput`).
struct OfficeReportWriter {
    /// What was written for one office: the files (with their bytes, for the e-mail) and the sections' counts.
    struct Written {
        var attachments: [EmailAttachment] = []
        var sections: [(report: String, section: String, count: Int)] = []
        var rows: Int { sections.map(\.count).reduce(0, +) }
    }

    let reports: [(String, ReportLayout)]
    let template: MustacheTemplate
    let folder: String
    let notices: String?
    let context: StageContext

    func writeFiles(office: String, share: StageInputs) throws -> Written {
        var written = Written()
        let slug = OfficePartition.slug(office)
        for (name, layout) in reports {
            var data = try ReportData(layout: layout, inputs: share)
            data.title = "\(layout.title) — \(office)"
            for section in data.sections { written.sections.append((layout.title, section.title, section.rows.count)) }
            try write(named: "\(folder)/\(slug)/\(name).xlsx", into: &written) { url in
                try ReportWorkbook.write(data, to: url, created: context.asOf)
            }
            let page = template.render(HTMLReportOutput.context(data, pipeline: context.pipeline, asOf: context.asOf))
            try write(named: "\(folder)/\(slug)/\(name).html", into: &written) { url in
                try Data(page.utf8).write(to: url)
            }
        }
        return written
    }

    /// Writes a file and keeps its bytes as an attachment (nothing is written, nor kept, in a dry run).
    private func write(named path: String, into written: inout Written, _ body: (URL) throws -> Void) throws {
        var bytes: Data?
        try context.writeOutput(named: path) { url in
            try body(url)
            bytes = try Data(contentsOf: url)
        }
        guard let bytes else { return }
        let name = URL(fileURLWithPath: path).lastPathComponent
        written.attachments.append(
            EmailAttachment(
                filename: name,
                contentType: EmailAttachment.contentType(forExtension: (name as NSString).pathExtension),
                data: bytes))
    }

    /// Writes the office's e-mail, and returns its line of the batch's manifest and the message to keep in the
    /// outbox (nil: no address, no e-mail).
    func writeMail(office: OfficeConfiguration.Office, files: Written, share: StageInputs, from: EmailAddress) throws
        -> (line: String, message: PreparedMessage)?
    {
        guard let address = office.email, !address.isEmpty else {
            context.report(Self.noAddress(office.name))
            return nil
        }
        let day = CalendarDate(daysSinceEpoch: Int((context.asOf.timeIntervalSince1970 / 86_400).rounded(.down)))
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "passerelle.invalid"
        let message = EmailMessage(
            from: from, to: [EmailAddress(displayName: office.name, address: address)],
            subject: "Rapports de l'office de tourisme du \(day.frenchText) — \(office.name)", date: context.asOf,
            messageID: try EmailMessage.messageID(
                stayCode: "office-\(OfficePartition.slug(office.name))-\(day.description)", templateVersion: "1",
                domain: domain),
            textBody: body(office: office.name, day: day, files: files, share: share),
            extraHeaders: [("Auto-Submitted", "auto-generated")])
        let text = try message.rendered(attachments: files.attachments)
        let slug = OfficePartition.slug(office.name)
        let file = mailFile(NotificationRecord(key: "", kind: Self.mailKind, recipient: address, subjectKey: slug))
        try context.writeOutput(named: file) { url in try Data(text.utf8).write(to: url) }
        // One office mail a day: sent once by `passerelle send` or the daemon, whatever the runs of that day.
        let key = "\(Self.mailKind):\(slug)/\(day.description):v1"
        let line = EmailBatchFiles.manifestLine(
            recipient: address, template: Self.mailKind, subjectKey: slug, key: key, file: file)
        let record = NotificationRecord(key: key, kind: Self.mailKind, recipient: address, subjectKey: slug)
        return (line, PreparedMessage(record: record, template: Self.mailKind, data: Data(text.utf8)))
    }

    /// Where an office's mail lies in the run folder, from its outbox record (its subject is the office's slug).
    func mailFile(_ record: NotificationRecord) -> String { "\(folder)/\(record.subjectKey)/courriel.eml" }

    /// The kind of the office mails in their manifest's keys.
    static let mailKind = "office_reports"

    /// Writes `<folder>/manifest.csv` (as `output.email_batch` writes its own) listing the office mails, so that
    /// `passerelle send <run>/<folder>` and the daemon deliver them.
    func writeManifest(_ lines: [String]) throws {
        guard !lines.isEmpty else { return }
        let text = EmailBatchFiles.manifestHeader + lines.joined()
        try context.writeOutput(named: "\(folder)/manifest.csv") { url in try Data(text.utf8).write(to: url) }
    }

    /// The e-mail's text: the sections' counts, the notices one per line, or that there is nothing to report.
    private func body(office: String, day: CalendarDate, files: Written, share: StageInputs) -> String {
        var lines = ["Bonjour,", "", "Voici les rapports du \(day.frenchText) pour \(office).", ""]
        if files.rows == 0 {
            lines.append("Rien à signaler : aucun hébergeur, séjour ou chevauchement ne vous concerne aujourd'hui.")
        }
        for section in files.sections where section.count > 0 {
            lines.append("- \(section.report) — \(section.section) : \(section.count)")
        }
        if let notices, let table = share.table(notices), !table.rows.isEmpty {
            lines += ["", "À valider à réception du chèque :"]
            for row in table.rows {
                let cells = table.fields.indices.filter { table.fields[$0].name != "office" }
                lines.append(
                    "- " + cells.map { row.value(at: $0).frenchText }.filter { !$0.isEmpty }.joined(separator: " · "))
            }
        }
        lines += ["", "Les rapports sont joints (classeur XLSX et page HTML).", "", "-- ", "Passerelle"]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func noAddress(_ office: String) -> Diagnostic {
        Diagnostic(
            rule: "output.office_reports.no_address", severity: .warning, location: .file(""),
            message: "\(office) n'a pas d'adresse e-mail : ses rapports sont écrits mais pas envoyés",
            found: office, fix: "ajouter son adresse (email) dans la configuration des offices")
    }
}
