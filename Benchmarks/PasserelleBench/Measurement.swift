import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One timed measure: what was done, over how many rows, in how long, with how much memory.
///
/// Each measure runs in its own process (the driver re-runs the executable with `--only`), so
/// `peakMemoryMegabytes` is that measure's own high-water mark, not the sum of everything before it.
struct Measurement: Codable, Sendable {
    /// The measure's stable name (`xlsx_read`, `csv_ingest`, `daily_import`…), tracked across runs.
    var name: String
    /// What was measured, in words, for the table.
    var summary: String
    /// Data rows handled (stays), the denominator of `rowsPerSecond`.
    var rows: Int
    var seconds: Double
    var rowsPerSecond: Double
    /// Peak resident set size of the process (getrusage `ru_maxrss`), in MB.
    var peakMemoryMegabytes: Double
    /// Counts that a reference implementation must reproduce (rows read, rejected by rule, stored).
    var counts: [String: Int] = [:]
    /// Seconds spent in each stage (daily import, monthly pipeline), from the executor's recorded intervals.
    var stageSeconds: [String: Double] = [:]
    /// Pipelines: when each stage started, in seconds after the first one did (the run's critical path).
    var stageStartSeconds: [String: Double]?
    /// Writing measures: what writing took on top of the loaded cells (peak reset before, minus the resident
    /// size before), in MB; "memory flat" means this does not grow with the rows.
    var writeMemoryMegabytes: Double?
    /// Writing measures: seconds spent loading or preparing the cells before the clock started.
    var loadSeconds: Double?
    /// Monthly statement: the whole monthly pipeline's wall time (statement stages timed apart in `seconds`).
    var pipelineSeconds: Double?
    /// Writing measures: the wall time of every run; `seconds` is the shortest (see `WriteTiming`).
    var runSeconds: [Double]?
    /// Writing measures: processor time (user + system, all threads) over the same span as `seconds`.
    ///
    /// On a shared machine a single-threaded measure's processor time moves less than its wall time when others
    /// are busy.
    var cpuSeconds: Double?

    init(name: String, summary: String, rows: Int, seconds: Double, counts: [String: Int] = [:]) {
        self.name = name
        self.summary = summary
        self.rows = rows
        self.seconds = seconds
        self.rowsPerSecond = seconds > 0 ? Double(rows) / seconds : 0
        self.peakMemoryMegabytes = Self.peakMemoryMegabytes()
        self.counts = counts
    }

    /// The process's peak resident set size so far, in MB (Linux reports kilobytes, macOS bytes).
    static func peakMemoryMegabytes() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
            let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
            let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        #if canImport(Darwin)
            return Double(usage.ru_maxrss) / 1_048_576
        #else
            return Double(usage.ru_maxrss) / 1024
        #endif
    }

    /// Resets the process's peak resident size to its current size (Linux `clear_refs`; a no-op elsewhere),
    /// so that a later `peakMemoryMegabytes()` measures the phase that follows, not the loading before it.
    static func resetPeakMemory() {
        guard let file = fopen("/proc/self/clear_refs", "w") else { return }
        fputs("5", file)
        fclose(file)
    }

    /// The process's current resident set size, in MB (`VmRSS` of /proc/self/status; 0 where there is none).
    static func residentMegabytes() -> Double {
        // No /proc (macOS): no figure rather than a failed benchmark.
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first
            return (kilobytes.flatMap { Double($0) } ?? 0) / 1024
        }
        return 0
    }

    /// Processor time used by the process so far (user + system, all threads), in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
            let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
            let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Records a writing measure's best run: its wall and processor seconds, every run's wall time and the
    /// most memory any run took on top of what was loaded.
    mutating func record(_ timing: WriteTiming) {
        seconds = timing.seconds
        rowsPerSecond = seconds > 0 ? Double(rows) / seconds : 0
        cpuSeconds = timing.cpuSeconds
        runSeconds = timing.runSeconds
        writeMemoryMegabytes = timing.memoryGrowthMegabytes
    }

    /// Runs `body` and returns its result with the elapsed wall time in seconds.
    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try body()
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (value, seconds)
    }
}

/// The best of several runs of a writing measure, the same way the C program reports its own.
///
/// On a machine shared with other work, a run's wall time includes the time others held the cores: the
/// shortest of a few runs is the closest to the work itself, for ours as for the reference. Each run starts
/// with the peak resident size reset, so the memory figure is what writing took on top of the loaded cells.
struct WriteTiming {
    var seconds = Double.infinity
    var cpuSeconds = 0.0
    var runSeconds: [Double] = []
    var memoryGrowthMegabytes = 0.0

    /// Runs `body` `repeats` times (at least once) and keeps the shortest run; returns its last result.
    static func best<T>(of repeats: Int, _ body: () throws -> T) rethrows -> (T, WriteTiming) {
        var timing = WriteTiming()
        var result: T?
        for _ in 0..<max(repeats, 1) {
            Measurement.resetPeakMemory()
            let resident = Measurement.residentMegabytes()
            let cpu = Measurement.cpuSeconds()
            let (value, seconds) = try Measurement.timed(body)
            let cpuSeconds = Measurement.cpuSeconds() - cpu
            timing.memoryGrowthMegabytes = max(
                timing.memoryGrowthMegabytes, Measurement.peakMemoryMegabytes() - resident)
            timing.runSeconds.append(seconds)
            if seconds < timing.seconds {
                timing.seconds = seconds
                timing.cpuSeconds = cpuSeconds
            }
            result = value
        }
        // The loop runs at least once, so there is a result.
        guard let result else { preconditionFailure("WriteTiming.best ran no run") }
        return (result, timing)
    }
}
