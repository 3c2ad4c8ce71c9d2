import Foundation
import Mustache
import PasserelleCore
import Yams

/// The accounts of the booking notifications (`sample-data/channels/comptes.yml`): who sends the e-mails of
/// which accommodations, in which languages, with which texts (domain.md, mountain refuges, last bullet).
///
/// Each account covers accommodation codes (a list, or code → name for the e-mail), has its own sender
/// address (mandatory: the client's e-mail comes from it), the host's details (the e-mail receives a copy of
/// each message), the languages it writes in (`fr`, `en`, `it`, `de`, `es`; the first is the default) and,
/// per language, the subject and body of the pre-reservation and reservation e-mails. Texts are Mustache:
/// `{{guest_name}}`, `{{reference}}`, `{{accommodation}}`, `{{arrival}}`, `{{departure}}`, `{{nights}}`,
/// `{{guests}}`, `{{amount}}`, `{{deposit}}`, `{{host_name}}` are replaced (dates and amounts written in the
/// message's language). Every mistake is an error naming the file, the line and the fix.
///
/// ```yaml
/// accounts:
///   gite-du-lac:
///     accommodations: { GITE-LAC: Gîte du Lac }
///     sender: reservations@gite-du-lac.example
///     host: { name: Famille Perrin, email: contact@gite-du-lac.example, phone: 04 50 79 00 00, address: Morzine }
///     languages: [fr, en]
///     texts:
///       fr:
///         pre_reservation: { subject: "Votre pré-réservation {{reference}}", body: "Bonjour {{guest_name}}, …" }
///         reservation: { subject: "Votre réservation {{reference}}", body: "Bonjour {{guest_name}}, …" }
///       en: …
/// ```
struct BookingAccounts: Sendable {
    /// The languages a text may be written in (domain.md: terms of sale and texts in five languages).
    static let languages = ["fr", "en", "it", "de", "es"]

    var accounts: [BookingAccount]

    /// The account covering an accommodation code.
    func account(for code: String) -> BookingAccount? {
        accounts.first { account in account.accommodations.contains { $0.code == code } }
    }

    /// Every accommodation code the accounts cover.
    var accommodationCodes: Set<String> { Set(accounts.flatMap { $0.accommodations.map(\.code) }) }

    /// Reads and checks the file; throws `BookingNotificationsError` naming the file, line and fix.
    static func load(path: String) throws -> BookingAccounts {
        let reader = BookingAccountsReader(path: path)
        let root = try reader.root()
        try reader.checkKeys(root, known: ["accounts"], context: "at the top level of the accounts file")
        guard let list = root["accounts"]?.mapping, !list.isEmpty else {
            throw reader.error(
                .noAccount, root["accounts"], "the file has no 'accounts' mapping",
                fix: "list the accounts under 'accounts:', one per host (see sample-data/channels/comptes.yml)")
        }
        var accounts: [BookingAccount] = []
        for (key, node) in list {
            let account = try reader.account(key.string ?? "", node)
            for (code, _) in account.accommodations {
                if let other = accounts.first(where: { $0.accommodations.contains { $0.code == code } }) {
                    throw reader.error(
                        .duplicateAccommodation, node,
                        "accommodation '\(code)' is in accounts '\(other.id)' and '\(account.id)'",
                        fix: "keep '\(code)' in one account only: its e-mails have one sender")
                }
            }
            accounts.append(account)
        }
        return BookingAccounts(accounts: accounts)
    }
}

/// One host's account: its accommodations, sender, details, languages and texts.
struct BookingAccount: Sendable {
    var id: String
    /// Codes in the order written, with the name the e-mail shows (nil: the booking's name, else the code).
    var accommodations: [(code: String, name: String?)]
    /// The From address of the client's e-mails (ASCII).
    var sender: String
    var host: BookingHost
    /// The languages of the account's texts; the first one is the default.
    var languages: [String]
    /// Language → status → subject and body.
    var texts: [String: [BookingStatus: BookingText]]

    /// The client's language when the account writes in it, else the account's first language.
    func language(for wanted: String?) -> String {
        guard let wanted = wanted?.lowercased().prefix(2), languages.contains(String(wanted)) else {
            return languages[0]  // not empty: checked when the file is read
        }
        return String(wanted)
    }

    /// The name of a covered accommodation, when the file gives one.
    func accommodationName(_ code: String) -> String? {
        accommodations.first { $0.code == code }?.name
    }
}

/// The host's details, shown at the end of each e-mail; `email` receives a copy of every message.
struct BookingHost: Sendable {
    var name: String
    var email: String
    var phone: String?
    var address: String?
}

/// What a notification announces.
enum BookingStatus: String, Sendable, Hashable, CaseIterable {
    /// A booking not paid online yet (domain.md: without online payment, a booking is a pre-reservation).
    case preReservation = "pre_reservation"
    case reservation
}

/// The subject and body a host wrote for one status in one language, as Mustache templates.
struct BookingText: Sendable {
    var subject: MustacheTemplate
    var body: MustacheTemplate
}
