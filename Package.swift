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
        .executableTarget(
            name: "peft-perf",
            dependencies: ["PeftPerfCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PeftPerfCoreTests",
            dependencies: ["PeftPerfCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PeftPerfCLITests",
            dependencies: ["peft-perf", "PeftPerfCore"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
