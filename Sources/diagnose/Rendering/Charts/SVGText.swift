/// Text safe inside SVG/XHTML elements and attributes, and numbers written compactly.
enum SVGText {
  static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      default:
        // Control characters are not allowed in XML 1.0.
        if let ascii = character.asciiValue, ascii < 0x20, ascii != 0x09, ascii != 0x0A, ascii != 0x0D {
          result += "?"
        } else {
          result.append(character)
        }
      }
    }
    return result
  }

  /// A coordinate with one decimal, enough at 100 % zoom.
  static func coordinate(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    return String(rounded)
  }
}
