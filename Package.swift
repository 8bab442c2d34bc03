// swift-tools-version:6.0
import PackageDescription

// Swift settings shared by every Swift target. `InternalImportsByDefault`
// turns a C type leaking into a public signature into a compile error, which
// keeps the C modules behind PeftPerfCore.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "peft-perf",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "peft-perf", targets: ["peft-perf"]),
        .library(name: "PeftPerfCore", targets: ["PeftPerfCore"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        .target(
            name: "PeftPerfCore",
            dependencies: ["CSQLite", "CCurl"],
            swiftSettings: swiftSettings
        ),
        // The command line: parser, command table, commands and renderers. A
        // library, so that tests and fuzz targets import it like any other.
        .target(
            name: "PeftPerfCLI",
            dependencies: ["PeftPerfCore"],
            swiftSettings: swiftSettings
        ),
        // The executable is one call into PeftPerfCLI (Sources/peft-perf/main.swift).
        .executableTarget(
            name: "peft-perf",
            dependencies: ["PeftPerfCLI"],
            swiftSettings: swiftSettings
        ),
        // Helpers shared by the test targets; never part of a product.
        .target(
            name: "PeftPerfTestSupport",
            dependencies: ["PeftPerfCore"],
            path: "Tests/PeftPerfTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PeftPerfCoreTests",
            dependencies: ["PeftPerfCore", "PeftPerfTestSupport"],
            swiftSettings: swiftSettings
        ),
        // Benchmarks that print figures, run with PEFT_PERF_BENCH=1; the raw C
        // loop they compare the core against is test code, not product code.
        .testTarget(
            name: "PeftPerfBenchmarks",
            dependencies: ["PeftPerfCore", "CSQLite", "PeftPerfTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PeftPerfCLITests",
            dependencies: ["peft-perf", "PeftPerfCLI", "PeftPerfCore", "PeftPerfTestSupport"],
            // Committed `--help` snapshots, read from the source tree.
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzz targets, built only when PEFT_FUZZ is set: `-sanitize=fuzzer` brings
// libFuzzer's own `main`, which would break the plain build. The core and
// the CLI library are instrumented for coverage too, so the fuzzer can see
// into them.
//   PEFT_FUZZ=1 swift build --scratch-path .build-fuzz --product FuzzValueParsers
if Context.environment["PEFT_FUZZ"] != nil {
    let fuzzTargets = [
        "FuzzValueParsers", "FuzzSQLNormalizer", "FuzzRecordEvent", "FuzzProcParsers", "FuzzEndpointNormalizer",
        "FuzzHistogramDecoder", "FuzzAssertionExpression", "FuzzHTTP", "FuzzDatabaseFile", "FuzzArgumentParser",
        "FuzzCommand",
    ]
    // The libraries are instrumented; FuzzArgumentParser reaches the CLI's
    // internals with @testable, which a debug build allows.
    for target in package.targets where target.name == "PeftPerfCore" || target.name == "PeftPerfCLI" {
        target.swiftSettings =
            swiftSettings + [
                .unsafeFlags(["-sanitize=fuzzer,address"])
            ]
    }
    // The libFuzzer entry every target shares (Fuzz/Support).
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/Support", swiftSettings: swiftSettings))
    for name in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: name,
                dependencies: ["PeftPerfCore", "PeftPerfCLI", "FuzzSupport"],
                path: "Fuzz/\(name)",
                swiftSettings: swiftSettings + [.unsafeFlags(["-sanitize=fuzzer,address", "-parse-as-library"])],
                linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]
            ))
        package.products.append(.executable(name: name, targets: [name]))
    }
}

// AddressSanitizer for our own code: PEFT_ASAN=1 swift test --scratch-path .build-asan
// The library and the executable are instrumented; the test targets only link
// the runtime. `swift test --sanitize=address` would also instrument the
// expansions of Swift Testing's `#expect`, where comparing a 9-byte optional
// such as `UInt64?` trips a false stack-buffer-overflow inside the runtime's
// `_convertToAnyHashable` (seen with Swift 6.3.1), which is not our code.
if Context.environment["PEFT_ASAN"] != nil {
    for target in package.targets {
        switch target.type {
        case .regular, .executable:
            target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-sanitize=address"])]
            target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(["-sanitize=address"])]
        case .test:
            target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(["-sanitize=address"])]
        default:
            break
        }
    }
}
