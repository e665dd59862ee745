import SOMCodec

/// Deterministic, representative service order requests (about 200 bytes packed, like the
/// baseline's ServiceOrder): unique source request ids, service points drawn from a population.
struct OrderGenerator: Sendable {
    /// How many distinct service points the orders spread over (the baseline uses 100,000).
    var servicePoints: UInt64 = 100_000
    /// Distinguishes runs against the same server so their keys never collide.
    var runTag: String

    private static let types: [OrderType] = [
        .enableService, .disableService, .cutForNonPayment, .reconnectForPayment, .exchangeMeter,
        .offCycleRead, .investigate, .installMeter,
    ]

    /// The request for sequence number `index`; with `sorted`, service points ascend with the index
    /// (as billing runs often arrive), otherwise they are scattered at random.
    func request(_ index: UInt64, sorted: Bool, total: UInt64) -> ServiceOrderRequest {
        let h = Self.mix(index)
        let h2 = Self.mix(index &+ 0x1234567)
        let sp = sorted ? index * servicePoints / max(total, 1) : h % servicePoints
        var request = ServiceOrderRequest()
        request.sourceSystem = .cis
        request.sourceRequestID = "\(runTag)-WO-\(index)"
        request.orderType = Self.types[Int(h >> 8) % Self.types.count]
        request.servicePointID = "SP-\(Self.padded(sp, 9))"
        request.requestedAt = Timestamp(seconds: 1_800_086_400 + Int64(h % 604_800))
        request.serviceAgreements = [ServiceAgreement(agreementID: "SA-\(Self.padded(h2 % 10_000_000, 8))", accountID: "CUST-\(Self.padded(h2 % 9_999_991, 8))")]
        request.contact = Contact(name: "Customer \(h2 % 100_000)", phone: "+47 \(Self.padded(h % 100_000_000, 8))")
        request.notes = (h >> 24) & 1 == 0 ? "Dog on site" : "Call ahead"
        if request.orderType == .cutForNonPayment {
            request.collectionData = CollectionData(accountID: "CUST-\(h2 % 9_999_991)", amountDueMinor: Int64(h % 500_000), currency: "NOK")
        }
        return request
    }

    static func padded(_ value: UInt64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// splitmix64's finaliser: cheap, and every bit depends on every input bit.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
