import Dispatch
import Foundation
import PasserelleEngine
import Synchronization

/// Whether an input file is to be read (`StageContext.shouldRead`: its SHA-256 against the files already
/// imported), asked on a thread of its own so that reading can start at once.
///
/// Hand-written for `ingest.csv`: the digest of a 1 000 000-stay file takes 120-250 ms, which the reading no longer
/// waits for. The reader must not let anything it does be seen (rejections, notes, progress) before `wait()` says
/// yes, and should stop early once `isDeclined`: then a file already imported costs little more than before.
final class ReadDecision: Sendable {
    private let outcome = Mutex<Result<Bool, any Error>?>(nil)
    private let decided = DispatchSemaphore(value: 0)
    /// Set when the decision is only made at the first `wait()`.
    private let decideAtWait: (@Sendable () throws -> Bool)?

    /// Starts computing the digest of `path` on a thread of its own.
    convenience init(path: String, context: StageContext) {
        self.init(onItsOwnThread: true) { try context.shouldRead(inputFile: path) }
    }

    /// Decides by `decide`, on a thread of its own, or else at the first `wait()`: tests use that to be sure the
    /// reading runs undecided up to the point where it waits.
    init(onItsOwnThread: Bool, _ decide: @escaping @Sendable () throws -> Bool) {
        decideAtWait = onItsOwnThread ? nil : decide
        guard onItsOwnThread else { return }
        Thread { [self] in
            let result = Result { try decide() }
            outcome.withLock { $0 = result }
            decided.signal()
        }.start()
    }

    /// Whether the file is to be read, waiting for the digest if needed; throws what `shouldRead` threw.
    func wait() throws -> Bool {
        if let decideAtWait {
            return try outcome.withLock { outcome in
                let result = outcome ?? Result { try decideAtWait() }
                outcome = result
                return result
            }.get()
        }
        decided.wait()
        decided.signal()  // for the next caller
        // The semaphore is signalled only once the outcome is set: the placeholder is never returned.
        return try outcome.withLock { $0 ?? .success(true) }.get()
    }

    /// Whether the digest is known and the file is not to be read.
    var isDeclined: Bool {
        outcome.withLock { if case .success(false) = $0 { true } else { false } }
    }

    /// Whether the digest is known and the file is to be read.
    var isAccepted: Bool {
        outcome.withLock { if case .success(true) = $0 { true } else { false } }
    }
}
