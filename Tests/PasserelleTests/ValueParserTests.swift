import PasserelleCore
import Testing

@testable import PasserelleStages

private func spec(_ type: ColumnType, required: Bool = false, values: [String: [String]] = [:]) -> ColumnSpec {
    ColumnSpec(name: "field", headers: ["E-mail client"], type: type, isRequired: required, values: values)
}

private func value(_ cell: CellValue, _ type: ColumnType, values: [String: [String]] = [:]) -> Value? {
    try? ValueParser.parse(cell, as: spec(type, values: values)).get()  // nil = refused; problems tested apart
}

private func problem(_ cell: CellValue, _ type: ColumnType, required: Bool = false) -> ValueProblem? {
    guard case .failure(let problem) = ValueParser.parse(cell, as: spec(type, required: required)) else { return nil }
    return problem
}

@Suite struct ValueParserTests {
    @Test func reportsMissingRequiredValueInFrench() {
        let expected = ValueProblem(
            rule: "ingest.value.required", message: "valeur obligatoire manquante",
            fix: "renseignez la colonne « E-mail client » puis réimportez le fichier")
        #expect(problem(.text("  \u{A0}"), .email, required: true) == expected)
        #expect(problem(.empty, .date, required: true) == expected)
        #expect(value(.text(" "), .date) == .null)
    }

    @Test func namesTheHeaderFoundInTheFile() {
        let parser = ColumnParser(spec(.text, required: true), header: "Courriel")
        guard case .failure(let problem) = parser.parse(.empty) else {
            Issue.record("empty required cell accepted")
            return
        }
        #expect(problem.fix == "renseignez la colonne « Courriel » puis réimportez le fichier")
    }

    @Test func trimsText() {
        #expect(value(.text("  Dupont\u{A0}"), .text) == .text("Dupont"))
        #expect(value(.number(1000), .text) == .text("1000"))
    }

    @Test func refusesSpreadsheetErrorCells() {
        #expect(
            problem(.error("#N/A"), .money)
                == ValueProblem(
                    rule: "ingest.value.cell_error", message: "cellule en erreur : « #N/A »",
                    fix: "corrigez la formule de cette cellule dans le classeur puis réimportez le fichier"))
    }

    @Test func readsDates() throws {
        let date = try #require(CalendarDate(year: 2026, month: 1, day: 5))
        for text in ["05/01/2026", "5/1/26", "2026-01-05", " 05/01/2026 ", "05/01/2026 14:30", "05-01-2026"] {
            #expect(value(.text(text), .date) == .date(date), "\(text)")
        }
        #expect(value(.number(46027), .date) == .date(date))
        #expect(value(.number(46027.75), .date) == .date(date))
        #expect(value(.date(date, secondsOfDay: 0), .date) == .date(date))
        #expect(value(.number(60), .date) == .date(try #require(CalendarDate(year: 1900, month: 2, day: 28))))
    }

    @Test func refusesImpossibleDates() {
        #expect(
            problem(.text("31/02/2026"), .date)
                == ValueProblem(
                    rule: "ingest.value.date", message: "date illisible : « 31/02/2026 »",
                    fix: "saisissez la date au format jj/mm/aaaa"))
        for text in ["2026-13-01", "05/01/226", "demain", "05/01", "0/01/2026"] {
            #expect(problem(.text(text), .date)?.rule == "ingest.value.date", "\(text)")
        }
        #expect(problem(.number(0), .date)?.rule == "ingest.value.date")
        #expect(problem(.bool(true), .date)?.rule == "ingest.value.date")
    }

    @Test func readsIntegers() {
        #expect(value(.text("3"), .integer) == .integer(3))
        #expect(value(.text("3,0"), .integer) == .integer(3))
        #expect(value(.text("-12"), .integer) == .integer(-12))
        #expect(value(.text("1\u{202F}234"), .integer) == .integer(1234))
        #expect(value(.number(3.0), .integer) == .integer(3))
        #expect(
            problem(.text("3,5"), .integer)
                == ValueProblem(
                    rule: "ingest.value.integer", message: "nombre entier illisible : « 3,5 »",
                    fix: "saisissez un nombre entier sans décimales, par exemple 4"))
        #expect(problem(.number(3.5), .integer)?.rule == "ingest.value.integer")
        #expect(problem(.text("trois"), .integer)?.rule == "ingest.value.integer")
    }

    @Test func readsMoneyAsCents() {
        let cases: [(CellValue, Int64)] = [
            (.text("1 234,50"), 123450), (.text("1\u{A0}234,50 €"), 123450), (.text("1\u{202F}234,5\u{A0}€"), 123450),
            (.text("1234.56"), 123456), (.text("1.234,56"), 123456), (.text("-12"), -1200), (.text("89,9"), 8990),
            (.text("0,05"), 5), (.text("12,5 EUR"), 1250), (.number(1234.5), 123450), (.number(0.1 + 0.2), 30),
        ]
        for (cell, cents) in cases {
            #expect(value(cell, .money) == .money(Money(cents: cents)), "\(cell)")
        }
        #expect(
            problem(.text("12,345"), .money)
                == ValueProblem(
                    rule: "ingest.value.money", message: "montant illisible : « 12,345 »",
                    fix: "saisissez un montant en euros avec au plus deux décimales, par exemple 1 234,50"))
        #expect(problem(.number(12.345), .money)?.rule == "ingest.value.money")
        #expect(problem(.text("gratuit"), .money)?.rule == "ingest.value.money")
    }

    @Test func readsPercentsAsBasisPoints() {
        #expect(value(.text("17 %"), .percent) == .percent(1700))
        #expect(value(.text("17,5%"), .percent) == .percent(1750))
        #expect(value(.text("17,5\u{A0}%"), .percent) == .percent(1750))
        #expect(value(.text("0,5 %"), .percent) == .percent(50))
        #expect(value(.number(0.17), .percent) == .percent(1700))
        #expect(value(.number(0.175), .percent) == .percent(1750))
        #expect(value(.number(1), .percent) == .percent(10_000))  // ≤ 1: a fraction (documented)
        #expect(value(.number(17), .percent) == .percent(1700))  // > 1: a percentage
        #expect(value(.text("0,13"), .percent) == .percent(1300))
        #expect(value(.text("13"), .percent) == .percent(1300))
        #expect(
            problem(.text("17,555 %"), .percent)
                == ValueProblem(
                    rule: "ingest.value.percent", message: "pourcentage illisible : « 17,555 % »",
                    fix: "saisissez un pourcentage avec au plus deux décimales, par exemple 17 % ou 17,5 %"))
        #expect(problem(.text("dix %"), .percent)?.rule == "ingest.value.percent")
    }

    @Test func readsBooleans() {
        for text in ["Oui", "OUI", "o", "Yes", "Vrai", "1", "X", "true"] {
            #expect(value(.text(text), .boolean) == .bool(true), "\(text)")
        }
        for text in ["Non", "n", "No", "FAUX", "0", "false"] {
            #expect(value(.text(text), .boolean) == .bool(false), "\(text)")
        }
        #expect(value(.bool(true), .boolean) == .bool(true))
        #expect(value(.number(0), .boolean) == .bool(false))
        #expect(
            problem(.text("peut-être"), .boolean)
                == ValueProblem(
                    rule: "ingest.value.boolean", message: "valeur oui/non illisible : « peut-être »",
                    fix: "saisissez Oui ou Non"))
    }

    @Test func matchesEnumerationAliasesAsHeadersAre() {
        let statuses = FrenchAliases.stayStatus
        for text in ["Confirmé", "confirme", "CONFIRMÉ", " Confirmée ", "OK", "confirmed"] {
            #expect(value(.text(text), .enumeration, values: statuses) == .text("confirmed"), "\(text)")
        }
        #expect(value(.text("Pré-résa"), .enumeration, values: statuses) == .text("pre_booking"))
        #expect(value(.text("ANNULATION"), .enumeration, values: statuses) == .text("cancelled"))
        #expect(value(.text("Chq"), .enumeration, values: FrenchAliases.paymentMode) == .text("cheque"))
        #expect(value(.text("retrait  caisse"), .enumeration, values: FrenchAliases.saleType) == .text("desk"))
        let result = ValueParser.parse(.text("Reporté"), as: spec(.enumeration, values: statuses))
        #expect(
            result
                == .failure(
                    ValueProblem(
                        rule: "ingest.value.enumeration", message: "valeur non reconnue : « Reporté »",
                        fix: "saisissez l'une des valeurs acceptées : Annulé, Confirmé, Pré-réservation")))
    }

    @Test func readsEmailsAndLowercasesTheDomain() {
        #expect(value(.text(" Jean.Dupont@Mail.FR "), .email) == .text("Jean.Dupont@mail.fr"))
        #expect(value(.text("zoé@exemple.fr"), .email) == .text("zoé@exemple.fr"))
        #expect(value(.text("contact@hôtel-des-neiges.fr"), .email) == .text("contact@hôtel-des-neiges.fr"))
        #expect(value(.text("a+tag@sub.domaine.co.uk"), .email) == .text("a+tag@sub.domaine.co.uk"))
        #expect(value(.text("pquinn.284664@guest.booking.com"), .email) == .text("pquinn.284664@guest.booking.com"))
    }

    @Test func refusesMalformedEmails() {
        #expect(
            problem(.text("jean.dupont@@mail"), .email)
                == ValueProblem(
                    rule: "ingest.value.email", message: "adresse e-mail invalide : « jean.dupont@@mail »",
                    fix: "corrigez l'adresse (forme attendue : nom@domaine.fr) puis réimportez le fichier"))
        let bad = [
            "jean.dupont", "@mail.fr", "jean dupont@mail.fr", "jean@mail", "jean@mail..fr", "jean@.mail.fr",
            "jean..dupont@mail.fr", "jean@mail.fr\r\nBcc: x@y.fr", "a@b.fr, c@d.fr", "a@b.fr;c@d.fr", "a\u{0}@b.fr",
            "jean@-mail.fr", "jean@mail.f", "jean@mail.123",
        ]
        for text in bad {
            #expect(problem(.text(text), .email)?.rule == "ingest.value.email", "\(text)")
        }
        #expect(problem(.number(12), .email)?.rule == "ingest.value.email")
    }
}
