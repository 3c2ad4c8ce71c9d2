import Dispatch
import Foundation
import Mustache
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import Synchronization

/// Builds the messages of an e-mail batch from rows: keys, languages, templates and rendering.
struct EmailBatchBuilder {
    /// A row's outcome: its message, or the warning saying why it has none.
    enum Built {
        case message(Message)
        case warning(Diagnostic)
    }

    struct Message {
        var record: NotificationRecord
        var template: String
        /// The rendered `.eml` bytes.
        var data: Data
    }

    /// A row to mail (its position in the table) and the key fields' values. Kept this small because a batch
    /// of a million stays holds one per stay; the deduplication key is made from it when the message is.
    struct Job {
        var row: Int
        var subjectKey: String
    }

    let options: OptionValues
    let templates: EmailTemplates
    let context: StageContext
    let table: Table

    /// The batch's Date and From lines, checked once (nil when the sender is refused: each message then says why).
    let shared: EmailMessage.SharedHeaders?
    /// The options and columns every message reads, looked up once per batch rather than once per message.
    private let fixed: Fixed

    private struct Fixed {
        let kind: String
        let version: String
        let sender: EmailAddress
        /// The sender's domain, for Message-IDs.
        let domain: String
        /// The fixed recipient (`to`), else each row's `recipient` column.
        let to: String?
        let recipient: Int?
        let language: Int?
        let defaultLanguage: String
    }

    init(options: OptionValues, templates: EmailTemplates, context: StageContext, table: Table) {
        self.options = options
        self.templates = templates.bound(to: table)
        self.context = context
        self.table = table
        shared = try? EmailMessage.SharedHeaders(from: Self.sender(options), date: context.asOf)
        fixed = Fixed(
            kind: options.string("kind") ?? "message", version: options.string("template_version") ?? "1",
            sender: Self.sender(options),
            domain: (options.string("from") ?? "").split(separator: "@").last.map(String.init) ?? "localhost",
            to: options.string("to"), recipient: table.column(options.string("recipient_field") ?? "email"),
            language: table.column(options.string("language_field") ?? "language"),
            defaultLanguage: options.string("default_language") ?? "fr")
    }

    private static func sender(_ options: OptionValues) -> EmailAddress {
        EmailAddress(displayName: options.string("from_name"), address: options.string("from") ?? "")
    }

    /// One job per distinct key (the first row having it), sorted by subject key, so the batch does not depend on
    /// row order. Sorted and then deduplicated, with no set of keys beside the list.
    func jobs() -> [Job] {
        let keyFields = options.strings("key_fields") ?? ["reference"]
        let columns = keyFields.map { table.column($0) }
        var jobs = table.rows.indices.map { i in
            Job(row: i, subjectKey: columns.map { $0.map { table.rows[i].value(at: $0) }?.storageText ?? "" }.joined(separator: "/"))
        }
        jobs.sort { ($0.subjectKey, $0.row) < ($1.subjectKey, $1.row) }
        var kept = 0
        for i in jobs.indices where kept == 0 || jobs[kept - 1].subjectKey != jobs[i].subjectKey {
            jobs.swapAt(kept, i)
            kept += 1
        }
        jobs.removeLast(jobs.count - kept)
        return jobs
    }

    /// A job's deduplication key: the kind, the subject key and the template version.
    func key(_ job: Job) -> String {
        "\(fixed.kind):\(job.subjectKey):v\(fixed.version)"
    }

    /// The messages of some jobs, in job order; rows that get no message are reported.
    ///
    /// Rendering is CPU-bound and independent per message, so slices are rendered on all cores
    /// (`concurrentPerform`); results and warnings are then taken in slice order, so the outcome does not
    /// depend on thread timing.
    func messages(_ jobs: ArraySlice<Job>) -> [Message] {
        let kind = fixed.kind
        let version = fixed.version
        let work = Array(jobs)
        let slice = 128
        let slices = (work.count + slice - 1) / slice
        let results = Mutex([[Built]](repeating: [], count: slices))
        DispatchQueue.concurrentPerform(iterations: slices) { c in
            let built = work[(c * slice)..<min(work.count, (c + 1) * slice)].map { job in
                build(table.rows[job.row], key: key(job), subjectKey: job.subjectKey, kind: kind, version: version)
            }
            results.withLock { $0[c] = built }
        }
        var messages: [Message] = []
        for result in results.withLock({ $0 }).joined() {
            switch result {
            case .message(let message): messages.append(message)
            case .warning(let warning): context.report(warning)
            }
        }
        return messages
    }

    private func build(_ row: Row, key: String, subjectKey: String, kind: String, version: String)
        -> Built
    {
        do {
            return .message(try message(row, key: key, subjectKey: subjectKey, kind: kind, version: version))
        } catch {
            return .warning(
                Diagnostic(
                    rule: "output.email_batch.unsafe_message", severity: .warning, location: row.location,
                    message: "pas d'e-mail « \(kind) » pour \(subjectKey) : \(error)", found: subjectKey,
                    fix: "corrigez l'adresse ou le nom du client dans le fichier source puis réimportez"))
        }
    }

    private func message(_ row: Row, key: String, subjectKey: String, kind: String, version: String)
        throws -> Message
    {
        let recipient = fixed.to ?? fixed.recipient.flatMap { row.value(at: $0).text } ?? ""
        let language = self.language(row)
        let subject = templates.subject[language]?.render(table, row) ?? ""
        let text = templates.text[language]?.render(table, row) ?? ""
        let html = templates.html[language]?.render(table, row)
        let name = fixed.to == nil ? StayTable.clientName(table, row) : nil
        var email = EmailMessage(
            from: fixed.sender,
            to: [EmailAddress(displayName: name, address: recipient)],
            subject: subject.trimmingWhitespace(), date: context.asOf,
            messageID: try EmailMessage.messageID(
                stayCode: "\(kind).\(subjectKey)", templateVersion: version, domain: fixed.domain),
            textBody: text, htmlBody: html,
            extraHeaders: [("Auto-Submitted", "auto-generated"), ("X-Passerelle-Key", key)])
        email.shared = shared
        return Message(
            record: NotificationRecord(key: key, kind: kind, recipient: recipient, subjectKey: subjectKey),
            template: "\(kind).\(language)", data: Data(try email.renderedBytes()))
    }

    private func language(_ row: Row) -> String {
        let fallback = fixed.defaultLanguage
        let wanted = fixed.language.flatMap { row.value(at: $0).text?.lowercased() } ?? fallback
        return templates.subject[wanted] != nil && templates.text[wanted] != nil ? wanted : fallback
    }

    /// The Mustache values of a row: each field's French display text, plus `<field>_iso` for dates.
    static func values(_ table: Table, _ row: Row) -> [String: String] {
        var values: [String: String] = [:]
        for field in table.fields {
            let value = table.value(field.name, in: row)
            values[field.name] = value.frenchText
            if case .date(let date) = value { values[field.name + "_iso"] = date.description }
        }
        return values
    }

    /// A file-name-safe version of a key.
    static func safeName(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {  // ASCII without CR: one character a byte
            return String(
                decoding: text.utf8.prefix(60).map { MIMEEncoding.isASCIILetterOrDigit($0) || $0 == 0x2D ? $0 : 0x5F },
                as: UTF8.self)
        }
        return String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" }.prefix(60))
    }

    /// A CSV field, quoted when needed; formula-looking text is prefixed with an apostrophe (formats.md 2).
    static func csvField(_ text: String) -> String {
        var value = text
        if XLSXDocument.isFormulaLike(value) { value = "'" + value }
        guard value.utf8.contains(where: { $0 == 0x3B || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension StayTable {
    /// "Marie Dupont" from a row's first and last names, for display names.
    static func clientName(_ table: Table, _ row: Row) -> String? {
        let name = [table.value("first_name", in: row).text, table.value("last_name", in: row).text]
            .compactMap { $0 }.joined(separator: " ")
        // A line break typed in a cell (Alt+Enter) is layout, not part of the name: fold all whitespace.
        let folded =
            MIMEEncoding.isPlainText(name)
            ? MIMEEncoding.whitespaceSplit(name).joined(separator: " ")  // no NUL, no whitespace but space and tab
            : name.split(whereSeparator: { $0.isWhitespace || $0 == "\0" }).joined(separator: " ")
        return folded.isEmpty ? nil : folded
    }
}
