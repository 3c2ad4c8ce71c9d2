import Foundation
import PasserelleCore
import PasserelleEngine
import Testing

@testable import Passerelle

/// The Refuge du Test's planning over July 2027, hand-checked, and `output.planning_report`'s files read back
/// by openpyxl and tidy.
///
/// Stock (Fixtures/refuge/refuge-test.yml): dormitory 6 places Monday to Thursday and 10 Friday to Sunday until
/// 15/07, 10 every day from 16/07; room of 3 booked whole; closed Wednesday 14/07. Active bookings
/// (Fixtures/refuge/month.csv): M-1 4 dormitory places the nights of 02 and 03/07, M-2 6 places on 03/07, M-3 the
/// room (2 people, so all 3 places) on 03 and 04/07, M-4 2 places on 12/07, M-6 3 places on 20/07; M-5 (5 places
/// 20–22/07) is cancelled and holds nothing.
@Suite struct RefugePlanningReportTests {
    /// Available / total of the dormitory, 1 → 31 July, by hand.
    static let dormitory = [
        "6/6", "6/10", "0/10", "10/10", "6/6", "6/6", "6/6", "6/6", "10/10", "10/10", "10/10", "4/6", "6/6", "fermé",
        "6/6", "10/10", "10/10", "10/10", "10/10", "7/10", "10/10", "10/10", "10/10", "10/10", "10/10", "10/10",
        "10/10", "10/10", "10/10", "10/10", "10/10",
    ]
    /// Available / total of the room: booked whole on 03 and 04/07.
    static let room = (1...31).map { day in day == 14 ? "fermé" : day == 3 || day == 4 ? "0/3" : "3/3" }

    static func run(in folder: URL) throws -> RunReport {
        try RefugeTestSupport.run("month.csv", in: folder, report: true)
    }

    @Test func theGridOfJulyHasTheHandCheckedPlaces() throws {
        let folder = try TestSupport.temporaryDirectory()
        let stock = try ChannelTestSupport.result(try Self.run(in: folder), "stock")
        let table = try #require(stock.output.tables["availability"])
        #expect(table.rows.count == 31 * 2)
        func line(_ type: String) -> [String] {
            (1...31).map { day in
                let date = "2027-07-\(String(format2: day))"
                let cell = RefugeTestSupport.availability(table, date, type) ?? "missing"
                let parts = cell.split(separator: "/")
                return parts[3] == "closed" ? "fermé" : "\(parts[2])/\(parts[0])"
            }
        }
        #expect(line("DORT") == Self.dormitory)
        #expect(line("CH3") == Self.room)
        #expect(RefugeTestSupport.availability(table, "2027-07-03", "DORT") == "10/10/0/open")
        #expect(RefugeTestSupport.availability(table, "2027-07-03", "CH3") == "3/3/0/open")
        #expect(RefugeTestSupport.availability(table, "2027-07-14", "DORT") == "0/0/0/closed")
        #expect(stock.findings.isEmpty)
    }

    @Test func theSalesFollowUpCountsByMonthOfBookingWithCancellationsApart() throws {
        let folder = try TestSupport.temporaryDirectory()
        let stock = try ChannelTestSupport.result(try Self.run(in: folder), "stock")
        let fields = [
            "month", "pre_reservations", "pre_reservations_amount", "reservations", "reservations_amount", "total",
            "total_amount", "cancelled", "cancelled_amount",
        ]
        // May: M-1 reservation 240,00, M-2 pre-reservation 6 × 30,00. June: M-3 reservation 200,00 (basket),
        // M-6 reservation 90,00, M-4 pre-reservation 60,00, M-5 cancelled 450,00.
        #expect(
            RefugeTestSupport.rows(stock.output.tables["sales"], fields) == [
                "month=2027-05 pre_reservations=1 pre_reservations_amount=180.00 reservations=1 "
                    + "reservations_amount=240.00 total=2 total_amount=420.00 cancelled=0 cancelled_amount=0.00",
                "month=2027-06 pre_reservations=1 pre_reservations_amount=60.00 reservations=2 "
                    + "reservations_amount=290.00 total=3 total_amount=350.00 cancelled=1 cancelled_amount=450.00",
            ])
    }

    @Test func theWorkbookReadsBackWithItsNumbersAndConditionalColours() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.run(in: folder)
        let workbook = report.outputDirectory.appendingPathComponent("planning-refuges.xlsx").path
        let script = TestSupport.testsDirectory.appendingPathComponent("Support/dump_xlsx.py").path
        let lines = try python([script, workbook]).split(separator: "\n").map(String.init)
        let sheet = "Planning REF-TEST"
        for expected in [
            "\(sheet)!A4\tDate\tGeneral", "\(sheet)!C4\tDortoir\tGeneral", "\(sheet)!D4\tChambre de 3\tGeneral",
            "\(sheet)!A5\t2027-07-01\tdd/mm/yyyy", "\(sheet)!B5\tjeudi\tGeneral", "\(sheet)!C5\t6\t0\" / 6\"",
            "\(sheet)!C7\t0\t0\" / 10\"", "\(sheet)!D7\t0\t0\" / 3\"", "\(sheet)!C16\t4\t0\" / 6\"",
            "\(sheet)!C18\tfermé\tGeneral", "\(sheet)!C24\t7\t0\" / 10\"", "\(sheet)!D35\t3\t0\" / 3\"",
            "Suivi des ventes!B5\tmai 2027\tGeneral", "Suivi des ventes!C5\t1\tGeneral",
            "Suivi des ventes!D5\t180\t#,##0.00 \"€\"", "Suivi des ventes!H6\t350\t#,##0.00 \"€\"",
            "Suivi des ventes!I6\t1\tGeneral", "Suivi des ventes!J6\t450\t#,##0.00 \"€\"",
        ] {
            #expect(lines.contains(expected), "missing \(expected)")
        }
        #expect(!lines.contains { $0.hasPrefix("\(sheet)!C36") })
        let formats = """
            import openpyxl, sys
            sheet = openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]
            for cf in sheet.conditional_formatting:
                for rule in cf.rules:
                    print(cf.sqref, rule.type, rule.formula[0], rule.dxf.fill.bgColor.rgb, rule.dxf.font.color.rgb)
            """
        #expect(
            try python(["-c", formats, workbook, sheet]).split(separator: "\n") == [
                "C5:C35 expression AND(ISNUMBER(C5),C5<=0) FFFFC7CE FF9C0006",
                "C5:C35 expression AND(ISNUMBER(C5),C5<=2) FFFFEB9C FF9C5700",
                "C5:C35 expression AND(ISNUMBER(C5),C5>2) FFC6EFCE FF006100",
                "D5:D35 expression AND(ISNUMBER(D5),D5<=0) FFFFC7CE FF9C0006",
                "D5:D35 expression AND(ISNUMBER(D5),D5<=1) FFFFEB9C FF9C5700",
                "D5:D35 expression AND(ISNUMBER(D5),D5>1) FFC6EFCE FF006100",
            ])
    }

    @Test func thePageIsValidHTMLWithTheHeatMap() throws {
        let folder = try TestSupport.temporaryDirectory()
        let report = try Self.run(in: folder)
        let page = report.outputDirectory.appendingPathComponent("planning-refuges.html").path
        try FinanceOutputsTests().expectTidyAcceptsWithoutError(page)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<h2>Refuge du Test (REF-TEST)</h2>"))
        #expect(html.contains("<h3>juillet 2027</h3>"))
        #expect(
            html.contains(
                "<td class=\"full\" title=\"Dortoir, samedi 03/07/2027 : 0 place(s) libre(s) sur 10\">0/10</td>"))
        // Few places means at most a quarter of the type's places left (2 of 10): 4 of 6 is not few.
        #expect(
            html.contains("<td class=\"free\" title=\"Dortoir, lundi 12/07/2027 : 4 place(s) libre(s) sur 6\">4/6</td>")
        )
        #expect(
            html.contains("<td class=\"closed\" title=\"Chambre de 3, mercredi 14/07/2027 : refuge fermé\">fermé</td>"))
        #expect(html.contains("<td>juin 2027</td><td>1</td><td>60,00\u{A0}€</td><td>2</td><td>290,00\u{A0}€</td>"))
        let cells = html.components(separatedBy: "<td class=").count - 1
        #expect(cells == 31 * 2)
    }
}
