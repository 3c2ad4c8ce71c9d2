import Dispatch
import Foundation
import Synchronization

/// A bounded first-in first-out queue from one producing thread to one consuming thread.
///
/// Hand-written for the XLSX reader, which inflates a part on a thread of its own while the calling thread scans
/// it: `capacity` bounds how far the producer runs ahead, hence memory. The consumer can stop the producer at any
/// time (`cancel()`): the producer's next `push` returns false. Items the consumer is done with can be handed back
/// (`recycle`), so that the producer reuses their storage instead of allocating.
///
/// Use it through `BoundedPipe.run(capacity:produce:consume:)`, which joins the producer before returning.
final class BoundedPipe<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var spares: [Element] = []
        var end: Result<Void, any Error>?
        var isCancelled = false
    }

    private let state = Mutex(State())
    /// Counts items (and the end) the consumer may take.
    private let ready = DispatchSemaphore(value: 0)
    /// Counts the room left for the producer.
    private let room = DispatchSemaphore(value: 0)

    init(capacity: Int) {
        // Raised from 0 rather than created at `capacity`: libdispatch traps when a semaphore is freed below its
        // initial value, which a cancelled pipe with items left in it would be.
        for _ in 0..<max(capacity, 1) { room.signal() }
    }

    /// Producer: appends `item`, waiting for room; false when the consumer has cancelled (the item is dropped).
    func push(_ item: Element) -> Bool {
        room.wait()
        let accepted = state.withLock { state in
            guard !state.isCancelled else { return false }
            state.items.append(item)
            return true
        }
        if accepted { ready.signal() } else { room.signal() }  // leave the room to the next `push`, which will refuse
        return accepted
    }

    /// Producer: an item handed back by the consumer, if any, to be refilled.
    func spare() -> Element? {
        state.withLock { $0.spares.popLast() }
    }

    /// Producer: there are no more items; the consumer gets `result` after the last one.
    func close(_ result: Result<Void, any Error>) {
        state.withLock { $0.end = result }
        ready.signal()
    }

    /// Consumer: the next item, nil after the last one, or the error the producer closed the pipe with.
    func pop() throws -> Element? {
        ready.wait()
        let next: Result<Element?, any Error> = state.withLock { state in
            if !state.items.isEmpty { return .success(state.items.removeFirst()) }
            return (state.end ?? .success(())).map { nil }
        }
        switch next {
        case .success(.some): room.signal()
        default: ready.signal()  // the end stays available to any later `pop`
        }
        return try next.get()
    }

    /// Consumer: hands an item back for the producer to reuse (a few are kept, the others freed).
    func recycle(_ item: Element) {
        state.withLock { state in
            if state.spares.count < 4 { state.spares.append(item) }
        }
    }

    /// Consumer: stops the producer at its next `push` and drops what it had queued.
    func cancel() {
        state.withLock { state in
            state.isCancelled = true
            state.items.removeAll()
        }
        room.signal()
    }

    /// Runs `produce` on a thread of its own and `consume` on the calling thread, joined by a pipe of `capacity`
    /// items; returns (or throws) once both have stopped.
    ///
    /// `produce` should stop when `push` returns false. What it throws reaches `consume` through `pop`. When
    /// `consume` returns or throws, the producer is cancelled and waited for: no thread outlives the call, and what
    /// `consume` threw reaches the caller unchanged.
    static func run<Result>(
        capacity: Int, produce: @escaping @Sendable (BoundedPipe) throws -> Void,
        consume: (BoundedPipe) throws -> Result
    ) throws -> Result {
        let pipe = BoundedPipe(capacity: capacity)
        let stopped = DispatchSemaphore(value: 0)
        let producer = Thread {
            pipe.close(Swift.Result { try produce(pipe) })
            stopped.signal()
        }
        producer.name = "passerelle.pipe"
        producer.start()
        defer {
            pipe.cancel()
            stopped.wait()
        }
        return try consume(pipe)
    }
}
