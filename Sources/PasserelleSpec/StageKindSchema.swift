import Foundation
import PasserelleCore
/// What `check` knows of a stage kind: its name, summary, options and how many inputs it takes.
package struct StageKindSchema: Sendable {
    package var kind: String
    package var summary: String
    package var options: [OptionSpec]
    package var inputs: ClosedRange<Int>

    package init(kind: String, summary: String, options: [OptionSpec], inputs: ClosedRange<Int>) {
        self.kind = kind
        self.summary = summary
        self.options = options
        self.inputs = inputs
    }
}
