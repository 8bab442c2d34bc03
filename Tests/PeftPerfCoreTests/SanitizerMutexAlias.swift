#if PEFT_TSAN
    @testable import PeftPerfCore

    /// Under ThreadSanitizer, tests lock with the same pthread-backed mutex as
    /// the core (see `SanitizerMutex`), so TSan can see their locking too.
    typealias Mutex<Value: ~Copyable> = SanitizerMutex<Value>
#endif
