import Foundation
import PasserelleEngine
import PasserelleSpec
import Testing

/// The schedule rules, on a simulated clock: due times, both daylight-saving days, catch-up, no overlap.
@Suite struct ScheduleTests {
    static func instant(_ iso: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: iso), "bad test date \(iso)")
    }

    static func schedule(_ cron: String) throws -> CronSchedule {
        CronSchedule(try CronExpression(parsing: cron))
    }

    /// Ticks a run book once a minute from `start` to `end` (the run ends within the minute); the slots run.
    static func simulate(_ schedule: CronSchedule, last: Date, from start: Date, to end: Date) -> [Date] {
        var book = RunBook(startedAt: start, lastSlots: ["p": last])
        var runs: [Date] = []
        var now = start
        while now <= end {
            if let slot = book.dueSlot("p", schedule: schedule, now: now), book.begin("p") {
                runs.append(slot)
                book.finish("p", slot: slot)
            }
            now = now.addingTimeInterval(60)
        }
        return runs
    }

    @Test func slotFallsDueAtItsParisTimeAndNotBefore() throws {
        let schedule = try Self.schedule("0 6 * * 1-6")
        let last = try Self.instant("2026-11-23T05:00:00Z")  // Monday 06:00 in Paris (UTC+1)
        #expect(schedule.dueSlot(after: last, now: try Self.instant("2026-11-24T04:59:59Z")) == nil)
        #expect(
            schedule.dueSlot(after: last, now: try Self.instant("2026-11-24T05:00:30Z"))
                == (try Self.instant("2026-11-24T05:00:00Z")))
        #expect(
            schedule.nextSlot(after: try Self.instant("2026-11-28T05:00:00Z"))
                == (try Self.instant("2026-11-30T05:00:00Z")))
    }

    @Test func summerSlotsFollowTheSummerOffset() throws {
        let schedule = try Self.schedule("0 6 * * *")
        let runs = Self.simulate(
            schedule, last: try Self.instant("2026-07-01T04:00:00Z"), from: try Self.instant("2026-07-01T12:00:00Z"),
            to: try Self.instant("2026-07-02T12:00:00Z"))
        #expect(runs == [try Self.instant("2026-07-02T04:00:00Z")])  // 06:00 CEST (UTC+2)
    }

    @Test func anotherTimeZoneCanBeNamed() throws {
        let zone = try #require(TimeZone(identifier: "Indian/Reunion"))
        let schedule = CronSchedule(try CronExpression(parsing: "0 6 * * *"), timeZone: zone)
        let due = schedule.dueSlot(
            after: try Self.instant("2026-11-23T12:00:00Z"), now: try Self.instant("2026-11-24T12:00:00Z"))
        #expect(due == (try Self.instant("2026-11-24T02:00:00Z")))  // 06:00 at UTC+4
    }

    @Test func springForwardSlotRunsOnceAtTheFirstMinuteAfterTheGap() throws {
        // 2026-03-29 in Paris: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day.
        let runs = Self.simulate(
            try Self.schedule("30 2 * * *"), last: try Self.instant("2026-03-28T01:30:00Z"),
            from: try Self.instant("2026-03-28T12:00:00Z"), to: try Self.instant("2026-03-30T12:00:00Z"))
        #expect(runs == [try Self.instant("2026-03-29T01:00:00Z"), try Self.instant("2026-03-30T00:30:00Z")])
    }

    @Test func autumnRepeatedHourRunsOnce() throws {
        // 2026-10-25 in Paris: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice.
        let runs = Self.simulate(
            try Self.schedule("30 2 * * *"), last: try Self.instant("2026-10-24T00:30:00Z"),
            from: try Self.instant("2026-10-24T12:00:00Z"), to: try Self.instant("2026-10-25T12:00:00Z"))
        #expect(runs == [try Self.instant("2026-10-25T00:30:00Z")])  // the first 02:30 (CEST), not 01:30Z
    }

    @Test func hourlyJobFollowsElapsedTimeOnBothChangeDays() throws {
        let hourly = try Self.schedule("0 * * * *")
        let autumn = Self.simulate(
            hourly, last: try Self.instant("2026-10-24T21:00:00Z"), from: try Self.instant("2026-10-24T21:00:00Z"),
            to: try Self.instant("2026-10-25T22:59:00Z"))
        #expect(autumn.count == 25)  // 00:00 to 23:00 in Paris: 25 hours that day, 02:00 twice
        let spring = Self.simulate(
            hourly, last: try Self.instant("2026-03-28T22:00:00Z"), from: try Self.instant("2026-03-28T22:00:00Z"),
            to: try Self.instant("2026-03-29T21:59:00Z"))
        #expect(spring.count == 23)  // 02:00 does not exist; 03:00 runs once
        #expect(Set(spring).count == spring.count)
    }

    @Test func missedSlotsAfterDowntimeRunOnce() throws {
        let schedule = try Self.schedule("0 6 * * *")
        var book = RunBook(
            startedAt: try Self.instant("2026-11-24T10:00:00Z"),
            lastSlots: ["p": try Self.instant("2026-11-20T05:00:00Z")])
        let now = try Self.instant("2026-11-24T10:00:00Z")  // four slots missed while the machine was off
        let due = book.dueSlot("p", schedule: schedule, now: now)
        let slot = try #require(due)
        #expect(slot == (try Self.instant("2026-11-24T05:00:00Z")))
        let begun = book.begin("p")
        #expect(begun)
        book.finish("p", slot: slot)
        let dueAgain = book.dueSlot("p", schedule: schedule, now: now)
        #expect(dueAgain == nil)
    }

    @Test func aNewPipelineDoesNotCatchUpSlotsBeforeTheDaemonStarted() throws {
        var book = RunBook(startedAt: try Self.instant("2026-11-24T10:00:00Z"))
        let schedule = try Self.schedule("0 6 * * *")
        let beforeStart = book.dueSlot("p", schedule: schedule, now: try Self.instant("2026-11-24T10:05:00Z"))
        #expect(beforeStart == nil)
        let nextMorning = book.dueSlot("p", schedule: schedule, now: try Self.instant("2026-11-25T05:00:10Z"))
        #expect(nextMorning == (try Self.instant("2026-11-25T05:00:00Z")))
    }

    @Test func aLongRunDelaysTheNextSlotInsteadOfOverlappingIt() throws {
        let schedule = try Self.schedule("*/10 * * * *")
        var book = RunBook(
            startedAt: try Self.instant("2026-11-24T08:00:30Z"),
            lastSlots: ["p": try Self.instant("2026-11-24T07:50:00Z")])
        let due = book.dueSlot("p", schedule: schedule, now: try Self.instant("2026-11-24T08:00:30Z"))
        let first = try #require(due)
        let begun = book.begin("p")
        #expect(begun)
        // The run lasts 25 minutes: two slots pass, the pipeline is never started a second time.
        for minute in 1...25 {
            let now = first.addingTimeInterval(TimeInterval(60 * minute))
            let during = book.dueSlot("p", schedule: schedule, now: now)
            #expect(during == nil)
        }
        let begunAgain = book.begin("p")
        #expect(!begunAgain)
        book.finish("p", slot: first)
        let now = try Self.instant("2026-11-24T08:25:30Z")
        let after = book.dueSlot("p", schedule: schedule, now: now)
        #expect(after == (try Self.instant("2026-11-24T08:20:00Z")))
    }
}
