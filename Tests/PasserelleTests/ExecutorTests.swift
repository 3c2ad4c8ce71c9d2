import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec
import PasserelleStore
import Testing

@testable import Passerelle

@Suite struct ExecutorTests {
    let catalog: [any Stage.Type] = [BarrierStage.self, FailingStage.self, PassStage.self, TableSpyStage.self]

    @Test(.timeLimit(.minutes(1)))
    func independentStagesOverlapAndDependentsWait() throws {
        let folder = try TestSupport.temporaryDirectory()
        let group = UUID().uuidString
        let spec = try TestSupport.spec(
            """
            name: overlap
            stages:
              a: { kind: test.barrier, options: { group: \(group), wait_for: b } }
              b: { kind: test.barrier, options: { group: \(group), wait_for: a } }
              c: { kind: test.pass, inputs: [a, b] }
            """, in: folder, catalog: catalog)
        let report = try Runner(catalog: catalog).run(
            spec, options: TestSupport.options(in: folder, jobs: 2), observer: nil, logger: TestSupport.quietLogger)
        #expect(report.succeeded, "\(report.summary)")
        let a = try #require(report.intervals["a"])
        let b = try #require(report.intervals["b"])
        let c = try #require(report.intervals["c"])
        #expect(a.start < b.end && b.start < a.end)
        #expect(c.start >= a.end && c.start >= b.end)
    }

    /// With one job, a branch already begun is carried to its end before the next branch's reader starts, so the
    /// first branch's tables are released before the second loads its rows (and the declaration order holds
    /// among stages of the same depth).
    @Test func theDeepestReadyStageStartsFirst() throws {
        let folder = try TestSupport.temporaryDirectory()
        let spec = try TestSupport.spec(
            """
            name: branches
            stages:
              read_a: { kind: test.pass }
              read_b: { kind: test.pass }
              sum_a: { kind: test.pass, inputs: [read_a] }
              write_a: { kind: test.pass, inputs: [sum_a] }
              sum_b: { kind: test.pass, inputs: [read_b] }
              write_b: { kind: test.pass, inputs: [sum_b] }
            """, in: folder, catalog: catalog)
        let report = try Runner(catalog: catalog).run(
            spec, options: TestSupport.options(in: folder, jobs: 1), observer: nil, logger: TestSupport.quietLogger)
        #expect(report.succeeded, "\(report.summary)")
        let started = report.intervals.sorted { $0.value.start < $1.value.start }.map(\.key)
        #expect(started == ["read_a", "sum_a", "write_a", "read_b", "sum_b", "write_b"])
    }

    @Test func failureStopsDependentsAndLetsOthersFinish() throws {
        let folder = try TestSupport.temporaryDirectory()
        let spec = try TestSupport.spec(
            """
            name: failing
            stages:
              source: { kind: test.fail }
              transform: { kind: test.pass, inputs: [source] }
              report: { kind: test.pass, inputs: [transform] }
              unrelated: { kind: test.pass }
            """, in: folder, catalog: catalog)
        let report = try Runner(catalog: catalog).run(
            spec, options: TestSupport.options(in: folder), observer: nil, logger: TestSupport.quietLogger)
        #expect(!report.succeeded)
        #expect(report.outcomes["unrelated"] == .succeeded)
        #expect(report.outcomes["transform"] == .notRun(because: "source"))
        #expect(report.outcomes["report"] == .notRun(because: "source"))
        #expect(
            report.summary
                == "run 1 of failing failed: stage 'source' (test.fail) failed: the source is unreachable; "
                + "not run: 'transform', 'report'")
        let history = try Store(path: TestSupport.options(in: folder).storePath).runs()
        #expect(history.first?.status == "failed")
    }

    /// A stage sees the tables it declares it reads, and no other; a run that does not keep tables keeps each
    /// one until its last reader has finished (e, naming a, still sees a's tables after b, c and d), then drops it.
    @Test func aStageSeesWhatItReadsAndTablesGoOnceTheirLastReaderHasFinished() throws {
        let stages = """
            a: { kind: test.tables, options: { reads: inputs } }
            b: { kind: test.tables, inputs: [a], options: { reads: inputs } }
            c: { kind: test.tables, inputs: [b], options: { reads: inputs } }
            d: { kind: test.tables, inputs: [c], options: { reads: files } }
            e: { kind: test.tables, inputs: [d], options: { reads: "a" } }
            f: { kind: test.tables, inputs: [e], options: { reads: inputs } }
            """
        let (report, seen) = try tablesSeen(stages, keepsTables: false)
        #expect(seen["b"] == "a[file_info,rows]")
        // c reads its input only: a's tables, kept for d and e, are not in its sight.
        #expect(seen["c"] == "a[] b[file_info,rows]")
        // d reads every file_info, and its input.
        #expect(seen["d"] == "a[file_info] b[file_info] c[file_info,rows]")
        #expect(seen["e"] == "a[file_info,rows] b[] c[] d[file_info,rows]")
        #expect(seen["f"] == "a[] b[] c[] d[] e[file_info,rows]")
        #expect(report.results.allSatisfy { $0.output.tables.isEmpty })

        let kept = try tablesSeen(stages, keepsTables: true)
        #expect(kept.seen["f"] == "a[] b[] c[] d[] e[file_info,rows]")
        #expect(kept.report.results.allSatisfy { $0.output.tables.count == 2 })
    }

    /// The same without a stage reading anything upstream: a table goes as soon as its readers are done.
    @Test func aStageReadingItsInputsLetsOlderTablesGo() throws {
        let seen = try tablesSeen(
            """
            a: { kind: test.tables, options: { reads: inputs } }
            b: { kind: test.tables, inputs: [a], options: { reads: inputs } }
            c: { kind: test.tables, inputs: [b], options: { reads: files } }
            d: { kind: test.tables, inputs: [c], options: { reads: inputs } }
            """, keepsTables: false
        ).seen
        #expect(seen["c"] == "a[file_info] b[file_info,rows]")
        #expect(seen["d"] == "a[] b[] c[file_info,rows]")
    }

    /// A stage reading by references (a report's sections, an e-mail batch's source) reads the named tables only:
    /// not the other tables of the stage named, nor those of its direct inputs.
    @Test func referencesReadTheNamedTablesOnly() {
        let reads = TableReads.inputs(andReferences: ["store_providers.changes", "find_overlaps", "files", "rejected", "findings"])
        let direct = ["store_stays", "find_overlaps"]
        #expect(reads.reads("changes", of: "store_providers", directInputs: direct))
        #expect(!reads.reads("rows", of: "store_providers", directInputs: direct))
        #expect(reads.reads("overlaps", of: "find_overlaps", directInputs: direct))
        #expect(reads.reads("rows", of: "find_overlaps", directInputs: direct))
        #expect(reads.reads("file_info", of: "stays", directInputs: direct))
        #expect(!reads.reads("stays", of: "store_stays", directInputs: direct))
        #expect(!reads.reads("rejected", of: "store_stays", directInputs: direct))
        #expect(TableReads.inputsOnly.reads("stays", of: "store_stays", directInputs: direct))
    }

    /// A stage that takes its input's table gets it only when no other stage still reads it, and only when the
    /// run does not keep tables; what it took is no longer in sight.
    @Test func aTableIsHandedOverToItsLastReaderOnly() throws {
        let seen = try tablesSeen(
            """
            a: { kind: test.tables, options: { reads: inputs } }
            b: { kind: test.tables, inputs: [a], options: { reads: inputs, takes: true } }
            c: { kind: test.tables, inputs: [b], options: { reads: inputs } }
            d: { kind: test.tables, inputs: [c], options: { reads: inputs, takes: true } }
            """, keepsTables: false
        ).seen
        // Every table of a that no other stage reads is handed over (its file_info too), so none is left in sight.
        #expect(seen["b"] == "took true (in sight true, after false); a[]")
        // c still reads b's rows, so d, which runs after c, takes c's rows but b's were already dropped.
        #expect(seen["c"] == "a[] b[file_info,rows]")
        #expect(seen["d"] == "took true (in sight true, after false); a[] b[] c[]")

        let shared = try tablesSeen(
            """
            a: { kind: test.tables, options: { reads: inputs } }
            b: { kind: test.tables, inputs: [a], options: { reads: inputs, takes: true } }
            c: { kind: test.tables, inputs: [a, b], options: { reads: inputs } }
            """, keepsTables: false
        ).seen
        #expect(shared["b"] == "took false (in sight true, after true); a[file_info,rows]")

        let kept = try tablesSeen(
            """
            a: { kind: test.tables, options: { reads: inputs } }
            b: { kind: test.tables, inputs: [a], options: { reads: inputs, takes: true } }
            """, keepsTables: true
        ).seen
        #expect(kept["b"] == "took false (in sight true, after true); a[file_info,rows]")
    }

    /// Runs `test.tables` stages (YAML lines under `stages:`) on one thread; each stage's note says which
    /// upstream tables it could still see.
    private func tablesSeen(_ stages: String, keepsTables: Bool) throws -> (report: RunReport, seen: [String: String]) {
        let folder = try TestSupport.temporaryDirectory()
        let indented = stages.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        let spec = try TestSupport.spec("name: drops\nstages:\n\(indented)\n", in: folder, catalog: catalog)
        var options = TestSupport.options(in: folder, jobs: 1)
        options.keepsTables = keepsTables
        let report = try Runner(catalog: catalog).run(spec, options: options, observer: nil, logger: TestSupport.quietLogger)
        return (report, Dictionary(uniqueKeysWithValues: report.results.map { ($0.name, $0.notes.joined()) }))
    }

    @Test func onlyRunsTheStageAndWhatItNeeds() throws {
        let folder = try TestSupport.temporaryDirectory()
        let spec = try TestSupport.spec(
            """
            name: only
            stages:
              a: { kind: test.pass }
              b: { kind: test.pass, inputs: [a] }
              c: { kind: test.pass, inputs: [b] }
              d: { kind: test.pass }
            """, in: folder, catalog: catalog)
        var options = TestSupport.options(in: folder)
        options.only = ["b"]
        let report = try Runner(catalog: catalog).run(spec, options: options, observer: nil, logger: TestSupport.quietLogger)
        #expect(report.order == ["a", "b"])
        #expect(report.succeeded)
    }

    @Test func planGroupsStagesThatRunSideBySide() throws {
        let folder = try TestSupport.temporaryDirectory()
        let spec = try TestSupport.spec(
            """
            name: plan
            stages:
              a: { kind: test.pass }
              b: { kind: test.pass }
              c: { kind: test.pass, inputs: [a, b] }
            """, in: folder, catalog: catalog)
        let text = try Passerelle(catalog: catalog, environment: [:]).planText(spec)
        #expect(
            text == """
                pipeline plan: 3 stage(s) in 2 step(s)
                step 1 (side by side):
                  a [test.pass]
                  b [test.pass]
                step 2:
                  c [test.pass] after a, b

                """)
    }

    @Test func aSecondRunIsBlockedByTheLock() throws {
        let folder = try TestSupport.temporaryDirectory()
        let spec = try TestSupport.spec("name: locked\nstages:\n  a: { kind: test.pass }\n", in: folder, catalog: catalog)
        let options = TestSupport.options(in: folder)
        var held: RunLock? = try RunLock(storePath: options.storePath, waitSeconds: 0)
        #expect(held != nil)
        #expect(throws: RunLockError.self) {
            try Runner(catalog: catalog).run(spec, options: options, observer: nil, logger: TestSupport.quietLogger)
        }
        held = nil  // releases the lock: the next run goes through
        let report = try Runner(catalog: catalog).run(spec, options: options, observer: nil, logger: TestSupport.quietLogger)
        #expect(report.succeeded)
    }

    @Test func aStageFailingMidWriteLeavesNoFileUnderItsFinalName() throws {
        let folder = try TestSupport.temporaryDirectory()
        let spec = try TestSupport.spec(
            "name: partial\nstages:\n  write: { kind: test.fail, options: { partial_file: rapport.xlsx } }\n",
            in: folder, catalog: catalog)
        let report = try Runner(catalog: catalog).run(
            spec, options: TestSupport.options(in: folder), observer: nil, logger: TestSupport.quietLogger)
        #expect(!report.succeeded)
        let files = try TestSupport.files(under: folder.appendingPathComponent("out"))
        #expect(files.isEmpty, "left behind: \(files.keys.sorted())")
    }

    @Test func aFailedStoreWriteLeavesNoPartialRows() throws {
        let folder = try TestSupport.temporaryDirectory()
        let store = try Store(path: folder.appendingPathComponent("s.sqlite").path)
        _ = try store.upsertProviders(
            [ProviderRecord(code: "H1", name: "Chalet")],
            accommodations: [AccommodationRecord(code: "H1-A", providerCode: "H1", name: "A")],
            scope: WriteScope(runID: 1, stage: "p", commit: true))
        let day = try #require(CalendarDate(year: 2027, month: 1, day: 2))
        let good = StayRecord(
            reference: "R1", accommodationCode: "H1-A", lastName: "Dupont", firstName: "Marie", email: "m@example.fr",
            arrival: day, departure: day.adding(days: 7))
        var orphan = good
        orphan.reference = "R2"
        orphan.accommodationCode = "NOPE"
        #expect(throws: StoreError.self) {
            try store.upsertStays([good, orphan], scope: WriteScope(runID: 1, stage: "s", commit: true))
        }
        #expect(try store.stays(ofAccommodations: ["H1-A"]).isEmpty)
    }
}
