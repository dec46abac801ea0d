#if canImport(Glibc)
  import Glibc
#endif

/// Finds a config file that an input names (`--deepspeed ds_zero2_no_offload.json`).
enum ConfigPath {
  /// `path` beside `input` when it exists there, else as given from the current directory, else `nil`.
  static func locate(_ path: String, besideInput input: String) -> String? {
    guard path.hasSuffix(".json") else { return nil }
    if !path.hasPrefix("/"), input != "-", let slash = input.lastIndex(of: "/") {
      let beside = String(input[...slash]) + path
      if exists(beside) { return beside }
    }
    return exists(path) ? path : nil
  }

  /// The resolved path, so that one file given two ways is read once.
  static func identity(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  private static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }
}
