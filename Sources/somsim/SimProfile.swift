/// How the simulated head-ends and crews behave: latencies and the rate of each kind of failure.
struct SimProfile: Sendable {
    var gatewayLatencyMs: Int = 50
    var transientRate: Double = 0.02
    var permanentRate: Double = 0.005
    var unknownRate: Double = 0.01
    var safetyRate: Double = 0.002
    var travelMs: Int = 200
    var workMs: Int = 300
    var notDoneRate: Double = 0.03
    var batchSize: Int = 100
    var leaseMs: Int = 30_000
}
