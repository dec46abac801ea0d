internal import CPCRE2

/// Process-wide allocator settings that keep a program's peak memory bounded (issue 9: at most
/// 64 MiB whatever the input size). A program calls ``apply()`` once, before reading; a library
/// user may prefer its own allocator settings, so LogParse never calls it itself.
public enum MemoryPolicy {
  /// Serves blocks of 1 MiB and more with mmap, and gives them back when they are freed.
  ///
  /// glibc raises its mmap threshold each time such a block is freed, after which the parallel
  /// reader's per-range buffers and event arrays (a few MB each, freed on another thread) stay in
  /// the heap: 70 MB peak RSS on a 1 GiB log with two threads, 23 MB with the threshold fixed.
  public static func apply() {
    _ = cpcre2_set_mmap_threshold(1 << 20)
  }
}
