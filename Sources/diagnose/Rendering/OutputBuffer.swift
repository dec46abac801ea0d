#if canImport(Glibc)
  import Glibc
#endif

/// Bytes bound for standard output, written in large blocks.
///
/// Rows are appended piece by piece (no `String` per row); the buffer goes out with one `write`
/// every 64 KiB.
struct OutputBuffer: ~Copyable {
  private var bytes: [UInt8] = []
  private let limit = 1 << 16
  private let descriptor: Int32

  /// A buffer for standard output, or for an open file descriptor (which the caller closes).
  init(fileDescriptor: Int32 = STDOUT_FILENO) {
    descriptor = fileDescriptor
    bytes.reserveCapacity(limit + 4096)
  }

  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  mutating func append(_ text: StaticString) {
    bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  mutating func append(byte: UInt8) {
    bytes.append(byte)
  }

  mutating func append(_ value: Int) {
    if value < 0 {
      bytes.append(UInt8(ascii: "-"))
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
      bytes.append(contentsOf: scratch[index...])
    }
  }

  /// A number as Python prints it: shortest round-trip digits, `nan`, `inf`, `-inf`.
  mutating func append(python value: Double) {
    if value.isNaN {
      append("nan" as StaticString)
    } else if value.isInfinite {
      append(value < 0 ? "-inf" as StaticString : "inf")
    } else {
      append(value.description)
    }
  }

  /// Ends a row; writes the buffer out when it is full.
  mutating func endLine() {
    bytes.append(0x0A)
    if bytes.count >= limit { flush() }
  }

  mutating func flush() {
    guard !bytes.isEmpty else { return }
    bytes.withUnsafeBytes { buffer in
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
    bytes.removeAll(keepingCapacity: true)
  }
}
