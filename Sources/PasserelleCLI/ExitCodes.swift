import PasserelleStore
import PasserelleEngine
import PasserelleCore
import PasserelleSpec
import Foundation
import ArgumentParser

/// The exit codes of `passerelle`, listed in README.md.
enum Exit {
    /// A stage failed; the others that could run did.
    static let stageFailed = ExitCode(1)
    /// The definition has errors (`check`, or `run`/`plan` on a bad definition).
    static let badDefinition = ExitCode(3)
    /// Another run holds the store's lock.
    static let locked = ExitCode(4)
    /// The run could not start: store unreadable, a stage that cannot be built, bad `--as-of`.
    static let cannotStart = ExitCode(5)
}
