import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a store, so that two runs on the same store never interleave.
///
/// A `flock` on `<store>.lock`: released by the kernel if the process dies, so a crash never leaves a
/// stale lock behind.
package final class RunLock: Sendable {
    private let descriptor: Int32
    package let path: String

    /// Takes the lock, waiting up to `waitSeconds` (0: fail at once) for another run to finish.
    package init(storePath: String, waitSeconds: Int) throws {
        path = storePath + ".lock"
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RunLockError(path: path, message: "cannot create the lock file (\(String(cString: strerror(errno))))")
        }
        let deadline = Date().addingTimeInterval(TimeInterval(waitSeconds))
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if Date() >= deadline {
                close(descriptor)
                throw RunLockError(
                    path: path,
                    message: "another run is using this store"
                        + (waitSeconds > 0 ? " (waited \(waitSeconds) s)" : "")
                        + "; wait for it to finish, or pass --wait-lock SECONDS to queue behind it")
            }
            usleep(100_000)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// The store is locked by another run.
package struct RunLockError: Error, CustomStringConvertible {
    package var path: String
    package var message: String
    package var description: String { "\(path): \(message)" }
}
