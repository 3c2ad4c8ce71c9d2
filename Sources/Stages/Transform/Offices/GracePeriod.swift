import Foundation

/// A non-member provider's grace period (domain.md rule 4): from the instant its office was told, a number
/// of elapsed hours set by the office (48 to 72).
///
/// The deadline is an instant: across a daylight-saving change it falls one hour later (spring) or earlier
/// (autumn) on the Paris clock than the notice did. It has passed from the deadline itself onwards.
struct GracePeriod: Sendable, Hashable {
    var notifiedAt: Date
    var hours: Int

    var deadline: Date { notifiedAt.addingTimeInterval(TimeInterval(hours * 3_600)) }

    /// Whether the deadline has passed at `now` (the run's clock).
    func hasPassed(at now: Date) -> Bool { now >= deadline }
}
