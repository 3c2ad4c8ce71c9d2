import Dispatch
import Foundation
import Synchronization

/// Runs a plan's stages on Dispatch: a stage starts as soon as its inputs have succeeded, at most
/// `jobs` at a time, the deepest ready stage first (`Plan.schedulingOrder`). A failed stage stops its
/// dependents; unrelated stages go on.
package struct Executor: Sendable {
    package var jobs: Int

    package init(jobs: Int) { self.jobs = max(1, jobs) }

    /// How one stage ended.
    package enum Outcome: Sendable, Equatable {
        case succeeded
        case failed(String)
        /// Not run because an upstream stage failed (named).
        case notRun(because: String)
    }

    /// When a stage ran, in monotonic nanoseconds (for tests proving overlap).
    package struct Interval: Sendable {
        package var start: UInt64
        package var end: UInt64
    }

    struct State {
        var started = Set<String>()
        var outcomes: [String: Outcome] = [:]
        var running = 0
        var intervals: [String: Interval] = [:]
    }

    /// Runs `body` for each stage of `plan`; `body` throws to fail the stage.
    package func execute(_ plan: Plan, _ body: @escaping @Sendable (String) throws -> Void) -> (
        outcomes: [String: Outcome], intervals: [String: Interval]
    ) {
        let state = Mutex(State())
        let group = DispatchGroup()
        let queue = DispatchQueue(label: "passerelle.stages", attributes: .concurrent)
        let order = plan.schedulingOrder
        let jobs = self.jobs

        @Sendable func launchReady() {
            let ready: [String] = state.withLock { s in
                var picked: [String] = []
                for name in order where !s.started.contains(name) {
                    let inputs = plan.inputs[name] ?? []
                    if let blocker = inputs.first(where: { input in
                        if case .succeeded? = s.outcomes[input] { return false }
                        return s.outcomes[input] != nil
                    }) {
                        s.started.insert(name)
                        s.outcomes[name] = .notRun(because: Executor.rootCause(blocker, s.outcomes))
                        continue
                    }
                    guard s.running + picked.count < jobs,
                        inputs.allSatisfy({ s.outcomes[$0] == .succeeded })
                    else { continue }
                    picked.append(name)
                }
                for name in picked { s.started.insert(name) }
                s.running += picked.count
                return picked
            }
            for name in ready {
                group.enter()
                queue.async {
                    let start = DispatchTime.now().uptimeNanoseconds
                    var outcome = Outcome.succeeded
                    do { try body(name) } catch { outcome = .failed("\(error)") }
                    let end = DispatchTime.now().uptimeNanoseconds
                    state.withLock { s in
                        s.outcomes[name] = outcome
                        s.intervals[name] = Interval(start: start, end: end)
                        s.running -= 1
                    }
                    launchReady()
                    group.leave()
                }
            }
        }

        // Propagation of "not run" may need several passes when nothing is running.
        launchReady()
        group.wait()
        while state.withLock({ $0.started.count < order.count }) {
            launchReady()
            group.wait()
        }
        return state.withLock { ($0.outcomes, $0.intervals) }
    }

    private static func rootCause(_ name: String, _ outcomes: [String: Outcome]) -> String {
        if case .notRun(let cause)? = outcomes[name] { return cause }
        return name
    }
}
