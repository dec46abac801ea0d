/// A JSON value that keeps what DeepSpeed configs need and `JSONSerialization` loses: the order of
/// an object's members, whether a number was written as an integer, and the line of each member.
enum OrderedJSONValue: Sendable, Equatable {
  case object([Member])
  case array([OrderedJSONValue])
  case string(String)
  case int(Int)
  case double(Double)
  case bool(Bool)
  case null

  /// An object member with the 1-based line of its key (relative to the text read).
  struct Member: Sendable, Equatable {
    var key: String
    var value: OrderedJSONValue
    var line: Int
    var offset: Int
  }

  subscript(key: String) -> OrderedJSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.last { $0.key == key }?.value
  }
}

/// Why a text is not valid JSON, and where.
struct JSONSyntaxError: Error, Sendable {
  var message: String
  /// 1-based line of the problem in the text read.
  var line: Int
  var offset: Int
}
