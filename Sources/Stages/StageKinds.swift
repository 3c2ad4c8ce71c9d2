import PasserelleEngine

/// Every stage kind this module provides, for the catalog (sorted by kind there).
package enum StageKinds {
    package static let all: [any Stage.Type] = [
        CSVIngest.self,
        TableIngest.self,
        ClientEmailValidation.self,
        EmailBatchOutput.self,
        FormulaConflictValidation.self,
        HTMLReportOutput.self,
        MembershipValidation.self,
        OfficeDeliveryTransform.self,
        OfficeMembershipTransform.self,
        OfficeOverlapsTransform.self,
        OfficeReportsOutput.self,
        OverlappingStaysValidation.self,
        PassSaisonBedsTransform.self,
        ProviderStoreOutput.self,
        ReferencesValidation.self,
        StayDatesValidation.self,
        StayStoreOutput.self,
        XLSXIngest.self,
        XLSXReportOutput.self,
        ChannelCommissionsTransform.self,
        MonthlyPayoutsTransform.self,
        PaymentFeesTransform.self,
        SalesTotalsTransform.self,
        StoredStaysIngest.self,
        CommissionInvoicesOutput.self,
        FECOutput.self,
        StatementHTMLOutput.self,
        StatementXLSXOutput.self,
    ]
}
