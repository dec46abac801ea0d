import Dispatch
import Foundation

/// `body(0..<count)` on all cores, results in index order.
///
/// `DispatchQueue.concurrentPerform` runs one thread per core and returns when every iteration has;
/// the order of the results never depends on which thread finished first, so reports stay the same
/// from one night to the next.
enum ParallelMap {
  static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = Slots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
      slots.store(body(index), at: index)
    }
    return slots.values.map { $0! }
  }
}

/// One slot per iteration, written by that iteration only.
///
/// SAFETY: `@unchecked Sendable` because each index is written by exactly one iteration of
/// `concurrentPerform` and read only after it returns; the lock orders the writes with the final read.
private final class Slots<T>: @unchecked Sendable {
  private var slots: [T?]
  private let lock = NSLock()

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func store(_ value: T, at index: Int) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }

  var values: [T?] {
    lock.lock()
    defer { lock.unlock() }
    return slots
  }
}
