import Foundation
import PasserelleCore
import Testing

@testable import PasserelleStages

/// One record as the reader hands it over.
private struct Record: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [String]
    var description: String { "\(line): \(fields)" }
}

/// The fixtures of `Fixtures/csv`, made by `Fixtures/make_csv_fixtures.py`.
private func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/csv/\(name)").path
}

/// Writes bytes to a fresh temporary file and returns its path.
private func temporaryFile(_ bytes: [UInt8]) throws -> String {
    let url = try TestSupport.temporaryFile(named: "input.csv")
    try Data(bytes).write(to: url)
    return url.path
}

private func records(_ reader: CSVReader) throws -> [Record] {
    var result: [Record] = []
    try reader.readRecords { line, fields in result.append(Record(line: line, fields: fields)) }
    return result
}

@Suite struct CSVReaderTests {
    @Test func detectsWindows1252() throws {
        let reader = try CSVReader(path: fixture("stays-windows1252.csv"))
        #expect(reader.encoding == .windows1252)
        #expect(reader.separator == UInt8(ascii: ";"))
        let rows = try records(reader)
        try #require(rows.count == 3)
        #expect(rows[0] == Record(line: 1, fields: ["Code séjour", "Client", "E-mail client", "Arrivée", "Montant", "Statut"]))
        #expect(rows[1].fields == ["S-001", "Cœur d’Alène", "jean.dupont@mail.fr", "05/01/2026", "1\u{A0}234,50 €", "Confirmé"])
        #expect(rows[2] == Record(line: 3, fields: ["S-002", "Zoé Lefèvre…", "zoe@exemple.fr", "12/02/2026", "89,90 €", "Annulée"]))
    }

    @Test func detectsUTF8WithByteOrderMark() throws {
        let reader = try CSVReader(path: fixture("stays-utf8-bom.csv"))
        #expect(reader.encoding == .utf8BOM)
        let rows = try records(reader)
        #expect(rows.first?.fields.first == "Code séjour")
        #expect(rows.last == Record(line: 2, fields: ["S-001", "Renée Müller", "renee@exemple.fr", "05/01/2026", "1\u{202F}234,50", "Pré-réservation"]))
    }

    @Test func detectsPlainUTF8() throws {
        let path = try temporaryFile(Array("Nom;Ville\nRenée;Périgueux\n".utf8))
        let reader = try CSVReader(path: path)
        #expect(reader.encoding == .utf8)
        #expect(try records(reader).last?.fields == ["Renée", "Périgueux"])
    }

    @Test func honoursExcelSeparatorHintAndSkipsIt() throws {
        let reader = try CSVReader(path: fixture("stays-sep-hint.csv"))
        #expect(reader.separator == UInt8(ascii: ","))
        #expect(reader.firstLine == 2)
        #expect(try records(reader) == [
            Record(line: 2, fields: ["Code", "Nom"]), Record(line: 3, fields: ["S-001", "Dupont; Jean"]),
        ])
    }

    @Test func readsQuotedSeparatorsQuotesAndLineBreaks() throws {
        let rows = try records(CSVReader(path: fixture("stays-quoted-line-breaks.csv")))
        #expect(rows == [
            Record(line: 1, fields: ["Code", "Commentaire", "Montant"]),
            Record(line: 2, fields: ["S-001", "Arrivée tardive\nprévenir l'OT", "12,00"]),
            Record(line: 4, fields: ["S-002", "Dit \"bonjour\"; part tôt", "13,00"]),
            Record(line: 5, fields: ["S-003", "RAS", "14,00"]),
        ])
    }

    @Test func returnsRaggedRowsForTheCallerToReject() throws {
        let rows = try records(CSVReader(path: fixture("stays-ragged-row.csv")))
        #expect(rows.map(\.fields.count) == [3, 3, 2, 3])
        #expect(rows[2] == Record(line: 3, fields: ["S-002", "Martin"]))
    }

    @Test func reportsUnterminatedQuoteWithTheLineWhereTheFieldBegan() throws {
        let path = fixture("stays-unterminated-quote.csv")
        let reader = try CSVReader(path: path)
        let error = #expect(throws: CSVError.self) { try records(reader) }
        #expect(error?.code == .unterminatedQuote)
        #expect(error?.line == 3)
        #expect(
            error?.description == """
                \(path):3: error: a quoted field starting on this line is never closed [ingest.csv.unterminated_quote]
                  fix: close the quote (") of that field, or double the quotes inside it (""), then import the file again
                """)
    }

    @Test func readsCarriageReturnLineEndsAndKeepsStrayQuotes() throws {
        let reader = try CSVReader(path: fixture("stays-cr-only.csv"))
        #expect(reader.separator == UInt8(ascii: "|"))
        #expect(try records(reader) == [
            Record(line: 1, fields: ["Code", "Mesure"]), Record(line: 2, fields: ["S-001", "6'2\""]),
            Record(line: 3, fields: ["S-002", "RAS"]),
        ])
    }

    @Test func keepsTextAfterAClosingQuote() throws {
        let path = try temporaryFile(Array("a;b\n\"x\"y;\"\"\n".utf8))
        #expect(try records(CSVReader(path: path)).last?.fields == ["xy", ""])
    }

    @Test func skipsBlankLinesButCountsThem() throws {
        let path = try temporaryFile(Array("a;b\r\n\r\n1;2\n\n\n3;4".utf8))
        #expect(try records(CSVReader(path: path)) == [
            Record(line: 1, fields: ["a", "b"]), Record(line: 3, fields: ["1", "2"]), Record(line: 6, fields: ["3", "4"]),
        ])
    }

    @Test func returnsTrailingEmptyFields() throws {
        let path = try temporaryFile(Array("a;b;c\n1;;\n".utf8))
        #expect(try records(CSVReader(path: path)).last?.fields == ["1", "", ""])
    }

    @Test func readsAnEmptyFileAsNoRecords() throws {
        let path = try temporaryFile([])
        #expect(try records(CSVReader(path: path)).isEmpty)
    }

    @Test func givesTheSameRecordsWhateverTheChunkSize() throws {
        var text = "Code;Commentaire;Montant\r\n"
        for i in 0..<300 {
            let comment = i % 7 == 0 ? "\"ligne \(i)\r\n\"\"suite\"\"; fin\"" : "Séjour n°\(i) – été"
            text += "S-\(i);\(comment);\(i),50\r\n"
        }
        text += "S-long;\"\(String(repeating: "é", count: 500))\";1,00"
        let path = try temporaryFile(Array(text.utf8))
        let expected = try records(CSVReader(path: path))
        #expect(expected.count == 302)
        for size in [64, 65, 97, 1000] {
            #expect(try records(CSVReader(path: path, chunkSize: size)) == expected, "chunk size \(size)")
        }
    }

    @Test func decodesEveryWindows1252Byte() throws {
        let bytes = [UInt8](0x80...0xFF)
        let path = try temporaryFile(Array("x\n".utf8) + bytes + [0x0A])
        let reader = try CSVReader(path: path, separator: UInt8(ascii: ";"))
        #expect(reader.encoding == .windows1252)
        let text = try #require(try records(reader).last?.fields.first)
        let scalars = Array(text.unicodeScalars)
        try #require(scalars.count == 128)
        #expect(scalars[0x00] == "€" && scalars[0x05] == "…" && scalars[0x12] == "’" && scalars[0x1C] == "œ")
        #expect(scalars[0x01] == "\u{81}" && scalars[0x0D] == "\u{8D}" && scalars[0x1D] == "\u{9D}")
        #expect(scalars[0x20] == "\u{A0}" && scalars[0x69] == "é" && scalars[0x7F] == "ÿ")
    }

    @Test func detectsWindows1252WhenTheFirstInvalidByteIsFarIntoTheFile() throws {
        let ascii = Array(String(repeating: "abc;def\n", count: 20_000).utf8)
        let path = try temporaryFile(ascii + [0x43, 0x9C, 0x75, 0x72, 0x0A])  // "Cœur" in cp1252
        let reader = try CSVReader(path: path, chunkSize: 4096)
        #expect(reader.encoding == .windows1252)
        #expect(try records(reader).last == Record(line: 20_001, fields: ["Cœur"]))
    }

    @Test func keepsUTF8WhenAMultiByteCharacterSpansTwoChunks() throws {
        let path = try temporaryFile(Array((String(repeating: "a", count: 4095) + "é;b\n").utf8))
        let reader = try CSVReader(path: path, chunkSize: 4096)
        #expect(reader.encoding == .utf8)
        #expect(try records(reader).first?.fields.first?.hasSuffix("aé") == true)
    }

    @Test func prefersTheSeparatorWithAConsistentCount() throws {
        let path = try temporaryFile(Array("Nom,Prénom;Montant\nDupont, Jean;1,50\nMartin;12\n".utf8))
        #expect(try CSVReader(path: path).separator == UInt8(ascii: ";"))
        let tabs = try temporaryFile(Array("a\tb\tc\n1\t2\t3\n".utf8))
        #expect(try CSVReader(path: tabs).separator == 0x09)
    }

    @Test func usesTheSeparatorAndEncodingGiven() throws {
        let path = try temporaryFile(Array("a,b;c\n1,2;3\n".utf8))
        let reader = try CSVReader(path: path, separator: UInt8(ascii: ","), encoding: .windows1252)
        #expect(reader.encoding == .windows1252)
        #expect(try records(reader).last?.fields == ["1", "2;3"])
    }

    @Test func refusesAWorkbookNamedCSV() throws {
        let path = try temporaryFile([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00])
        let error = #expect(throws: CSVError.self) { try CSVReader(path: path) }
        #expect(error?.code == .notText)
        #expect(error?.remedy == "read it with kind ingest.xlsx, or save it from Excel as \"CSV UTF-8\"")
    }

    @Test func namesAMissingFile() throws {
        let error = #expect(throws: CSVError.self) { try CSVReader(path: "/nonexistent/sejours.csv") }
        #expect(error?.description == """
            /nonexistent/sejours.csv: error: cannot read the file: No such file or directory [ingest.csv.unreadable]
              fix: check that the file exists and is readable, then run again
            """)
    }
}
