import SOMClient
import SOMCodec

/// The simulated meters behind the gateways: switch state, commissioning and registers that advance.
///
/// A meter is learned from the server's device record (the public Devices API) the first time a
/// command or visit names its service point; after that the simulator owns its physical state, as a
/// real head-end would.
actor MeterPopulation {
    struct Meter {
        var meterID: String
        var supply: SupplyState
        var commissioned: Bool
        /// Register at `baseTime`, in thousandths of a kWh.
        var registerMilli: Int64
        var baseSeconds: Int64
    }

    private var meters: [String: Meter] = [:]
    private let client: SOMClient
    private let random: SimRandom

    init(client: SOMClient, random: SimRandom) {
        self.client = client
        self.random = random
    }

    /// The meter at `servicePointID`, learned from the server on first use.
    func meter(servicePointID: String, meterID: String) async -> Meter {
        if let known = meters[servicePointID] { return known }
        let device = try? await client.device(servicePointID: servicePointID)
        let now = Timestamp.now()
        let meter = Meter(
            meterID: meterID.isEmpty ? (device?.meterID ?? "") : meterID,
            supply: device?.supplyState == .unspecified ? .connected : (device?.supplyState ?? .connected),
            commissioned: device?.commissioned ?? false,
            registerMilli: device?.lastReading?.valueMilli ?? Int64(random.below(50_000_000, servicePointID)),
            baseSeconds: device?.lastReading?.readAt?.seconds ?? now.seconds)
        // Another task may have learned it meanwhile; the first one wins.
        if let known = meters[servicePointID] { return known }
        meters[servicePointID] = meter
        return meter
    }

    /// Changes a meter's state.
    func update(_ servicePointID: String, _ change: (inout Meter) -> Void) {
        guard var meter = meters[servicePointID] else { return }
        change(&meter)
        meters[servicePointID] = meter
    }

    /// A reading of the register now: consumption accrues at about 1 kWh per hour while connected.
    func reading(servicePointID: String, source: ReadingSource) -> Reading? {
        guard let meter = meters[servicePointID] else { return nil }
        let now = Timestamp.now()
        let elapsed = max(0, now.seconds - meter.baseSeconds)
        let value = meter.registerMilli + (meter.supply == .connected ? elapsed * 278 : 0)
        return Reading(valueMilli: value, unit: "kWh", readAt: now, source: source, meterID: meter.meterID)
    }

    var count: Int { meters.count }
}
