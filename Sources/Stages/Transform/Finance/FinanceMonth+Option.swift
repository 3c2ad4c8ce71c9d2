import Foundation
import PasserelleCore
import PasserelleEngine

extension FinanceMonth {
    /// Parses the `month` option of a stage, or explains what is expected.
    static func option(_ text: String?, stage: String) throws -> FinanceMonth {
        guard let text, let month = FinanceMonth(text) else {
            throw StageError(
                stage: stage, message: "month '\(text ?? "")' is not a month written YYYY-MM",
                fix: "run with --var month=YYYY-MM, e.g. --var month=2027-04", option: "month")
        }
        return month
    }
}
