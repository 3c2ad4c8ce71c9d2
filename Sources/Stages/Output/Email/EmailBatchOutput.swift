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
            OptionSpec("template", .path(mustExist: true), required: true, "Folder of the message's Mustache templates."),
            OptionSpec("kind", .string, required: true, "The message kind, part of the deduplication key (stay_code)."),
            OptionSpec("from", .string, required: true, "Sender address."),
            OptionSpec("from_name", .string, "Sender display name."),
            OptionSpec("to", .string, "A fixed recipient (alerts); otherwise each row's recipient_field."),
            OptionSpec("recipient_field", .string, "The row's recipient address field (default 'email')."),
            OptionSpec("key_fields", .list(.string), "Fields that identify a message (default [reference])."),
            OptionSpec("language_field", .string, "The row's language field (default 'language')."),
            OptionSpec("default_language", .string, "Language when the row has none or no template exists (default fr)."),
            OptionSpec("template_version", .string, "Bump to send a changed message again (default 1)."),
            OptionSpec("folder", .string, "Sub-folder of the run folder (default: the kind)."),
        ], inputs: 1...8)

    let options: OptionValues

    init(spec: StageSpec) throws { options = spec.options }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let source = options.string("source") ?? ""
        guard let table = inputs.table(source) else {
            throw StageError(
                stage: context.stageName, message: "source '\(source)' is not produced by an upstream stage",
                fix: "list the stage under 'inputs' and name one of its tables")
        }
        let templates = try EmailTemplates(folder: options.string("template") ?? "")
        let batch = EmailBatchBuilder(options: options, templates: templates, context: context)
        let messages = batch.messages(table)
        let already = try context.store.claimNotifications(messages.map(\.record), scope: context.writeScope)
        let fresh = messages.filter { !already.contains($0.record.key) }
        let folder = options.string("folder") ?? options.string("kind") ?? "emails"
        try Self.write(fresh, folder: folder, in: context)
        let verb = context.isDryRun ? "would prepare" : "prepared"
        context.note("\(verb) \(fresh.count) e-mail(s) (\(options.string("kind") ?? "")); \(already.count) already sent before")
        return StageOutput(tables: [:], rowsIn: table.rows.count, rowsOut: fresh.count)
    }
}

extension EmailBatchOutput {
    /// Writes a batch: one `.eml` per message (`<folder>/0001-<subject key>.eml`, in the given order) and
    /// `<folder>/manifest.csv` (`recipient;template;subject_key;key;file`, what `passerelle send` reads).
    /// Nothing is written for an empty batch.
    static func write(_ messages: [EmailBatchBuilder.Message], folder: String, in context: StageContext) throws {
        var manifest = "\u{FEFF}recipient;template;subject_key;key;file\r\n"
        var pending: [(String, Data)] = []
        for (i, message) in messages.enumerated() {
            let name = "\(folder)/\(String(format: "%04d", i + 1))-\(EmailBatchBuilder.safeName(message.record.subjectKey)).eml"
            pending.append((name, Data(message.text.utf8)))
            manifest += [message.record.recipient, message.template, message.record.subjectKey, message.record.key, name]
                .map(EmailBatchBuilder.csvField).joined(separator: ";") + "\r\n"
            if pending.count == 2000 {  // one flush to disk per 2 000 messages, bounded memory
                try context.writeOutputs(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !messages.isEmpty { pending.append(("\(folder)/manifest.csv", Data(manifest.utf8))) }
        try context.writeOutputs(pending)
    }
}

/// The Mustache templates of one message kind, by language.
struct EmailTemplates {
    var subject: [String: MustacheTemplate] = [:]
    var text: [String: MustacheTemplate] = [:]
    var html: [String: MustacheTemplate] = [:]
    let folder: String

    init(folder: String) throws {
        self.folder = folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []  // checked just below
        for name in names.sorted() {
            let parts = name.split(separator: ".").map(String.init)
            guard parts.count >= 3, parts.last == "mustache" else { continue }
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            guard let source = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) })
            else { continue }
            let template = try MustacheTemplate(string: source)
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
