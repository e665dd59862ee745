/// Seeded draws that depend only on the seed and a key (command id and attempt, activity id), not on
/// timing or the order in which work arrives: the same seed gives the same outcomes run after run.
struct SimRandom: Sendable {
    let seed: UInt64

    /// A uniform value in [0, 1) for `key`.
    func unit(_ key: String, _ salt: UInt64 = 0) -> Double {
        Double(bits(key, salt) >> 11) / Double(1 << 53)
    }

    /// A uniform integer in 0..<bound for `key`.
    func below(_ bound: Int, _ key: String, _ salt: UInt64 = 0) -> Int {
        Int(bits(key, salt) % UInt64(max(bound, 1)))
    }

    func bits(_ key: String, _ salt: UInt64) -> UInt64 {
        // FNV-1a over the key, then splitmix64's finaliser with the seed and salt mixed in.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        var z = hash ^ (seed &* 0x9E37_79B9_7F4A_7C15) ^ (salt &* 0xD1B5_4A32_D192_ED03)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
