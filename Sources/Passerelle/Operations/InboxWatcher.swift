import Foundation
import PasserelleSpec

/// Watches a pipeline's inbox and says when the files dropped there are complete and can be taken.
///
/// A file is complete when two scans saw the same size and modification time, and it was last modified at least
/// `stable_seconds` ago (by the clock passed in). A file moved in by rename is complete as soon as it is old
/// enough. Files dropped together are taken together: while any matching file is still changing, nothing is
/// taken, so the providers file and the stays file go into the same run, whose stages read them in the order
/// the pipeline's dependencies give. When several files match one pattern, the oldest goes first (then by name);
/// the others wait for the next run.
package struct InboxWatcher: Sendable {
    package let inbox: InboxSpec
    private var seen: [String: Observation] = [:]

    private struct Observation: Equatable {
        var size: Int64
        var modified: Date
    }

    /// Files taken for one run: variable name → file.
    package struct Batch: Sendable, Equatable {
        package var files: [String: URL]

        /// The `--var name=path` overrides for the run.
        package var overrides: [String: String] { files.mapValues(\.path) }
    }

    package init(inbox: InboxSpec) { self.inbox = inbox }

    /// Scans the inbox; returns the batch to run now, or nil (nothing there, or a file still being written).
    package mutating func scan(now: Date) throws -> Batch? {
        var candidates: [(variable: String, url: URL, observation: Observation)] = []
        var isSettled = true
        for url in try files() {
            guard let variable = variable(for: url.lastPathComponent) else { continue }
            let observation = try observe(url)
            let previous = seen.updateValue(observation, forKey: url.path)
            let isOldEnough = now.timeIntervalSince(observation.modified) >= TimeInterval(inbox.stableSeconds)
            if previous != observation || !isOldEnough { isSettled = false }
            candidates.append((variable, url, observation))
        }
        guard isSettled, !candidates.isEmpty else { return nil }
        var files: [String: URL] = [:]
        let ordered = candidates.sorted {
            ($0.observation.modified, $0.url.lastPathComponent) < ($1.observation.modified, $1.url.lastPathComponent)
        }
        for candidate in ordered where files[candidate.variable] == nil { files[candidate.variable] = candidate.url }
        return Batch(files: files)
    }

    /// Forgets files that were moved away after a run.
    package mutating func forget(_ batch: Batch) {
        for url in batch.files.values { seen[url.path] = nil }
    }

    /// The variable whose pattern a file name matches (the first in name order), if any.
    private func variable(for name: String) -> String? {
        inbox.patterns.keys.sorted().first { FilePattern(inbox.patterns[$0] ?? "").matches(name) }
    }

    /// Regular, visible files directly in the inbox (not in `archive/` or `rejected/`).
    private func files() throws -> [URL] {
        let folder = URL(fileURLWithPath: inbox.folder)
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        let urls = try FileManager.default.contentsOfDirectory(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        return try urls.filter { try $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    private func observe(_ url: URL) throws -> Observation {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = attributes[.modificationDate] as? Date ?? .distantFuture
        return Observation(size: size, modified: modified)
    }
}
