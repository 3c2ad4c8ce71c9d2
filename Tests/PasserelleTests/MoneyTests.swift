import Testing
@testable import PasserelleCore

@Suite struct MoneyTests {
    @Test func parsesFrenchAmounts() {
        #expect(Money.parse("1 234,50") == Money(cents: 123450))
        #expect(Money.parse("1\u{202F}234,5 €") == Money(cents: 123450))
        #expect(Money.parse("1234.56") == Money(cents: 123456))
        #expect(Money.parse("1.234,56") == Money(cents: 123456))
        #expect(Money.parse("-12") == Money(cents: -1200))
        #expect(Money.parse("12,345") == nil)
        #expect(Money.parse("abc") == nil)
    }

    @Test func roundsHalfAwayFromZero() {
        #expect(Money(cents: 6000).applying(basisPoints: 300) == Money(cents: 180))
        #expect(Money(cents: 5).applying(basisPoints: 5000) == Money(cents: 3))
        #expect(Money(cents: -5).applying(basisPoints: 5000) == Money(cents: -3))
    }
}
