#if canImport(Glibc)
  import Glibc
#endif

/// Bytes bound for standard output, written in large blocks.
///
/// Rows are appended piece by piece into one fixed buffer (no `String` per row, no array
/// uniqueness checks per append); the buffer goes out with one `write` when 64 KiB are full.
struct OutputBuffer: ~Copyable {
  private static let limit = 1 << 16
  /// Room for one row past the limit, so that appends rarely need to check for space.
  private static let capacity = limit + 4096
  private let storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
  private var count = 0
  private let descriptor: Int32

  /// A buffer for standard output, or for an open file descriptor (which the caller closes).
  init(fileDescriptor: Int32 = STDOUT_FILENO) {
    descriptor = fileDescriptor
    // Rows copy numbers 32 bytes at a time, reading past the bytes written so far: all of the
    // storage must be initialised.
    storage.initializeMemory(as: UInt8.self, repeating: 0, count: Self.capacity)
  }

  deinit { storage.deallocate() }

  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
  }

  mutating func append(_ text: StaticString) {
    append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// Appends raw bytes; a block larger than the buffer goes straight out.
  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    guard !bytes.isEmpty else { return }
    if count + bytes.count > Self.capacity {
      flush()
      if bytes.count > Self.capacity {
        Self.writeOut(bytes, to: descriptor)
        return
      }
    }
    // SAFETY: count + bytes.count <= capacity, checked above.
    (storage + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
    count += bytes.count
  }

  mutating func append(byte: UInt8) {
    if count == Self.capacity { flush() }
    // SAFETY: count < capacity after the check.
    storage.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
    count += 1
  }

  mutating func append(_ value: Int) {
    if value < 0 {
      append(byte: UInt8(ascii: "-"))
      append(UInt(value.magnitude))
    } else {
      append(UInt(value))
    }
  }

  private mutating func append(_ value: UInt) {
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, more than 20 digits
    withUnsafeMutableBytes(of: &digits) { scratch in
      var index = scratch.count
      var rest = value
      repeat {
        index -= 1
        scratch[index] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
      } while rest > 0
      append(UnsafeRawBufferPointer(rebasing: scratch[index...]))
    }
  }

  /// A finite double's shortest round-trip digits, as `description` spells them, without making
  /// a `String` (a 17-digit repr would need a heap allocation).
  mutating func append(shortest value: Double) {
    // ``DoubleText`` may store 32 bytes; the text itself is at most 24.
    if count + 32 > Self.capacity { flush() }
    // SAFETY: count + 32 <= capacity after the check.
    count += DoubleText.write(value, at: storage + count)
  }

  /// A number as Python prints it: shortest round-trip digits, `nan`, `inf`, `-inf`.
  mutating func append(python value: Double) {
    if value.isNaN {
      append("nan" as StaticString)
    } else if value.isInfinite {
      append(value < 0 ? "-inf" as StaticString : "inf")
    } else {
      append(shortest: value)
    }
  }

  /// Lets `body` write up to `room` bytes through a ``RowWriter`` without bounds checks, then ends
  /// the row like ``endLine()`` does (the newline is not part of `room`).
  ///
  /// `room` is the sum of the bounds of what `body` writes; it must be at most 4 KiB.
  mutating func writeRow(room: Int, _ body: (inout RowWriter) -> Void) {
    precondition(room + 1 + RowWriter.numberRoom <= Self.capacity - Self.limit)
    // 32 bytes beyond `room`: the last number's wide copy may reach past the row's own bound.
    if count + room + 1 + RowWriter.numberRoom > Self.capacity { flush() }
    var writer = RowWriter(cursor: storage + count)
    body(&writer)
    writer.byte(0x0A)
    let end = storage.distance(to: writer.cursor)
    precondition(end <= count + room + 1, "a row wrote more than its reserved room")
    count = end
    if count >= Self.limit { flush() }
  }

  /// Ends a row; writes the buffer out when it is full.
  mutating func endLine() {
    append(byte: 0x0A)
    if count >= Self.limit { flush() }
  }

  mutating func flush() {
    guard count > 0 else { return }
    Self.writeOut(UnsafeRawBufferPointer(start: storage, count: count), to: descriptor)
    count = 0
  }

  private static func writeOut(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) {
    var written = 0
    while written < buffer.count {
      let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
      if result < 0 {
        if errno == EINTR { continue }
        // A closed pipe (`| head`) or a full disk: stop writing, drop the rest.
        break
      }
      written += result
    }
  }
}
