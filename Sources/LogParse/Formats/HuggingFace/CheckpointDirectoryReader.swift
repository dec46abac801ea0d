#if canImport(Glibc)
  internal import Glibc
#endif

/// Reads an HF `output_dir` (or one `checkpoint-N` folder) through its newest `trainer_state.json`.
///
/// Each `checkpoint-N/trainer_state.json` holds the whole history up to step N, so every older
/// one is a prefix of the newest (log-formats.md §1.6): reading the newest gives each step once.
/// The newest is the state with the highest `global_step`; the folder's own `trainer_state.json`
/// (written by `trainer.save_state()`) counts as a candidate too.
public enum CheckpointDirectoryReader {
  /// The `trainer_state.json` files under `directory`: its own and those of its `checkpoint-N`
  /// folders, by ascending N (its own last).
  public static func stateFiles(in directory: String) -> [String] {
    let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    var checkpoints: [(Int, String)] = []
    if let handle = opendir(base) {
      defer { closedir(handle) }
      while let entry = readdir(handle) {
        // SAFETY: glibc allocates each entry only as long as its name (d_reclen), so copying
        // `entry.pointee` reads past it (AddressSanitizer: heap-buffer-overflow); read the
        // NUL-terminated name in place instead.
        let name = String(
          cString: UnsafeRawPointer(entry).advanced(by: MemoryLayout<dirent>.offset(of: \dirent.d_name)!)
            .assumingMemoryBound(to: CChar.self))
        guard name.hasPrefix("checkpoint-"), let number = Int(name.dropFirst("checkpoint-".count)) else { continue }
        let path = "\(base)/\(name)/trainer_state.json"
        if access(path, F_OK) == 0 { checkpoints.append((number, path)) }
      }
    }
    var files = checkpoints.sorted { $0.0 < $1.0 }.map(\.1)
    let own = "\(base)/trainer_state.json"
    if access(own, F_OK) == 0 { files.append(own) }
    return files
  }

  /// Reads the newest state under `directory`.
  ///
  /// - Throws: ``InputError`` when there is no `trainer_state.json` in the folder or its
  ///   `checkpoint-N` folders, or when the newest cannot be read. A state that cannot be read is
  ///   skipped in favour of the next newest, with a note.
  public static func read(_ directory: String, _ consume: (LogEvent) -> Void) throws(InputError) {
    let files = stateFiles(in: directory)
    guard !files.isEmpty else {
      throw InputError(
        path: directory, kind: .isDirectory,
        detail: "Is a directory, with no trainer_state.json in it or in checkpoint-N/ folders under it")
    }
    var newest: (step: Int, root: JSONObject, bytes: [UInt8])?
    var firstError: InputError?
    for file in files {
      do {
        let bytes = try WholeFileReader.contents(of: file)
        let root = try TrainerStateReader.parse(bytes, path: file)
        let step = TrainerStateReader.globalStep(root)
        if newest == nil || step >= newest!.step { newest = (step, root, bytes) }
      } catch {
        firstError = firstError ?? error
      }
    }
    guard let newest else { throw firstError! }
    TrainerStateReader.emit(newest.root, bytes: newest.bytes, consume)
    if let firstError {
      consume(
        .note(
          ParseNote(
            location: SourceLocation(line: firstError.line ?? 1, offset: firstError.byteOffset ?? 0),
            kind: .unreadableValue, message: "skipped \(firstError.description)")))
    }
  }
}
