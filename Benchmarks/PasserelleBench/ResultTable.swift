import Foundation

/// The human-readable table of a run.
enum ResultTable {
    /// One line per measure: name, rows, wall time, rows per second, peak memory.
    static func render(_ results: [Measurement], data: String) -> String {
        var text = "passerelle-bench over \(data)\n"
        text += pad("measure", 14) + pad("rows", 11, right: true) + pad("wall s", 10, right: true)
            + pad("rows/s", 12, right: true) + pad("peak MB", 10, right: true) + "  what\n"
        for result in results { text += line(result) + "\n" }
        for result in results where !result.stageSeconds.isEmpty {
            text += "stages of \(result.name) (s): "
            text += result.stageSeconds.sorted { $0.value > $1.value }
                .map { "\($0.key) \(format($0.value, 2))" }.joined(separator: ", ") + "\n"
        }
        for result in results where result.name == "daily_import" {
            text += "counts: " + result.counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: " ") + "\n"
        }
        return text
    }

    static func line(_ r: Measurement) -> String {
        pad(r.name, 14) + pad("\(r.rows)", 11, right: true) + pad(format(r.seconds, 3), 10, right: true)
            + pad(format(r.rowsPerSecond, 0), 12, right: true) + pad(format(r.peakMemoryMegabytes, 1), 10, right: true)
            + "  " + r.summary
    }

    private static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
