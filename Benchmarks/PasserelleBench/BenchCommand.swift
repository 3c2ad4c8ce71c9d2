import ArgumentParser
import Foundation

/// `passerelle-bench`: times the stays readers, the workbook writer, the monthly statement and the whole daily
/// import over one data folder.
///
/// Each measure runs in a child process of its own (this executable with `--only`), so that the peak
/// memory printed is that measure's alone. Prints a table, then the figures as JSON (one object, so a
/// run can be tracked or compared by `Benchmarks/run.sh`).
///
/// ```
/// swift build -c release --product passerelle-bench
/// .build/release/passerelle-bench /tmp/bench-100k --json /tmp/bench-100k/passerelle.json
/// ```
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passerelle-bench",
        abstract: "Time Passerelle's readers and daily import over a folder made by scripts/generate_sample_data.py.")

    @Argument(help: "Folder holding hebergeurs.xlsx, sejours.xlsx and sejours.csv.")
    var dataDirectory: String

    @Option(help: "The daily import's definition.")
    var pipeline = "pipelines/daily-import.yml"

    @Option(help: "Scratch folder for the store and outputs (default: <data>/passerelle-bench-scratch).")
    var scratch: String?

    @Option(help: "The monthly statement's definition.")
    var monthlyPipeline = "pipelines/monthly-commissions.yml"

    @Option(help: "The month of the monthly statement, YYYY-MM (the generator's busiest: about 22 % of the stays).")
    var month = "2027-03"

    @Option(help: "Where the writing measures save their cells for the references (default: <data>/cells).")
    var cells: String?

    @Option(help: "Runs of each writing measure; the shortest counts, as for the C program (default 3).")
    var repeats = 3

    @Option(help: "Run one measure in this process and print its JSON (\(Measures.names.joined(separator: ", "))).")
    var only: String?

    @Option(
        parsing: .upToNextOption,
        help: "Measures to run (default: all).")
    var measures: [String] = Measures.names

    @Option(help: "Also write the JSON to this file.")
    var json: String?

    @Flag(help: "Leave the earlier outputs moved aside (<scratch>/../bench-trash) for the caller to delete after its own measures.")
    var keepTrash = false

    func run() throws {
        let measures = Measures(
            dataDirectory: dataDirectory, pipeline: pipeline,
            scratch: URL(fileURLWithPath: scratch ?? dataDirectory + "/passerelle-bench-scratch"),
            monthlyPipeline: monthlyPipeline, month: month, cells: URL(fileURLWithPath: cells ?? dataDirectory + "/cells"),
            repeats: repeats)
        if let only {
            let measurement = try measures.run(only)
            print(String(decoding: try Self.encoder.encode(measurement), as: UTF8.self))
            return
        }
        var results: [Measurement] = []
        for name in self.measures {
            let measurement = try runChild(name)
            FileHandle.standardError.write(Data("\(ResultTable.line(measurement))\n".utf8))
            results.append(measurement)
        }
        print(ResultTable.render(results, data: dataDirectory))
        let report = BenchReport(data: dataDirectory, cores: ProcessInfo.processInfo.activeProcessorCount, results: results)
        let encoded = try Self.encoder.encode(report)
        print(String(decoding: encoded, as: UTF8.self))
        if let json { try encoded.write(to: URL(fileURLWithPath: json)) }
        if !keepTrash { try measures.emptyTrash() }
    }

    /// Runs one measure in a fresh process and decodes what it prints.
    private func runChild(_ name: String) throws -> Measurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        if !FileManager.default.fileExists(atPath: "/proc/self/exe") {
            process.executableURL = Bundle.main.executableURL
        }
        var arguments = [
            dataDirectory, "--pipeline", pipeline, "--monthly-pipeline", monthlyPipeline, "--month", month,
            "--repeats", String(repeats), "--only", name,
        ]
        if let scratch { arguments += ["--scratch", scratch] }
        if let cells { arguments += ["--cells", cells] }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("measure \(name) failed (exit \(process.terminationStatus))")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Measurement.self, from: data)
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }
}

/// The JSON document a run prints: the machine, the data folder and every measure.
struct BenchReport: Codable {
    var data: String
    var cores: Int
    var results: [Measurement]
}
