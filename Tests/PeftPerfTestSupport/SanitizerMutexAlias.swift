#if PEFT_TSAN
    import PeftPerfCore

    /// Under ThreadSanitizer, test support locks with the same pthread-backed
    /// mutex as the core (see `SanitizerMutex`), so TSan can see its locking
    /// too (`RunningProcess` reaps and reads under one lock).
    typealias Mutex<Value: ~Copyable> = SanitizerMutex<Value>
#endif
