/// A number literal checked against the RFC 8259 grammar, whose integer value is found exactly
/// from its digits (never through `Double`), so 64-bit values and forms like `1.5e3` are exact.
struct JSONNumberLiteral {
    /// The exact value of a literal, when it is an integer that fits 64 bits.
    enum IntegerValue {
        case exact(negative: Bool, magnitude: UInt64)
        case fractional
        case outOfRange
    }

    private(set) var integerValue: IntegerValue = .fractional

    /// Nil when `text` is not a JSON number.
    init?(_ text: String) {
        var text = text
        guard let value = text.withUTF8({ Self.scan($0) }) else { return nil }
        integerValue = value
    }

    private static func scan(_ s: UnsafeBufferPointer<UInt8>) -> IntegerValue? {
        var i = 0
        func isDigit(_ k: Int) -> Bool { k < s.count && s[k] &- UInt8(ascii: "0") < 10 }
        let negative = i < s.count && s[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let intStart = i
        guard isDigit(i) else { return nil }
        if s[i] == UInt8(ascii: "0") {
            i += 1
            if isDigit(i) { return nil }
        } else {
            while isDigit(i) { i += 1 }
        }
        let intEnd = i
        var fracStart = i, fracEnd = i
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return nil }
            fracStart = i
            while isDigit(i) { i += 1 }
            fracEnd = i
        }
        var exponent = 0
        if i < s.count, s[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                exponentNegative = s[i] == UInt8(ascii: "-")
                i += 1
            }
            guard isDigit(i) else { return nil }
            while isDigit(i) {
                // Saturate: any exponent this large already decides the outcome.
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(s[i] - UInt8(ascii: "0")) }
                i += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard i == s.count else { return nil }

        // The digits, integer part then fraction, with value digits × 10^scale.
        let intCount = intEnd - intStart
        let digitCount = intCount + (fracEnd - fracStart)
        func digit(_ k: Int) -> UInt64 { UInt64(s[k < intCount ? intStart + k : fracStart + k - intCount] - UInt8(ascii: "0")) }
        var scale = exponent - (fracEnd - fracStart)
        var first = 0, last = digitCount
        while first < last, digit(first) == 0 { first += 1 }
        if first == last { return .exact(negative: negative, magnitude: 0) }
        while digit(last - 1) == 0 {
            last -= 1
            scale += 1
        }
        if scale < 0 { return .fractional }
        if last - first + scale > 20 { return .outOfRange }
        var magnitude: UInt64 = 0
        for k in first..<last {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit(k))
            if overflow1 || overflow2 { return .outOfRange }
            magnitude = sum
        }
        for _ in 0..<scale {
            let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            if overflow { return .outOfRange }
            magnitude = times10
        }
        return .exact(negative: negative, magnitude: magnitude)
    }
}
