import PasserelleStore
import PasserelleEngine
import PasserelleCore
import PasserelleSpec
import Dispatch
import Foundation
import Passerelle
import Synchronization

/// Live progress on a terminal: one line per running stage (rows so far, elapsed), redrawn every 200 ms;
/// finished stages are printed above the live block.
// @unchecked: `timer` is set once in init and only cancelled in close(); all mutable state is behind `state`.
final class TerminalProgress: RunObserverType, @unchecked Sendable {
    private struct Running {
        var kind: String
        var rows: Int
        var start: Date
    }

    private struct State {
        var running: [(String, Running)] = []
        var drawnLines = 0
    }

    private let state = Mutex(State())
    private let timer: any DispatchSourceTimer

    init() {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "passerelle.progress"))
        timer.schedule(deadline: .now(), repeating: .milliseconds(200))
        timer.setEventHandler { [weak self] in self?.redraw(finished: nil) }
        timer.resume()
    }

    func stageStarted(_ name: String, kind: String) {
        state.withLock { $0.running.append((name, Running(kind: kind, rows: 0, start: Date()))) }
    }

    func stageProgress(_ name: String, rows: Int) {
        state.withLock { s in
            if let i = s.running.firstIndex(where: { $0.0 == name }) { s.running[i].1.rows = rows }
        }
    }

    func stageFinished(_ name: String, summary: StageRunSummaryType) {
        let mark = summary.status == "succeeded" ? "done" : "FAILED"
        let line = "  \(mark) \(name) [\(summary.kind)]: \(summary.rowsIn) in, \(summary.rowsOut) out, \(summary.rowsRejected) rejected"
        state.withLock { s in s.running.removeAll { $0.0 == name } }
        redraw(finished: line)
    }

    /// Stops the live block and clears it.
    func close() {
        timer.cancel()
        redraw(finished: nil, final: true)
    }

    private func redraw(finished: String?, final: Bool = false) {
        let text: String = state.withLock { s in
            var out = s.drawnLines > 0 ? "\u{1B}[\(s.drawnLines)A" : ""
            if let finished { out += "\u{1B}[2K\(finished)\n" }
            var lines = 0
            if !final {
                for (name, running) in s.running {
                    let elapsed = String(format: "%.1f", Date().timeIntervalSince(running.start))
                    out += "\u{1B}[2K  ... \(name) [\(running.kind)]: \(running.rows) rows, \(elapsed) s\n"
                    lines += 1
                }
            }
            for _ in lines..<max(lines, s.drawnLines - (finished == nil ? 0 : 1)) { out += "\u{1B}[2K\n" }
            let extra = max(0, s.drawnLines - (finished == nil ? 0 : 1) - lines)
            if extra > 0 { out += "\u{1B}[\(extra)A" }
            s.drawnLines = lines
            return out
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
