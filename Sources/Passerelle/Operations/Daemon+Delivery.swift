import Foundation
import Logging
import PasserelleSpec
import PasserelleStore

extension Daemon {
    /// Sends the batches named by the definition's `delivery:` from a successful run's folder, when SMTP is set.
    ///
    /// A batch written as files is sent from its manifest; one kept in the store alone (`files: false`) is sent
    /// from the outbox: the messages of that batch folder not delivered yet, this run's and any earlier one's
    /// left deferred. A batch with nothing to send is skipped. What could not be delivered stays in the delivery
    /// log (`deferred`, `failed`) and is logged; `passerelle send` can be run again by hand.
    func deliver(_ pipeline: DaemonPipeline, result: LaunchResult) {
        guard let delivery = pipeline.delivery, let runFolder = result.runFolder else { return }
        guard let smtp = settings.smtp else {
            logger.warning(
                "Batches not sent: PASSERELLE_SMTP_URL is not set.", metadata: ["pipeline": "\(pipeline.name)"])
            return
        }
        for name in delivery.batches {
            let folder = runFolder.appendingPathComponent(name)
            let hasFiles = FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest.csv").path)
            do {
                let sender = BatchDelivery(
                    transport: SMTPTransport(settings: smtp), store: try Store(path: pipeline.storePath),
                    now: { [clock] in clock.now() })
                let report = try hasFiles ? sender.send(batchFolder: folder) : sender.send(folder: name)
                guard hasFiles || !report.isEmpty else { continue }
                let level: Logger.Level = report.isComplete ? .info : .error
                logger.log(
                    level: level, "Batch sent.", metadata: ["batch": "\(folder.path)", "report": "\(report.text)"])
            } catch {
                logger.error("Batch not sent.", metadata: ["batch": "\(folder.path)", "error": "\(error)"])
            }
        }
    }
}
