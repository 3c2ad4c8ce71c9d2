import Foundation

/// Moves inbox files once their run is over: `archive/YYYY/MM/` on success, `rejected/` with a reason otherwise.
///
/// The month is the run clock's, in the pipeline's time zone. A name already taken in the destination gets a
/// `-2`, `-3`… suffix before its extension, so nothing is overwritten.
package struct InboxFiling: Sendable {
    package var inboxFolder: URL
    package var timeZone: TimeZone

    package init(inboxFolder: URL, timeZone: TimeZone) {
        self.inboxFolder = inboxFolder
        self.timeZone = timeZone
    }

    /// Moves a file of a successful run to `archive/YYYY/MM/`; returns where it went.
    @discardableResult
    package func archive(_ file: URL, at now: Date) throws -> URL {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month], from: now)
        let folder = inboxFolder.appendingPathComponent("archive")
            .appendingPathComponent(String(format: "%04d", parts.year ?? 0))
            .appendingPathComponent(String(format: "%02d", parts.month ?? 0))
        return try move(file, into: folder)
    }

    /// Moves a file of a failed run to `rejected/` and writes `<file>.reason.txt` beside it.
    @discardableResult
    package func reject(_ file: URL, reason: String) throws -> URL {
        let destination = try move(file, into: inboxFolder.appendingPathComponent("rejected"))
        let note = destination.appendingPathExtension("reason.txt")
        try Data((reason.hasSuffix("\n") ? reason : reason + "\n").utf8).write(to: note, options: .atomic)
        return destination
    }

    private func move(_ file: URL, into folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let base = file.deletingPathExtension().lastPathComponent
        let ext = file.pathExtension
        var destination = folder.appendingPathComponent(file.lastPathComponent)
        var n = 2
        while FileManager.default.fileExists(atPath: destination.path) {
            destination = folder.appendingPathComponent(ext.isEmpty ? "\(base)-\(n)" : "\(base)-\(n).\(ext)")
            n += 1
        }
        try FileManager.default.moveItem(at: file, to: destination)
        return destination
    }
}
