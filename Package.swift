// swift-tools-version: 6.1
import PackageDescription

/// Strictness shared by every target (STYLE.md 2.2).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Passerelle",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Passerelle", targets: ["Passerelle"]),
        .executable(name: "passerelle", targets: ["PasserelleCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // C libraries
        .systemLibrary(
            name: "CXLSXWriter", path: "Sources/CXLSXWriter", pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(
            name: "CFreeXL", path: "Sources/CFreeXL", pkgConfig: "freexl",
            providers: [.apt(["libfreexl-dev"])]),
        .systemLibrary(
            name: "CLibCrypto", path: "Sources/CLibCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CLibZ", path: "Sources/CLibZ", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),

        // Core
        .target(name: "PasserelleCore", swiftSettings: strict),
        .target(
            name: "PasserelleSpec",
            dependencies: ["PasserelleCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .target(
            name: "PasserelleStore",
            dependencies: [
                "PasserelleCore", "CLibZ", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .target(
            name: "PasserelleEngine",
            dependencies: [
                "PasserelleCore", "PasserelleSpec", "PasserelleStore", "CLibCrypto", "CMalloc",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // Stages
        .target(
            name: "PasserelleStages",
            dependencies: [
                "PasserelleCore", "PasserelleEngine", "CXLSXWriter", "CFreeXL", "CLibZ",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/Stages",
            swiftSettings: strict),

        // Product
        .target(
            name: "Passerelle",
            dependencies: [
                "PasserelleCore", "PasserelleSpec", "PasserelleStore", "PasserelleEngine", "PasserelleStages", "CCurl",
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "PasserelleCLI",
            dependencies: [
                "Passerelle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // Benchmarks
        .executableTarget(
            name: "passerelle-bench",
            dependencies: [
                "Passerelle", "PasserelleCore", "PasserelleSpec", "PasserelleStore", "PasserelleEngine",
                "PasserelleStages",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/PasserelleBench",
            swiftSettings: strict),

        // Tests
        .testTarget(
            name: "PasserelleTests",
            dependencies: ["Passerelle", "PasserelleCore", "PasserelleSpec", "PasserelleStore", "PasserelleEngine", "PasserelleStages"],
            exclude: ["Fixtures", "Support"],
            swiftSettings: strict),
    ]
)
