import Synchronization
import Testing

@testable import PasserelleStages

@Suite struct BoundedPipeTests {
    struct Stop: Error, Equatable { let at: Int }

    /// A count shared with the producer's thread.
    final class Counter: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        func add() { count.withLock { $0 += 1 } }
    }

    @Test(.timeLimit(.minutes(1))) func deliversTheItemsInOrderThenTheEnd() throws {
        let received = try BoundedPipe<Int>.run(capacity: 2) { pipe in
            for item in 0..<1000 {
                guard pipe.push(item) else { return }
            }
        } consume: { pipe in
            var items: [Int] = []
            while let item = try pipe.pop() { items.append(item) }
            return items
        }
        #expect(received == Array(0..<1000))
    }

    @Test(.timeLimit(.minutes(1))) func passesTheProducersErrorAfterItsItems() {
        var received: [Int] = []
        let error = #expect(throws: Stop.self) {
            try BoundedPipe<Int>.run(capacity: 4) { pipe in
                guard pipe.push(1), pipe.push(2) else { return }
                throw Stop(at: 3)
            } consume: { pipe in
                while let item = try pipe.pop() { received.append(item) }
            }
        }
        #expect(error == Stop(at: 3))
        #expect(received == [1, 2])
    }

    /// The producer would push forever: only `cancel` (when the consumer throws) can end it, and `run` returns
    /// after it has ended.
    @Test(.timeLimit(.minutes(1))) func stopsAnEndlessProducerWhenTheConsumerThrows() {
        let ended = Counter()
        let error = #expect(throws: Stop.self) {
            try BoundedPipe<Int>.run(capacity: 4) { pipe in
                var item = 0
                while pipe.push(item) { item += 1 }
                ended.add()
            } consume: { pipe in
                while let item = try pipe.pop() {
                    if item == 3 { throw Stop(at: item) }
                }
            }
        }
        #expect(error == Stop(at: 3))
        #expect(ended.value == 1)
    }

    @Test(.timeLimit(.minutes(1))) func neverRunsAheadOfTheConsumerByMoreThanItsCapacity() throws {
        let pushed = Counter()
        let capacity = 3
        let overruns = try BoundedPipe<Int>.run(capacity: capacity) { pipe in
            for item in 0..<500 {
                guard pipe.push(item) else { return }
                pushed.add()
            }
        } consume: { pipe in
            var popped = 0
            var overruns = 0
            while try pipe.pop() != nil {
                popped += 1
                if pushed.value > popped + capacity { overruns += 1 }
            }
            return overruns
        }
        #expect(overruns == 0)
    }

    @Test func handsRecycledItemsBackToTheProducer() {
        let pipe = BoundedPipe<[UInt8]>(capacity: 2)
        #expect(pipe.spare() == nil)
        pipe.recycle([1, 2, 3])
        #expect(pipe.spare() == [1, 2, 3])
        #expect(pipe.spare() == nil)
    }
}
