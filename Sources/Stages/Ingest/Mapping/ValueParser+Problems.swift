import PasserelleCore

/// The French messages and fixes of each typing rule (one place, so the report's wording stays consistent).
extension ValueProblem {
    /// `ingest.value.required`: a required column left empty on this row.
    static func required(header: String) -> ValueProblem {
        ValueProblem(
            rule: "ingest.value.required", message: "valeur obligatoire manquante",
            fix: "renseignez la colonne « \(header) » puis réimportez le fichier")
    }

    /// `ingest.value.cell_error`: the workbook shows an error (`#N/A`, `#DIV/0!`) instead of a value.
    static func cellError(_ code: String) -> ValueProblem {
        ValueProblem(
            rule: "ingest.value.cell_error", message: "cellule en erreur : « \(code) »",
            fix: "corrigez la formule de cette cellule dans le classeur puis réimportez le fichier")
    }

    /// `ingest.value.date`.
    static func date(_ cell: CellValue) -> ValueProblem {
        ValueProblem(
            rule: "ingest.value.date", message: "date illisible : « \(cell.displayText) »",
            fix: "saisissez la date au format jj/mm/aaaa")
    }

    /// `ingest.value.integer`.
    static func integer(_ cell: CellValue) -> ValueProblem {
        ValueProblem(
            rule: "ingest.value.integer", message: "nombre entier illisible : « \(cell.displayText) »",
            fix: "saisissez un nombre entier sans décimales, par exemple 4")
    }

    /// `ingest.value.money`.
    static func money(_ cell: CellValue) -> ValueProblem {
        ValueProblem(
            rule: "ingest.value.money", message: "montant illisible : « \(cell.displayText) »",
            fix: "saisissez un montant en euros avec au plus deux décimales, par exemple 1 234,50")
    }

    /// `ingest.value.percent`.
    static func percent(_ cell: CellValue) -> ValueProblem {
        ValueProblem(
            rule: "ingest.value.percent", message: "pourcentage illisible : « \(cell.displayText) »",
            fix: "saisissez un pourcentage avec au plus deux décimales, par exemple 17 % ou 17,5 %")
    }

    /// `ingest.value.boolean`.
    static func boolean(_ cell: CellValue) -> ValueProblem {
        ValueProblem(
            rule: "ingest.value.boolean", message: "valeur oui/non illisible : « \(cell.displayText) »",
            fix: "saisissez Oui ou Non")
    }

    /// `ingest.value.enumeration`, listing the accepted values.
    static func enumeration(_ cell: CellValue, accepted: [String]) -> ValueProblem {
        ValueProblem(
            rule: "ingest.value.enumeration", message: "valeur non reconnue : « \(cell.displayText) »",
            fix: "saisissez l'une des valeurs acceptées : \(accepted.joined(separator: ", "))")
    }

    /// `ingest.value.email`: present but malformed (a missing required one is `ingest.value.required`).
    static func email(_ cell: CellValue) -> ValueProblem {
        ValueProblem(
            rule: "ingest.value.email", message: "adresse e-mail invalide : « \(cell.displayText) »",
            fix: "corrigez l'adresse (forme attendue : nom@domaine.fr) puis réimportez le fichier")
    }
}
