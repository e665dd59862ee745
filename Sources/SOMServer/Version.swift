/// The version of this build, reported by `Health` and `--version`.
public enum SOMVersion {
    /// Semantic version of the server and tools.
    public static let current = "0.1.0"
}
