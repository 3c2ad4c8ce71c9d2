import PasserelleStore
import PasserelleEngine
import PasserelleCore
import PasserelleSpec
import Foundation
import Logging

/// Logging for the command line: plain log lines on standard error (swift-log).
enum CLILogging {
    /// A logger at info level (debug with --verbose); on a terminal, where live progress lines show what
    /// runs, only warnings and errors are logged unless --verbose.
    static func logger(verbose: Bool, terminal: Bool) -> Logger {
        var logger = Logger(label: "passerelle") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = verbose ? .debug : (terminal ? .warning : .info)
        return logger
    }
}
