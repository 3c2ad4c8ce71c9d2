import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Rejects stays whose departure is not after their arrival.
///
/// A stay's nights run from arrival up to, not including, departure: a stay needs at least one night.
/// Rule: `validate.stay_dates.departure_not_after_arrival`.
///
/// ```yaml
/// check_dates: { kind: validate.stay_dates, inputs: [check_emails] }
/// ```
struct StayDatesValidation: Stage {
    static let schema = StageKindSchema(
        kind: "validate.stay_dates", summary: "Reject stays whose departure is not after the arrival.",
        options: [], inputs: 1...1)

    init(spec: StageSpec) throws {}

    var tableReads: TableReads { .inputsOnly }
    var inputFields: [FieldRequirement] { [.required("arrival", .date), .required("departure", .date)] }

    /// Its input's rows, those that pass.
    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [inputs.primary] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let table = try ValidationSupport.primary(inputs, stage: context.stageName)
        var out = table.emptyCopy()
        for row in table.rows {
            guard let arrival = table.value("arrival", in: row).date,
                let departure = table.value("departure", in: row).date, departure <= arrival
            else {
                out.rows.append(row)
                continue
            }
            let location = table.location(of: "departure", in: row)
            context.reject([
                Diagnostic(
                    rule: "validate.stay_dates.departure_not_after_arrival", location: location,
                    message: "départ le \(departure.frenchText), pas après l'arrivée le \(arrival.frenchText) "
                        + "pour le séjour de \(ValidationSupport.stayLabel(table, row))",
                    found: departure.frenchText,
                    fix: "corrigez la date de départ en \(ValidationSupport.cellName(location)) (au moins une nuit) "
                        + "puis réimportez le fichier")
            ])
        }
        return StageOutput(rows: out, rowsIn: table.rows.count)
    }
}
