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

    package func export(to folder: URL, runID: Int64? = nil, kind: String? = nil) throws -> Summary {
        var summary = Summary()
        var manifests: [String: String] = [:]  // batch folder → manifest text, in the order first met
        for message in try store.outboxMessages(runID: runID, kind: kind) {
            let base = runID == nil ? "run-\(String(message.runID).leftPadded(4))/" : ""
            let path = base + message.file
            guard let data = try store.outboxMessageData(key: message.record.key) else { continue }  // listed with its text
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
            let batch = (path as NSString).deletingLastPathComponent
            if manifests[batch] == nil {
                manifests[batch] = EmailBatchFiles.manifestHeader
                summary.batches.append(batch)
            }
            manifests[batch, default: ""] += EmailBatchFiles.manifestLine(
                recipient: message.record.recipient, template: message.template,
                subjectKey: message.record.subjectKey, key: message.record.key, file: message.file)
            summary.messages += 1
        }
        for (batch, text) in manifests {
            try Data(text.utf8).write(to: folder.appendingPathComponent(batch).appendingPathComponent("manifest.csv"))
        }
        return summary
    }
}
