/// `(step, count)` pairs in arrival order, from which those older than a step are dropped.
///
/// Steps normally arrive in order, so the old ones are a prefix: dropping them moves a start index
/// (compacting now and then) instead of filtering the whole window on every record, which cost
/// ~1,000 comparisons per DeepSpeed counter line. If a step arrives below the previous one (a
/// counter that went back), the window filters all of its pairs until it is in order again, as a
/// plain filter would.
///
/// - Complexity: `append` and `removeAll(before:)` are amortised O(1) while steps ascend, O(n)
///   otherwise.
struct StepWindow: Sendable {
  private var storage: [(step: Int, skipped: Int)] = []
  private var start = 0
  /// Whether the kept pairs' steps ascend (then the old ones are a prefix).
  private var ascending = true

  var entries: ArraySlice<(step: Int, skipped: Int)> { storage[start...] }
  var first: (step: Int, skipped: Int)? { start < storage.count ? storage[start] : nil }
  var last: (step: Int, skipped: Int)? { start < storage.count ? storage[storage.count - 1] : nil }

  mutating func removeAll() {
    storage.removeAll(keepingCapacity: true)
    start = 0
    ascending = true
  }

  mutating func append(_ entry: (step: Int, skipped: Int)) {
    if let last, entry.step < last.step { ascending = false }
    storage.append(entry)
  }

  /// Drops every pair whose step is below `step`.
  mutating func removeAll(before step: Int) {
    if ascending {
      while start < storage.count, storage[start].step < step { start += 1 }
      if start >= 1024, start * 2 >= storage.count {
        storage.removeFirst(start)
        start = 0
      }
      return
    }
    storage.removeFirst(start)
    start = 0
    storage.removeAll { $0.step < step }
    ascending = zip(storage, storage.dropFirst()).allSatisfy { $0.step <= $1.step }
  }
}
