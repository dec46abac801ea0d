import Foundation

/// How to move a learning rate tuned for one total batch to another.
///
/// For Adam-family optimizers the square-root rule (Malladi et al. 2022: batch ×k → lr ×√k); for
/// SGD the linear rule (Goyal et al. 2017: batch ×k → lr ×k). stability.md §2.2 and take-away 6;
/// beyond the critical batch Adam's best lr stops growing, so the square root is the safe side.
public enum LearningRateScaling: String, Sendable, CaseIterable {
  case squareRoot = "square-root"
  case linear

  /// The rule's name as users know it, with its source.
  public var title: String {
    switch self {
    case .squareRoot: "Adam square-root rule"
    case .linear: "SGD linear rule"
    }
  }

  /// The optimizer families each rule is for.
  public static func recommended(forOptimizer name: String?) -> LearningRateScaling {
    guard let name = name?.lowercased() else { return .squareRoot }
    if name.contains("sgd") && !name.contains("adam") { return .linear }
    return .squareRoot
  }

  /// The learning rate for `newBatch`, given `learningRate` was right for `oldBatch`.
  public func scale(_ learningRate: Double, from oldBatch: Int, to newBatch: Int) -> Double {
    let ratio = Double(newBatch) / Double(oldBatch)
    switch self {
    case .squareRoot: return learningRate * ratio.squareRoot()
    case .linear: return learningRate * ratio
    }
  }

  /// `2e-4 × √(512 / 256) = 2.83e-4`.
  public func arithmetic(_ learningRate: Double, from oldBatch: Int, to newBatch: Int) -> String {
    let result = ShortNumber.format(scale(learningRate, from: oldBatch, to: newBatch))
    let lr = ShortNumber.format(learningRate)
    switch self {
    case .squareRoot: return "\(lr) × √(\(newBatch) / \(oldBatch)) = \(result)"
    case .linear: return "\(lr) × \(newBatch) / \(oldBatch) = \(result)"
    }
  }
}

/// Numbers as a person writes them in a suggestion: `1.41e-4`, `0.05`, `256`.
public enum ShortNumber {
  /// `significantDigits` digits (3 by default); scientific with a short exponent below 1e-3 or
  /// from 1e6.
  public static func format(_ value: Double, significantDigits: Int = 3) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if value == value.rounded(), magnitude < 1e6 { return String(Int(value)) }
    if magnitude >= 1e-3 && magnitude < 1e6 { return String(format: "%.\(significantDigits)g", value) }
    // "1.41e-04" → "1.41e-4"; "2.00e-04" → "2e-4".
    let text = String(format: "%.\(significantDigits - 1)e", value)
    guard let e = text.firstIndex(of: "e") else { return text }
    var mantissa = String(text[..<e])
    if mantissa.contains(".") {
      while mantissa.hasSuffix("0") { mantissa.removeLast() }
      if mantissa.hasSuffix(".") { mantissa.removeLast() }
    }
    let exponent = Int(text[text.index(after: e)...]) ?? 0
    return "\(mantissa)e\(exponent)"
  }
}
