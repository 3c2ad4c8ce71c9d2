import Foundation
import PasserelleSpec

/// The daemon's memory of its pipelines: which are running, and the last slot each one ran.
///
/// A pure state machine, driven by a clock passed in, so the rules are tested without threads or waiting:
/// - a pipeline is never started while it runs (`begin` refuses); a slot that falls due during a long run
///   is run once, after it, never alongside it;
/// - a pipeline with no recorded slot counts from the daemon's start: slots before it are not caught up;
/// - the slot a run was started for is recorded when the run ends (succeeded or failed), so a daemon killed
///   mid-run runs that slot again on restart (store stages are transactional and imports are idempotent).
package struct RunBook: Sendable {
    /// When the daemon started: the origin for pipelines that never ran on schedule.
    package let startedAt: Date
    private var lastSlots: [String: Date]
    private var running: Set<String> = []
    /// Each pipeline's next slot after its last one, with what it was computed from.
    private var upcoming: [String: Upcoming] = [:]

    private struct Upcoming: Sendable {
        var key: String
        var next: Date?
        var recheckAt: Date
    }

    package init(startedAt: Date, lastSlots: [String: Date] = [:]) {
        self.startedAt = startedAt
        self.lastSlots = lastSlots
    }

    /// Whether a run of this pipeline is under way.
    package func isRunning(_ pipeline: String) -> Bool { running.contains(pipeline) }

    /// The last slot run for a pipeline, if one was recorded.
    package func lastSlot(_ pipeline: String) -> Date? { lastSlots[pipeline] }

    /// The slot due now for an idle pipeline, or nil (running, unscheduled, or nothing due).
    ///
    /// The next slot is computed once per last slot and kept, so a tick costs a comparison until it falls due;
    /// when no slot falls within the look-back span (a 29 February), it is looked for again a day later.
    package mutating func dueSlot(_ pipeline: String, schedule: CronSchedule?, now: Date) -> Date? {
        guard let schedule, !running.contains(pipeline) else { return nil }
        let after = lastSlots[pipeline] ?? startedAt
        let key = "\(schedule.expression.text)|\(schedule.timeZone.identifier)|\(after.timeIntervalSince1970)"
        if let cached = upcoming[pipeline], cached.key == key {
            if let next = cached.next, next > now { return nil }
            if cached.next == nil, now < cached.recheckAt { return nil }
        }
        let from = max(after, now.addingTimeInterval(-CronSchedule.lookBackSeconds))
        let next = schedule.nextSlot(after: from)
        upcoming[pipeline] = Upcoming(key: key, next: next, recheckAt: now.addingTimeInterval(86_400))
        guard let next, next <= now else { return nil }
        return schedule.dueSlot(after: after, now: now)
    }

    /// Marks a pipeline as running; false if it already is (the caller must not start it).
    package mutating func begin(_ pipeline: String) -> Bool {
        running.insert(pipeline).inserted
    }

    /// Sets a pipeline's last slot from the store, unless a later one is already known.
    package mutating func seed(_ pipeline: String, slot: Date) {
        if slot > (lastSlots[pipeline] ?? .distantPast) { lastSlots[pipeline] = slot }
    }

    /// Marks a run as ended, recording the slot it was started for (nil for an inbox-triggered run).
    package mutating func finish(_ pipeline: String, slot: Date?) {
        running.remove(pipeline)
        if let slot, slot > (lastSlots[pipeline] ?? .distantPast) { lastSlots[pipeline] = slot }
    }
}
