import LogParse

#if canImport(Glibc)
  import Glibc
#endif

/// A directory watched for log files that appear in it (a new run starting next to the old ones).
///
/// Each ``newFiles(known:)`` lists the directory again (polling, as for files: inotify does not see
/// NFS or Lustre writes from other nodes) and returns the console logs not seen before. A rotated
/// log (`train.log` renamed to `train.log.1`) keeps its inode, so a caller that passes the inodes it
/// already follows does not read it twice.
struct WatchedDirectory {
  let path: String
  private var seen: Set<String> = []

  /// Names that are not training logs: compressed rotations, editor and temporary files, and the
  /// metrics a watcher may itself write next to the logs.
  static let ignoredSuffixes = [
    ".gz", ".bz2", ".xz", ".zst", ".zip", ".tar", ".prom", ".tmp", ".swp", ".pid", ".lock",
  ]

  init(path: String) {
    self.path = path
  }

  /// The paths of console logs in the directory that were not there at the last call, except
  /// those whose inode is in `known`.
  mutating func newFiles(known: Set<UInt>) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var found: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard !name.hasPrefix("."), !seen.contains(name) else { continue }
      seen.insert(name)
      guard !Self.ignoredSuffixes.contains(where: { name.hasSuffix($0) }) else { continue }
      let full = path.hasSuffix("/") ? path + name : path + "/" + name
      var info = stat()
      guard stat(full, &info) == 0 else {
        // Gone again, or a dangling link: look again next time.
        seen.remove(name)
        continue
      }
      // Checkpoint folders and other non-files are listed once and left alone.
      guard (info.st_mode & S_IFMT) == S_IFREG else { continue }
      guard !known.contains(UInt(info.st_ino)), InputKind.detect(full) == .consoleLog else { continue }
      found.append(full)
    }
    return found.sorted()
  }
}
