/// A request that ends the run early but successfully: `--help`, `--version`.
///
/// The text goes to stdout and the exit status is 0.
struct CleanExit: Error, Sendable {
    let text: String
}
