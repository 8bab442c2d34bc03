/// The entry every fuzz target shares.
///
/// SwiftPM links an executable with `main` aliased to `<module>_main`, which
/// would shadow libFuzzer's own `main`; so each target's `<module>_main` hands
/// control to libFuzzer's driver through ``run(_:_:_:)``.
public enum FuzzDriver {
    /// The libFuzzer callback: one input, 0 to keep it, -1 to reject it.
    public typealias Callback = @convention(c) (UnsafePointer<UInt8>, Int) -> Int32

    /// Runs libFuzzer's driver with the process's arguments and `callback`.
    public static func run(
        _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ callback: Callback
    ) -> Int32 {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, callback)
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzDriver.Callback
) -> Int32
