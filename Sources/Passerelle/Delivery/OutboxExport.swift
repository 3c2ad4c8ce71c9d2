import Foundation
import PasserelleCore
import PasserelleStages
import PasserelleStore

/// `passerelle outbox export`: writes the outbox's messages as the batch folders an e-mail batch writes, the
/// `.eml` files byte for byte as they were prepared and each folder's `manifest.csv`, so a batch kept in the
/// store alone (`files: false`) can be read, archived or sent from files (`passerelle send FOLDER`).
///
/// With a run, its batches land in `folder` as in the run folder (`folder/codes-sejour/0001-….eml`); without,
/// each run's in `folder/run-<id>/`. Files already there are replaced.
package struct OutboxExport {
    package var store: Store

    package init(store: Store) { self.store = store }

    /// What an export wrote.
    package struct Summary: Sendable, Equatable {
        package var messages = 0
        /// The batch folders written, relative to the export's folder.
        package var batches: [String] = []
    }

    /// Writes the messages as read from the store, one at a time, and each batch's manifest line by line: memory
    /// does not grow with the outbox.
    package func export(to folder: URL, runID: Int64? = nil, kind: String? = nil) throws -> Summary {
        var summary = Summary()
        var manifests: [String: FileHandle] = [:]  // batch folder → its manifest, open for appending
        defer { for handle in manifests.values { try? handle.close() } }  // closing a file written: nothing to lose
        var lastDirectory: URL?
        try store.eachOutboxMessage(runID: runID, kind: kind) { message, data in
            let base = runID == nil ? "run-\(String(message.runID).leftPadded(4))/" : ""
            let path = base + message.file
            let url = folder.appendingPathComponent(path)
            // The batch folder is the message's first folder: an office's mail lies one level below its batch's
            // manifest (`offices/<office>/courriel.eml`, listed in `offices/manifest.csv`).
            let batch = base + (message.file.split(separator: "/").dropLast().first.map(String.init) ?? "")
            let directory = url.deletingLastPathComponent()
            if directory != lastDirectory {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                lastDirectory = directory
            }
            if manifests[batch] == nil {
                let manifest = folder.appendingPathComponent(batch).appendingPathComponent("manifest.csv")
                try Data(EmailBatchFiles.manifestHeader.utf8).write(to: manifest)
                manifests[batch] = try FileHandle(forWritingTo: manifest)
                try manifests[batch]?.seekToEnd()
                summary.batches.append(batch)
            }
            try data.write(to: url)
            let line = EmailBatchFiles.manifestLine(
                recipient: message.record.recipient, template: message.template,
                subjectKey: message.record.subjectKey, key: message.record.key, file: message.file)
            try manifests[batch]?.write(contentsOf: Data(line.utf8))
            summary.messages += 1
        }
        return summary
    }
}
