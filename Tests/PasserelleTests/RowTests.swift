import PasserelleCore
import Testing

/// Rows pack their values as bytes: every kind of value must come back as it went in.
@Suite struct RowTests {
    static let place = SourceLocation.xlsx(file: "sejours.xlsx", sheet: "Séjours", row: 7, column: nil, header: nil)

    static let everyKind: [Value] = [
        .null, .text(""), .text("Zoé"), .text("un texte de plus de quinze octets, accentué : é è à ç 🏔"),
        .integer(0), .integer(-42), .integer(.max), .integer(.min), .money(Money(cents: -123_456)),
        .date(CalendarDate(year: 2026, month: 2, day: 28)!), .date(CalendarDate(daysSinceEpoch: -25_000)),
        .dateTime(LocalDateTime(date: CalendarDate(year: 2026, month: 7, day: 14)!, secondsOfDay: 63_900)),
        .percent(1700), .bool(true), .bool(false),
        // Numbers at the edge of the four-byte form, and just past it.
        .integer(Int64(Int32.max)), .integer(Int64(Int32.max) + 1), .integer(Int64(Int32.min)), .integer(Int64(Int32.min) - 1),
        .money(Money(cents: Int64(Int32.max) + 1)), .percent(-Int64(Int32.max) - 2),
        .date(CalendarDate(daysSinceEpoch: Int(Int32.max) + 1)),
    ]

    @Test func everyKindOfValueComesBackAsWritten() {
        let row = Row(location: Self.place, values: Self.everyKind)
        #expect(row.count == Self.everyKind.count)
        #expect(row.values == Self.everyKind)
        for (i, value) in Self.everyKind.enumerated() { #expect(row.value(at: i) == value) }
        #expect(row.value(at: Self.everyKind.count) == .null)
        #expect(row.location == Self.place)
    }

    /// Past 64 KiB of values the offsets are 32-bit: a 10 MB cell must survive, and the values after it.
    @Test func aRowOfMoreThan64KiBKeepsEveryValue() {
        let big = String(repeating: "é", count: 5_000_000)
        let values: [Value] = [.text("avant"), .text(big), .integer(7), .text("après")]
        let row = Row(location: Self.place, values: values)
        #expect(row.values == values)
        #expect(row.value(at: 3) == .text("après"))
    }

    /// Offsets take one byte while the values fit in 255 bytes, then two, then four: rows either side of each
    /// edge keep their values, and so does the copy made when one of them moves.
    @Test(arguments: [245, 246, 65_525, 65_526])
    func rowsEitherSideOfAnOffsetWidthKeepEveryValue(textLength: Int) {
        // Bytes of values: 1 + textLength, then 5 for the integer and 4 for "fin": textLength + 10 in all.
        let values: [Value] = [.text(String(repeating: "a", count: textLength)), .integer(7), .text("fin")]
        let row = Row(location: Self.place, values: values)
        var moved = row
        moved.location = Self.place.withLine(70_000)
        #expect(row.values == values)
        #expect(moved.values == values)
        #expect(moved.value(at: 2) == .text("fin"))
        #expect(row.location == Self.place)
        #expect(moved.location.line == 70_000)
    }

    @Test func anEmptyRowHasNoValues() {
        let row = Row(location: .file("vide.csv"), values: [])
        #expect(row.count == 0)
        #expect(row.values.isEmpty)
        #expect(row.value(at: 0) == .null)
    }

    /// Moving a copy's location leaves the original where it was (the storage is shared until then).
    @Test func changingALocationDoesNotMoveTheOtherCopies() {
        let original = Row(location: .csv(file: "s.csv", line: 3, field: nil, header: nil), values: [.text("R1")])
        var moved = original
        moved.location = .csv(file: "s.csv", line: 103, field: nil, header: nil)
        #expect(original.location.line == 3)
        #expect(moved.location.line == 103)
        #expect(moved.values == original.values)
        #expect(moved != original)
    }

    /// A row keeps only its line and a reference to what the rows of its file share: every kind of location must
    /// come back whole, and rows from many places at once must not mix them up.
    @Test func everyKindOfLocationComesBackWhole() {
        let places: [PasserelleCore.SourceLocation] = [
            .xlsx(file: "a.xlsx", sheet: "Séjours", row: 12, column: 3, header: "Nom"),
            .xlsx(file: "a.xlsx", sheet: "Hébergements", row: 12, column: nil, header: nil),
            .csv(file: "b.csv", line: 40_000, field: 2, header: "Réf."),
            .csv(file: "b.csv", line: 7, field: nil, header: nil),
            .yaml(file: "p.yml", line: 3, column: 9),
            .file("c.xls"),
        ]
        // More places than are remembered at once, twice over, so shared parts are found and made again.
        let rows = (0..<40).map { i in
            Row(location: places[i % places.count].withLine(i + 1), values: [.integer(Int64(i))])
        }
        for (i, row) in rows.enumerated() {
            #expect(row.location == places[i % places.count].withLine(i + 1))
        }
        #expect(Row(location: .file("c.xls"), values: []).location == .file("c.xls"))
        let placed = Row(values: [.text("x")], placedAs: rows[0])
        #expect(placed.location == rows[0].location)
        #expect(placed.values == [.text("x")])
    }

    @Test func equalRowsHashAlike() {
        let a = Row(location: Self.place, values: Self.everyKind)
        let b = Row(location: Self.place, values: Self.everyKind)
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a.appending([.text("x")]).values == Self.everyKind + [.text("x")])
    }
}
