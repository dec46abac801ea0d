internal import CPCRE2

#if canImport(Glibc)
  internal import Glibc
#endif

/// A read-only memory mapping of a stretch of a regular file, moved along as a ``ChunkReader``
/// reads it, so that chunks point into the page cache instead of into a copy.
///
/// `read` copies every byte once more into the reader's buffer: on the 1 GiB benchmark log that
/// copy was 0.17–0.2 s of system time of `diagnose series`' ~1.2 CPU s. Mapped, the system time
/// is 0.06–0.1 s (page faults and unmapping take the copy's place) and the whole run ~0.1 CPU s
/// less, measured A/B in alternating runs. The window is at least ``minimumLength`` long and is
/// unmapped when the reader moves past it, so the resident pages of the file stay bounded (mapped
/// pages count in the process's RSS). `MADV_SEQUENTIAL` and `MAP_POPULATE` changed nothing
/// measurable and are not used (the first would also let the kernel drop the log's cached pages
/// sooner).
///
/// A mapped file that shrinks under the reader (log rotation with `copytruncate`) would raise
/// SIGBUS at the first missing page. Each window registers with the guard in the C shim, which
/// maps zeros over such a page instead; ``wasTruncated`` then tells the reader.
final class FileWindow {
  /// 8 MiB: windows of 8 MiB to 2 GiB (the whole file) read the 1 GiB log in the same time
  /// within the noise; the resident file pages stay at 8 MiB.
  static let minimumLength = 8 << 20

  private let descriptor: Int32
  /// ``minimumLength``, or less for tests that move the window often.
  private let length: Int
  /// The file's size when last asked (``refreshSize()``).
  private(set) var fileSize: Int64
  private let pageSize: Int64
  private var base: UnsafeRawPointer?
  /// File offsets of the mapped bytes.
  private var mapped: Range<Int64> = 0..<0
  private var slot: Int32 = -1
  /// A fault seen in an earlier window of this reader.
  private var faultedBefore = false
  /// Makes every mapping fail from now on, as `mmap` can (tests of the reader's fall-back).
  var refusesToMap = false

  /// A window over the file open as `descriptor`, or `nil` when it is not a non-empty regular
  /// file (a pipe, a device, `/proc` files that report size 0) or the guard cannot be installed:
  /// the reader then uses `read`.
  init?(descriptor: Int32, minimumLength: Int = FileWindow.minimumLength) {
    var info = stat()
    guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0,
      cpcre2_guard_install()
    else { return nil }
    self.descriptor = descriptor
    length = minimumLength
    fileSize = Int64(info.st_size)
    pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))
  }

  deinit { unmap() }

  /// Asks the file's size again (it may have grown or shrunk since).
  func refreshSize() {
    var info = stat()
    if fstat(descriptor, &info) == 0 { fileSize = Int64(info.st_size) }
  }

  /// The address of file offset `range.lowerBound`, with all of `range` mapped, or `nil` when
  /// it cannot be mapped under the guard (`mmap` failed, or all guard slots are in use): the
  /// reader then goes on with `read`. An address stays valid while its bytes lie in the window
  /// of the latest call.
  ///
  /// - Precondition: `range.upperBound <= fileSize`.
  func address(of range: Range<Int64>) -> UnsafeRawPointer? {
    if let base, mapped.lowerBound <= range.lowerBound, range.upperBound <= mapped.upperBound {
      return base + Int(range.lowerBound - mapped.lowerBound)
    }
    unmap()
    guard !refusesToMap else { return nil }
    let start = range.lowerBound - range.lowerBound % pageSize
    let end = min(fileSize, max(range.upperBound, start + Int64(length)))
    let byteCount = Int(end - start)
    guard let pointer = mmap(nil, byteCount, PROT_READ, MAP_PRIVATE, descriptor, off_t(start)), pointer != MAP_FAILED
    else { return nil }
    let guarded = cpcre2_guard_register(pointer, byteCount)
    guard guarded >= 0 else {
      munmap(pointer, byteCount)
      return nil
    }
    base = UnsafeRawPointer(pointer)
    mapped = start..<end
    slot = guarded
    return UnsafeRawPointer(pointer) + Int(range.lowerBound - start)
  }

  /// Whether a page of a window went missing since the reader began: the file was truncated
  /// while it was read, and the bytes of that page read as zeros.
  var wasTruncated: Bool {
    faultedBefore || (slot >= 0 && cpcre2_guard_faulted_in(slot))
  }

  /// Forgets the truncations seen so far (the reader has dealt with them, or moved to another
  /// range of the file).
  func clearTruncation() {
    faultedBefore = false
    if slot >= 0 { cpcre2_guard_clear(slot) }
  }

  private func unmap() {
    guard let base else { return }
    if slot >= 0 {
      faultedBefore = faultedBefore || cpcre2_guard_faulted_in(slot)
      cpcre2_guard_release(slot)
      slot = -1
    }
    munmap(UnsafeMutableRawPointer(mutating: base), Int(mapped.count))
    self.base = nil
    mapped = 0..<0
  }
}
