import PeftPerfCore

@main
struct PeftPerf {
    static func main() {
        print("peft-perf")
    }
}
