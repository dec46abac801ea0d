import Foundation
import LogParse

/// Finds the runs under the folders a nightly job points at, and says what it passed over and why.
///
/// A run is a console log, a `trainer_state.json`, a LLaMA-Factory `trainer_log.jsonl`, or an HF
/// `output_dir` with `checkpoint-N/trainer_state.json` (read once, through its newest state: its
/// checkpoint folders are not runs of their own). Weights, archives and images are skipped by
/// name without being read; configs and launch scripts are not runs. Files that turn out empty,
/// binary or unreadable are found when read (``NightlyAnalysis``) and listed as skipped too.
struct RunDiscovery {
  struct Skipped: Sendable, Equatable {
    var path: String
    var reason: String
  }

  private(set) var inputs: [String] = []
  private(set) var skipped: [Skipped] = []
  /// Arguments that are neither a folder nor a file.
  private(set) var missing: [String] = []

  /// Names that are model weights, optimizer states, archives or pictures: never logs, often huge.
  static let binaryExtensions: Set<String> = [
    "safetensors", "bin", "pt", "pth", "ckpt", "npy", "npz", "pkl", "pickle", "gz", "zip", "tar", "zst", "xz",
    "png", "jpg", "jpeg", "gif", "pdf", "arrow", "parquet", "so", "o", "whl", "model", "msgpack", "h5",
  ]

  init(_ roots: [String]) {
    for root in roots {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
        missing.append(root)
        continue
      }
      if isDirectory.boolValue {
        walk(root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root)
      } else {
        inputs.append(root)
      }
    }
  }

  private mutating func walk(_ directory: String) {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    } catch {
      skipped.append(Skipped(path: directory, reason: "folder cannot be listed: \(error.localizedDescription)"))
      return
    }
    let holdsCheckpoints = names.contains { isCheckpoint($0) && exists("\(directory)/\($0)/trainer_state.json") }
    let isRunFolder = holdsCheckpoints || names.contains("trainer_state.json")
    if isRunFolder { inputs.append(directory) }
    for name in names where !name.hasPrefix(".") {
      let path = "\(directory)/\(name)"
      var isDirectory: ObjCBool = false
      let present = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      if present, isDirectory.boolValue {
        // A run folder's checkpoints are read through the folder; their weights are not logs.
        if isRunFolder, isCheckpoint(name) { continue }
        walk(path)
      } else if isRunFolder, name == "trainer_state.json" {
        continue
      } else {
        classify(path, name: name)
      }
    }
  }

  private mutating func classify(_ path: String, name: String) {
    let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
    if name.contains("."), Self.binaryExtensions.contains(ext) {
      skipped.append(Skipped(path: path, reason: "binary by its name (.\(ext)): weights, archive or image"))
      return
    }
    switch InputKind.detect(path) {
    case .deepSpeedConfig:
      skipped.append(Skipped(path: path, reason: "a JSON config, not a run"))
    case .launchScript:
      skipped.append(Skipped(path: path, reason: "a launch script, not a run"))
    default:
      inputs.append(path)
    }
  }

  private func isCheckpoint(_ name: String) -> Bool {
    name.hasPrefix("checkpoint-") && Int(name.dropFirst("checkpoint-".count)) != nil
  }

  private func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
