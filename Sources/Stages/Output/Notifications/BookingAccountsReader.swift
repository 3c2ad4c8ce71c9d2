import Foundation
import Mustache
import PasserelleCore
import PasserelleSpec
import Yams

/// A mistake in the accounts file or the e-mail frame: the file and line, what is wrong and what to do.
struct BookingNotificationsError: DiagnosticConvertible, Equatable, CustomStringConvertible {
    /// The kinds of mistakes, stable for tests.
    enum Code: Sendable, Equatable {
        case unreadable, notYAML, noAccount, noAccommodation, duplicateAccommodation
        case missingSender, malformedSender, missingHostEmail, malformedHostEmail
        case badLanguages, missingText, badTemplate
        /// The frame (`labels.yml`, `body.txt.mustache`) is missing, invalid or lacks a label.
        case badFrame, missingLabel
        /// A key the file does not know (`sendr:`), with a did-you-mean.
        case unknownKey
    }

    var code: Code
    var path: String
    /// 1-based line of the faulty value, when known.
    var line: Int?
    /// 1-based column of the faulty value, when known.
    var column: Int? = nil
    /// What is wrong, lowercase, no final period.
    var message: String
    /// An imperative sentence.
    var fix: String

    var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(message)\n  fix: \(fix)" }

    /// The mistake at its place, as `check` prints it.
    var diagnostics: [Diagnostic] {
        let location = line.map { SourceLocation.yaml(file: path, line: $0, column: column ?? 1) } ?? .file(path)
        return [Diagnostic(rule: "notifications.\(code)", location: location, message: message, fix: fix)]
    }
}

/// Reads the accounts file's nodes, with errors that name the file and the line.
struct BookingAccountsReader {
    let path: String

    func error(_ code: BookingNotificationsError.Code, _ node: Node?, _ message: String, fix: String)
        -> BookingNotificationsError
    {
        BookingNotificationsError(
            code: code, path: path, line: node?.mark?.line, column: node?.mark?.column, message: message, fix: fix)
    }

    /// Refuses the first key of `mapping` that is not in `known`, at its place, with a did-you-mean.
    func checkKeys(_ mapping: Node.Mapping, known: [String], context: String) throws {
        for (key, _) in mapping {
            guard let name = key.string, !known.contains(name) else { continue }
            let unknown = Suggestion.unknownKey(name, known: known, context: context, at: .file(path))
            throw error(.unknownKey, key, unknown.message, fix: unknown.fix ?? "remove it")
        }
    }

    /// The file's root mapping.
    func root() throws -> Node.Mapping {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw error(
                .unreadable, nil, "cannot read the accounts file",
                fix: "check the 'accounts' path and the file's rights")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw self.error(.notYAML, nil, "the file is not valid YAML: \(error)", fix: "fix the YAML syntax")
        }
        guard let root = node?.mapping else {
            throw error(
                .noAccount, node, "the file must be a mapping with 'accounts:'",
                fix: "see sample-data/channels/comptes.yml")
        }
        return root
    }

    static let accountKeys = ["accommodations", "sender", "host", "languages", "texts"]
    static let hostKeys = ["name", "email", "phone", "address"]

    func account(_ id: String, _ node: Node) throws -> BookingAccount {
        let map = node.mapping ?? Node.Mapping([])
        try checkKeys(map, known: Self.accountKeys, context: "in account '\(id)'")
        if let host = map["host"]?.mapping { try checkKeys(host, known: Self.hostKeys, context: "in 'host' of account '\(id)'") }
        let languages = try self.languages(map["languages"], account: id, at: node)
        return BookingAccount(
            id: id, accommodations: try accommodations(map["accommodations"], account: id, at: node),
            sender: try sender(map["sender"], account: id, at: node),
            host: try host(map["host"], account: id, at: node),
            languages: languages, texts: try texts(map["texts"], languages: languages, account: id, at: node))
    }

    /// `[CODE, …]` or `{ CODE: name, … }`.
    private func accommodations(_ node: Node?, account: String, at parent: Node) throws -> [(
        code: String, name: String?
    )] {
        let list: [(code: String, name: String?)] =
            node?.sequence?.compactMap { $0.string.map { ($0, nil) } }
            ?? node?.mapping?.compactMap { key, value in key.string.map { ($0, value.string) } } ?? []
        guard !list.isEmpty else {
            throw error(
                .noAccommodation, node ?? parent, "account '\(account)' covers no accommodation",
                fix: "add 'accommodations: [CODE, …]' (or { CODE: name }) with the codes of the host's accommodations")
        }
        return list
    }

    /// The mandatory sender address, ASCII, well formed.
    private func sender(_ node: Node?, account: String, at parent: Node) throws -> String {
        guard let text = node?.string?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            throw error(
                .missingSender, node ?? parent,
                "account '\(account)' has no 'sender' address (the address its booking e-mails are sent from)",
                fix: "add 'sender: reservations@your-domain.example' to the account, an address of the host's own "
                    + "domain that its mail server sends from")
        }
        guard Self.isAddress(text) else {
            throw error(
                .malformedSender, node, "'sender' of account '\(account)' is '\(text)', not an e-mail address",
                fix: "write the whole address, e.g. reservations@gite-du-lac.example (ASCII letters only, no name)")
        }
        return text
    }

    private func host(_ node: Node?, account: String, at parent: Node) throws -> BookingHost {
        let map = node?.mapping
        guard let email = map?["email"]?.string?.trimmingCharacters(in: .whitespaces), !email.isEmpty else {
            throw error(
                .missingHostEmail, map?["email"] ?? node ?? parent, "account '\(account)' has no 'host: { email }'",
                fix: "add the host's e-mail under 'host:': it receives a copy of every booking e-mail")
        }
        guard Self.isAddress(email) else {
            throw error(
                .malformedHostEmail, map?["email"],
                "'host.email' of account '\(account)' is '\(email)', not an e-mail address",
                fix: "write the host's whole address, e.g. contact@gite-du-lac.example")
        }
        return BookingHost(
            name: map?["name"]?.string ?? account, email: email, phone: map?["phone"]?.string,
            address: map?["address"]?.string?.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private func languages(_ node: Node?, account: String, at parent: Node) throws -> [String] {
        let list = node?.sequence?.compactMap { $0.string?.lowercased() } ?? []
        guard !list.isEmpty, list.allSatisfy(BookingAccounts.languages.contains) else {
            throw error(
                .badLanguages, node ?? parent,
                "'languages' of account '\(account)' is '\(list.joined(separator: ", "))', expected some of "
                    + BookingAccounts.languages.joined(separator: ", "),
                fix: "list the languages the host writes in, its own first, e.g. languages: [fr, en]")
        }
        return list
    }

    private func texts(_ node: Node?, languages: [String], account: String, at parent: Node) throws
        -> [String: [BookingStatus: BookingText]]
    {
        var texts: [String: [BookingStatus: BookingText]] = [:]
        for language in languages {
            let perLanguage = node?.mapping?[language]
            for status in BookingStatus.allCases {
                let place = "texts.\(language).\(status.rawValue)"
                let entry = perLanguage?.mapping?[status.rawValue]
                texts[language, default: [:]][status] = BookingText(
                    subject: try template(
                        entry?.mapping?["subject"], "\(place).subject", account,
                        at: entry ?? perLanguage ?? node ?? parent),
                    body: try template(
                        entry?.mapping?["body"], "\(place).body", account, at: entry ?? perLanguage ?? node ?? parent))
            }
        }
        return texts
    }

    private func template(_ node: Node?, _ key: String, _ account: String, at parent: Node) throws -> MustacheTemplate {
        guard let text = node?.string, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw error(
                .missingText, node ?? parent, "account '\(account)' has no '\(key)'",
                fix: "write the text under '\(key)', or remove the language from 'languages'")
        }
        do {
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)
        } catch {
            throw self.error(
                .badTemplate, node, "'\(key)' of account '\(account)' is not a valid template: \(error)",
                fix: "close every {{ with }}, e.g. {{guest_name}}")
        }
    }

    /// An ASCII `local@domain` address that an e-mail header accepts.
    static func isAddress(_ text: String) -> Bool {
        guard text.unicodeScalars.allSatisfy(\.isASCII), EmailSyntax.normalized(text) != nil else { return false }
        do {
            try EmailMessage.checkDomain(String(text.split(separator: "@").last ?? ""), field: "From", value: text)
            return true
        } catch {
            return false  // the reason is the caller's message: not an address a header accepts
        }
    }
}
