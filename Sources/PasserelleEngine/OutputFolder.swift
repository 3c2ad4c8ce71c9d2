import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A folder of many small output files (an e-mail batch), written under a hidden temporary name and
/// renamed into place in one step when complete.
///
/// Writing each file atomically (temporary name, flush, rename) costs a disk flush and a rename per file:
/// the benchmark measured the flushes at 93 % of a 100 000-stay import, then the renames and path
/// handling at 12 % (`perf record` on `passerelle-bench --measures daily_import`). Here the files are
/// written straight into `.<name>.partial-<pid>/`, the file system is flushed to disk once (`syncfs`) at
/// `commit()`, and only then is the folder renamed to its final name, so a crash never leaves a partial
/// batch under the final name. Creating files in one folder takes the folder's lock in the kernel, so one
/// writer thread does it, in the background: the caller renders the next chunk meanwhile (at most two
/// chunks wait, so memory stays bounded).
///
/// ```swift
/// let folder = try context.outputFolder(named: "codes-sejour")
/// try folder.write([("0001-CR-2026-000001.eml", data)])
/// try folder.commit()
/// ```
package final class OutputFolder: Sendable {
    /// The folder's name in the run folder.
    package let name: String
    private let temporary: String
    private let destination: String
    private let isDryRun: Bool
    private let listFiles: @Sendable ([String]) -> Void
    private let writer = DispatchQueue(label: "passerelle.output-folder")
    private let room = DispatchSemaphore(value: 2)
    private let firstError = Mutex<(any Error)?>(nil)
    /// The files `append(_:to:)` has added to.
    private let appended = Mutex<Set<String>>([])

    init(name: String, in runFolder: URL, isDryRun: Bool, listFiles: @escaping @Sendable ([String]) -> Void) throws {
        self.name = name
        self.isDryRun = isDryRun
        self.listFiles = listFiles
        let final = runFolder.appendingPathComponent(name)
        destination = final.path
        temporary = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).partial-\(getpid())").path
        if !isDryRun { try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true) }
    }

    /// Queues files (name in the folder → bytes) for writing; an earlier write's error is thrown here or by
    /// `commit()`. In a dry run nothing is written and the files are listed.
    package func write(_ files: [(String, Data)]) throws {
        listFiles(files.map { "\(name)/\($0.0)" })
        if isDryRun || files.isEmpty { return }
        try enqueue { [temporary] in
            // Created relative to the folder (openat): the kernel does not walk the folder's path for each file.
            let folder = open(temporary, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard folder >= 0 else { throw Self.failure("open", temporary) }
            defer { close(folder) }
            for (file, data) in files { try Self.writeUnsynced(data, in: folder, name: file, folderPath: temporary) }
        }
    }

    /// Queues bytes to add at the end of a file of the folder (a manifest written as its rows come), after the
    /// files queued before; the first call creates the file. Listed once, like the files of `write(_:)`.
    package func append(_ data: Data, to file: String) throws {
        if appended.withLock({ $0.insert(file).inserted }) { listFiles(["\(name)/\(file)"]) }
        if isDryRun || data.isEmpty { return }
        try enqueue { [temporary] in
            try Self.writeUnsynced(data, in: AT_FDCWD, name: "\(temporary)/\(file)", folderPath: nil, flags: O_APPEND)
        }
    }

    /// Runs `work` on the writer thread, after what was queued before, once there is room (at most two pieces of
    /// work wait); its error is kept for the next call or `commit()`, and later work is skipped.
    private func enqueue(_ work: @escaping @Sendable () throws -> Void) throws {
        try checkWritten()
        room.wait()
        writer.async { [self] in
            defer { room.signal() }
            guard firstError.withLock({ $0 == nil }) else { return }
            do {
                try work()
            } catch {
                firstError.withLock { $0 = error }
            }
        }
    }

    private func checkWritten() throws {
        if let error = firstError.withLock({ $0 }) { throw error }
    }

    /// Flushes the files to disk and renames the folder into place (file by file if the folder exists).
    package func commit() throws {
        if isDryRun { return }
        writer.sync {}
        try checkWritten()
        try Self.flush(temporary)
        if rename(temporary, destination) == 0 { return }
        guard errno == EEXIST || errno == ENOTEMPTY else { throw Self.failure("rename", destination) }
        for file in try FileManager.default.contentsOfDirectory(atPath: temporary).sorted() {
            guard rename("\(temporary)/\(file)", "\(destination)/\(file)") == 0 else {
                throw Self.failure("rename", "\(destination)/\(file)")
            }
        }
        rmdir(temporary)
    }

    /// Removes what was written (after a failure); nothing appears under the final name.
    package func discard() {
        writer.sync {}
        if !isDryRun { try? FileManager.default.removeItem(atPath: temporary) }  // best effort: the failure is what matters
    }

    /// Writes `data` to `name`, relative to the open folder `folder` (or `AT_FDCWD`); `folderPath` names the folder
    /// in errors.
    private static func writeUnsynced(
        _ data: Data, in folder: Int32, name: String, folderPath: String?, flags: Int32 = O_TRUNC
    ) throws {
        func path() -> String { folderPath.map { "\($0)/\(name)" } ?? name }  // for errors only
        let fd = openat(folder, name, O_CREAT | O_WRONLY | O_CLOEXEC | flags, 0o644)
        guard fd >= 0 else { throw failure("create", path()) }
        defer { close(fd) }
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                guard n > 0 else { throw failure("write", path()) }
                offset += n
            }
        }
    }

    /// Flushes the file system holding `folder` to disk.
    ///
    /// `syncfs` flushes that file system only; Glibc's Swift module does not export it (it needs
    /// `_GNU_SOURCE`), so it is looked up at run time, with the global `sync` as the fallback.
    private static func flush(_ folder: String) throws {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", folder) }
        defer { close(fd) }
        if let syncfs {
            guard syncfs(fd) == 0 else { throw failure("flush", folder) }
        } else {
            sync()
        }
    }

    private typealias SyncFS = @convention(c) (Int32) -> Int32

    private static let syncfs: SyncFS? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }  // RTLD_DEFAULT
        return unsafeBitCast(symbol, to: SyncFS.self)
    }()

    private static func failure(_ operation: String, _ path: String) -> StageError {
        StageError(
            stage: "", message: "cannot \(operation) \(path): \(String(cString: strerror(errno)))",
            fix: "check that the output folder is writable and the disk not full")
    }
}
