import Foundation

/// A validator for the subset of JSON Schema the committed report schema uses (`type`, `required`,
/// `properties`, `items`, `enum`, `const`, `minimum`, local `$ref`), so that the contract is checked
/// on a machine without Python's `jsonschema`.
struct JSONSchemaSubset {
  let root: [String: Any]

  init(url: URL) throws {
    root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
  }

  /// Every violation, as `path: problem`.
  func validate(_ instance: Any) -> [String] {
    var problems: [String] = []
    check(instance, against: root, path: "$", problems: &problems)
    return problems
  }

  private func resolve(_ schema: [String: Any]) -> [String: Any] {
    guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/") else { return schema }
    var node: Any = root
    for part in ref.dropFirst(2).split(separator: "/") { node = (node as! [String: Any])[String(part)]! }
    return node as! [String: Any]
  }

  private func check(_ value: Any, against raw: [String: Any], path: String, problems: inout [String]) {
    let schema = resolve(raw)
    if let types = schema["type"] {
      let allowed = (types as? [String]) ?? [types as! String]
      if !allowed.contains(where: { matches(value, type: $0) }) {
        problems.append("\(path): \(value) is not \(allowed)")
        return
      }
    }
    if let constant = schema["const"], !equal(constant, value) { problems.append("\(path): not \(constant)") }
    if let options = schema["enum"] as? [Any], !options.contains(where: { equal($0, value) }) {
      problems.append("\(path): \(value) not in enum")
    }
    if let minimum = schema["minimum"] as? Double, let number = value as? NSNumber, number.doubleValue < minimum {
      problems.append("\(path): below \(minimum)")
    }
    if let object = value as? [String: Any] {
      for key in schema["required"] as? [String] ?? [] where object[key] == nil {
        problems.append("\(path): missing \(key)")
      }
      for (key, sub) in schema["properties"] as? [String: [String: Any]] ?? [:] {
        if let child = object[key] { check(child, against: sub, path: "\(path).\(key)", problems: &problems) }
      }
    }
    if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
      for (index, element) in array.enumerated() {
        check(element, against: items, path: "\(path)[\(index)]", problems: &problems)
      }
    }
  }

  private func isBool(_ value: Any) -> Bool {
    if type(of: value) == Bool.self { return true }
    guard let number = value as? NSNumber else { return false }
    return String(cString: number.objCType) == "c"
  }

  private func matches(_ value: Any, type: String) -> Bool {
    switch type {
    case "null": return value is NSNull
    case "string": return value is String
    case "object": return value is [String: Any]
    case "array": return value is [Any]
    case "boolean": return isBool(value)
    case "number": return value is NSNumber && !isBool(value)
    case "integer":
      guard let number = value as? NSNumber, !isBool(number) else { return false }
      return number.doubleValue == number.doubleValue.rounded()
    default: return false
    }
  }

  private func equal(_ lhs: Any, _ rhs: Any) -> Bool {
    if let l = lhs as? String, let r = rhs as? String { return l == r }
    if let l = lhs as? NSNumber, let r = rhs as? NSNumber { return l == r }
    return false
  }
}
