import Foundation
import Testing

@testable import PasserelleStages

/// Runs the reader over every case of csv-spectrum (github.com/max-mapper/csv-spectrum, BSD-2-Clause), kept
/// outside the repository in `../shared/corpora/csv-spectrum`, and compares with the JSON beside each CSV.
///
/// Two known faults of the corpus itself are allowed for, and only them:
/// - `location_coordinates.json` is one object, not an array, and gives the phone number `1234567890`
///   where the CSV has `2095257564` (upstream data mistake); that field is not compared.
/// - The `*_crlf.csv` files of this copy were checked out with LF line ends; when a CSV holds no CR, the
///   expected `\r\n` inside fields is compared as `\n`.
@Suite struct CSVSpectrumTests {
    static let corpus = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpora/csv-spectrum")

    static var cases: [String] {
        let csvs = corpus.appendingPathComponent("csvs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: csvs.path)) ?? []  // absent corpus: no cases
        return names.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test func corpusIsPresent() throws {
        guard !Self.cases.isEmpty else {
            withKnownIssue("csv-spectrum corpus not found at \(Self.corpus.path): spectrum cases skipped") {
                Issue.record("corpus absent")
            }
            return
        }
        #expect(Self.cases.count >= 12)
    }

    @Test(arguments: cases)
    func readsSpectrumCase(_ name: String) throws {
        let csv = Self.corpus.appendingPathComponent("csvs/\(name).csv")
        let json = Self.corpus.appendingPathComponent("json/\(name).json")
        let rawCSV = try Data(contentsOf: csv)
        var expected = try Self.expectedRecords(json)
        if !rawCSV.contains(0x0D) { expected = expected.map { $0.mapValues { $0.replacingOccurrences(of: "\r\n", with: "\n") } } }
        let reader = try CSVReader(path: csv.path)
        #expect(reader.separator == UInt8(ascii: ","), "\(name): separator detected")
        var rows: [[String]] = []
        try reader.readRecords { _, fields in rows.append(fields) }
        let header = try #require(rows.first)
        let actual = rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        try #require(actual.count == expected.count, "\(name): \(actual.count) records, expected \(expected.count)")
        for (found, wanted) in zip(actual, expected) {
            var found = found
            var wanted = wanted
            if name == "location_coordinates" {
                found["Contact Phone Number"] = nil
                wanted["Contact Phone Number"] = nil
            }
            #expect(found == wanted, "\(name)")
        }
    }

    /// The expected records: an array of objects (or, in one case, a single object) of strings.
    static func expectedRecords(_ url: URL) throws -> [[String: String]] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        if let one = object as? [String: String] { return [one] }
        return try #require(object as? [[String: String]], "\(url.lastPathComponent) is not a list of records")
    }
}
