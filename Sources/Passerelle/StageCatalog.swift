import Foundation
import PasserelleStore
import PasserelleCore
import PasserelleSpec
import PasserelleEngine
import PasserelleStages

/// The one list of stage kinds, sorted by kind. Adding a stage = one line here.
public enum StageCatalog {
    package static let all: [any Stage.Type] = [
        StageKinds.all
    ].flatMap { $0 }.sorted { $0.schema.kind < $1.schema.kind }
}
