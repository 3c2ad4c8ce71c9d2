import Foundation
import Mustache
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Prepares a batch of notification e-mails, one `.eml` file per message, plus a manifest (CSV).
///
/// One message per row of the `source` table, from Mustache templates in the `template` folder
/// (`subject.<lang>.mustache`, `body.<lang>.txt.mustache`, `body.<lang>.html.mustache`), in the row's
/// language when a template exists for it, else the default (French). Each message has a deduplication
/// key (`kind`, the `key_fields` values and the template version): a key already sent is never sent
/// again (domain.md rule 5), and the Message-ID derives from it so a rerun is detectable. A row whose
/// recipient or header values are unsafe (CR/LF injection, malformed address) is reported
/// (`output.email_batch.unsafe_message`, warning) and gets no message.
///
/// ```yaml
/// stay_code_mails:
///   kind: output.email_batch
///   inputs: [store_stays]
///   options:
///     source: store_stays.new_stays
///     template: ../reports/emails/stay-code
///     kind: stay_code
///     from: reservations@example.fr
/// ```
struct EmailBatchOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.email_batch", summary: "Prepare one .eml file per row (never twice per key) and a manifest.",
        options: [
            OptionSpec("source", .string, required: true, "The table to mail: 'stage' or 'stage.table'."),
            OptionSpec(
                "template", .path(mustExist: true), required: true, "Folder of the message's Mustache templates."),
            OptionSpec("kind", .string, required: true, "The message kind, part of the deduplication key (stay_code)."),
            OptionSpec("from", .string, required: true, "Sender address."),
            OptionSpec("from_name", .string, "Sender display name."),
            OptionSpec("to", .string, "A fixed recipient (alerts); otherwise each row's recipient_field."),
            OptionSpec("recipient_field", .string, "The row's recipient address field (default 'email')."),
            OptionSpec("key_fields", .list(.string), "Fields that identify a message (default [reference])."),
            OptionSpec("language_field", .string, "The row's language field (default 'language')."),
            OptionSpec(
                "default_language", .string, "Language when the row has none or no template exists (default fr)."),
            OptionSpec("template_version", .string, "Bump to send a changed message again (default 1)."),
            OptionSpec("folder", .string, "Sub-folder of the run folder (default: the kind)."),
            OptionSpec(
                "files", .boolean,
                "Whether the batch's .eml files and manifest are written in the run folder (default true); the "
                    + "messages are kept in the outbox either way (passerelle send, passerelle outbox export)."),
        ], inputs: 1...8)

    let options: OptionValues
    /// The templates, read when the stage is built (so `check` finds a missing one, and the fields they name).
    let templates: EmailTemplates

    init(spec: StageSpec) throws {
        options = spec.options
        do {
            templates = try EmailTemplates(folder: spec.options.string("template") ?? "")
        } catch var error as StageError {
            error.stage = spec.name
            error.option = "template"
            throw error
        }
    }

    var tableReads: TableReads { .inputs(andReferences: [options.string("source") ?? ""]) }

    /// The source table, with the fields the messages are made from: key fields, the recipient's, the templates'.
    var references: [TableReference] {
        let keys = (options.strings("key_fields") ?? ["reference"]).enumerated().map { i, name in
            FieldReference(name, at: options.location(of: "key_fields[\(i)]"), role: "key field")
        }
        let recipient =
            options.string("to") == nil
            ? [
                FieldReference(
                    options.string("recipient_field") ?? "email", at: options.location(of: "recipient_field"),
                    role: "recipient field", expected: .text)
            ] : []
        return [
            TableReference(
                source: options.string("source") ?? "", option: "source", fields: keys + recipient + templates.fields)
        ]
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let source = options.string("source") ?? ""
        guard let table = inputs.table(source) else {
            throw StageError(
                stage: context.stageName, message: "source '\(source)' is not produced by an upstream stage",
                fix: "list the stage under 'inputs' and name one of its tables")
        }
        let batch = EmailBatchBuilder(options: options, templates: templates, context: context, table: table)
        let folder = options.string("folder") ?? options.string("kind") ?? "emails"
        var files = options.boolean("files") ?? true ? try EmailBatchFiles(folder: folder, in: context) : nil
        var alreadySent = 0
        var prepared = 0
        let kind = options.string("kind") ?? ""
        let jobs = batch.jobs()
        do {
            // Chunks of 2 000 messages in key order: rendered on all cores, claimed and kept in the outbox in one
            // transaction, written, then dropped, so memory does not grow with the batch.
            for chunk in jobs.chunked(by: 2000) {
                let messages = batch.messages(chunk)
                let already = try context.store.claimMessages(
                    messages.map { PreparedMessage(record: $0.record, template: $0.template, data: $0.data) },
                    firstPosition: prepared + 1,
                    file: { position, record in EmailBatchFiles.path(folder: folder, position: position, record: record)
                    },
                    scope: context.writeScope)
                alreadySent += already.count
                let new = messages.filter { !already.contains($0.record.key) }
                prepared += new.count
                try files?.write(new)
            }
            try files?.finish()
        } catch {
            files?.discard()
            // The files are gone: the claims of this run go too, so that the next run prepares these messages
            // (the outbox still owes them) instead of taking them for sent.
            try? context.store.releaseNotifications(kind: kind, scope: context.writeScope)  // the error below wins
            throw error
        }
        // Owed notifications of this kind (a new stay's code, by reference) are now prepared: the outbox keeps
        // them pending until here, so a failure above leaves them for the next run.
        try context.store.markOutboxPrepared(kind: kind, entityKeys: jobs.map(\.subjectKey), scope: context.writeScope)
        let verb = context.isDryRun ? "would prepare" : "prepared"
        let place = files == nil ? " into the outbox (no files)" : ""
        context.note("\(verb) \(prepared) e-mail(s) (\(kind))\(place); \(alreadySent) already sent before")
        return StageOutput(tables: [:], rowsIn: table.rows.count, rowsOut: prepared)
    }
}

extension EmailBatchOutput {
    /// Writes a whole batch (see `EmailBatchFiles`).
    static func write(_ messages: [EmailBatchBuilder.Message], folder: String, in context: StageContext) throws {
        var files = try EmailBatchFiles(folder: folder, in: context)
        do {
            try files.write(messages)
            try files.finish()
        } catch {
            files.discard()
            throw error
        }
    }
}

/// The files of an e-mail batch: one `.eml` per message (`<folder>/0001-<subject key>.eml`, numbered in the
/// order written) and `<folder>/manifest.csv` (`recipient;template;subject_key;key;file`, what
/// `passerelle send` reads). Messages may be written a chunk at a time; the folder appears under its name
/// only when `finish()` has flushed it to disk. Nothing appears for an empty batch.
package struct EmailBatchFiles {
    let folder: String
    /// Messages written so far.
    private(set) var count = 0
    private let output: OutputFolder

    init(folder: String, in context: StageContext) throws {
        self.folder = folder
        output = try context.outputFolder(named: folder)
    }

    /// Writes the messages, and their lines of the manifest (added to it chunk by chunk: a batch of a million
    /// messages never holds its whole manifest in memory).
    mutating func write(_ messages: [EmailBatchBuilder.Message]) throws {
        guard !messages.isEmpty else { return }
        var pending: [(String, Data)] = []
        var manifest = count == 0 ? Self.manifestHeader : ""
        for message in messages {
            count += 1
            let name = Self.fileName(position: count, record: message.record)
            pending.append((name, message.data))
            manifest += Self.manifestLine(
                recipient: message.record.recipient, template: message.template,
                subjectKey: message.record.subjectKey, key: message.record.key,
                file: Self.path(folder: folder, position: count, record: message.record))
        }
        try output.write(pending)
        try output.append(Data(manifest.utf8), to: "manifest.csv")
    }

    /// `0001-CR-2026-000001.eml`: the `position`-th message's file in its batch folder.
    static func fileName(position: Int, record: NotificationRecord) -> String {
        String(position).leftPadded(4) + "-" + EmailBatchBuilder.safeName(record.subjectKey) + ".eml"
    }

    /// `codes-sejour/0001-CR-2026-000001.eml`: the message's path in the run folder, as the manifest and the
    /// outbox give it.
    static func path(folder: String, position: Int, record: NotificationRecord) -> String {
        "\(folder)/\(fileName(position: position, record: record))"
    }

    /// The manifest's first line (after a BOM), what `passerelle send` checks.
    package static let manifestHeader = "\u{FEFF}recipient;template;subject_key;key;file\r\n"

    /// One message's line of a manifest: `;`-separated, quoted where needed, CRLF.
    package static func manifestLine(recipient: String, template: String, subjectKey: String, key: String, file: String)
        -> String
    {
        [recipient, template, subjectKey, key, file].map(EmailBatchBuilder.csvField).joined(separator: ";") + "\r\n"
    }

    /// Writes the manifest and puts the folder in place, if any message was written.
    func finish() throws {
        guard count > 0 else { return discard() }
        try output.commit()
    }

    /// Drops what was written.
    func discard() { output.discard() }
}

/// The Mustache templates of one message kind, by language.
struct EmailTemplates {
    /// The templates with their fields found in `table` once (see `MessageTemplate.bound(to:)`).
    func bound(to table: Table) -> EmailTemplates {
        var copy = self
        copy.subject = subject.mapValues { $0.bound(to: table) }
        copy.text = text.mapValues { $0.bound(to: table) }
        copy.html = html.mapValues { $0.bound(to: table) }
        return copy
    }

    var subject: [String: MessageTemplate] = [:]
    var text: [String: MessageTemplate] = [:]
    var html: [String: MessageTemplate] = [:]
    let folder: String
    /// The fields the templates name, each at its place.
    private(set) var fields: [FieldReference] = []

    init(folder: String) throws {
        self.folder = folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []  // checked just below
        for name in names.sorted() {
            let parts = name.split(separator: ".").map(String.init)
            guard parts.count >= 3, parts.last == "mustache" else { continue }
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            guard let source = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) })
            else { continue }
            let template = try MessageTemplate(source: source)
            fields += TemplateFields.scan(source, file: path)
            switch (parts[0], parts.count) {
            case ("subject", 3): subject[parts[1]] = template
            case ("body", 4) where parts[2] == "txt": text[parts[1]] = template
            case ("body", 4) where parts[2] == "html": html[parts[1]] = template
            default: continue
            }
        }
        guard !subject.isEmpty, !text.isEmpty else {
            throw StageError(
                stage: "", message: "\(folder) has no subject.<lang>.mustache and body.<lang>.txt.mustache templates",
                fix: "add them (see reports/emails/stay-code)")
        }
    }
}

/// One template of a message (subject, text or HTML body), compiled flat when it has only variable tags.
struct MessageTemplate {
    let mustache: MustacheTemplate
    let flat: FlatTemplate?
    /// Where each field of the flat template comes from in the table given to `bound(to:)`, in field order.
    private var sources: [FieldSource]?

    /// Where a field's text comes from: a column's French display text, the ISO form of a date column
    /// (`<field>_iso`), or nothing (the table has no such field).
    private enum FieldSource {
        case column(Int)
        case isoDate(Int)
        case none
    }

    init(source: String) throws {
        mustache = try MustacheTemplate(string: source)
        flat = FlatTemplate(source: source, template: mustache)
    }

    /// The template with each field's column in `table` found once, for the rows of that table: a batch renders
    /// its million messages without looking fields up by name.
    func bound(to table: Table) -> MessageTemplate {
        var copy = self
        copy.sources = flat?.fieldNames.map { name in
            if let column = table.column(name) { return .column(column) }
            guard name.hasSuffix("_iso"), let column = table.column(String(name.dropLast(4))) else { return .none }
            return .isoDate(column)
        }
        return copy
    }

    /// The text for one row: each field's French display text, `<field>_iso` for a date's ISO form.
    func render(_ table: Table, _ row: Row) -> String {
        guard let flat else { return mustache.render(EmailBatchBuilder.values(table, row)) }
        guard let sources else { return bound(to: table).render(table, row) }
        return flat.renderByPosition({ position in
            switch sources[position] {
            case .column(let column): return row.value(at: column).frenchText
            case .isoDate(let column):
                guard case .date(let date) = row.value(at: column) else { return "" }
                return date.description
            case .none: return ""
            }
        })
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
