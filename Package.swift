// swift-tools-version: 6.2
import PackageDescription

// MARK: - Settings shared by every target

let swiftSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

// MARK: - Package

let package = Package(
  name: "diagnose",
  products: [
    .executable(name: "diagnose", targets: ["diagnose"]),
    .library(name: "LogParse", targets: ["LogParse"]),
    .library(name: "Analysis", targets: ["Analysis"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(
      name: "CPCRE2",
      pkgConfig: "libpcre2-8",
      providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
    ),
    .target(name: "LogParse", dependencies: ["CPCRE2"], swiftSettings: swiftSettings),
    .target(name: "Analysis", dependencies: ["LogParse"], swiftSettings: swiftSettings),
    .executableTarget(
      name: "diagnose",
      dependencies: [
        "LogParse", "Analysis",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(name: "LogParseTests", dependencies: ["LogParse"], swiftSettings: swiftSettings),
    .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "LogParse"], swiftSettings: swiftSettings),
    .testTarget(name: "DiagnoseTests", dependencies: ["diagnose"], swiftSettings: swiftSettings),
  ]
)
