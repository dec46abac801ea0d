/// A JSON value as the lenient reader returns it.
///
/// Objects remember the byte offset where they start, so that an event read from one (a
/// `log_history` entry, a JSON Lines record) can point back at its line.
public enum JSONValue: Sendable, Equatable {
  case number(Double)
  case string(String)
  case bool(Bool)
  case null
  case array([JSONValue])
  case object(JSONObject)

  public var double: Double? {
    if case .number(let value) = self { return value }
    return nil
  }

  /// The value as an exact integer (`12`, `12.0`), else `nil`.
  public var int: Int? {
    guard case .number(let value) = self, value.isFinite, value == value.rounded(), abs(value) < 1e15 else {
      return nil
    }
    return Int(value)
  }

  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  public var object: JSONObject? {
    if case .object(let value) = self { return value }
    return nil
  }

  public var array: [JSONValue]? {
    if case .array(let value) = self { return value }
    return nil
  }
}

/// A JSON object with the offset of its `{` in the input.
public struct JSONObject: Sendable, Equatable {
  public var members: [String: JSONValue]
  public var offset: Int

  public init(members: [String: JSONValue], offset: Int) {
    self.members = members
    self.offset = offset
  }

  public subscript(key: String) -> JSONValue? { members[key] }

  /// A number member; JSON `null` and absent keys are `nil`. Numbers written as strings (`"nan"`,
  /// `"0.5"`) are read too, as some callbacks stringify their values.
  public func number(_ key: String) -> Double? {
    switch members[key] {
    case .number(let value): value
    case .string(let text): Double(text)
    default: nil
    }
  }
}
