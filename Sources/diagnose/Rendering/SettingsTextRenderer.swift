import Analysis
import LogParse

/// Settings as aligned text: name, value, source kind and `file:line`.
struct SettingsTextRenderer {
  func render(_ table: SettingsTable, into output: inout OutputBuffer) {
    if table.entries.isEmpty {
      output.append("no settings found")
      output.endLine()
      return
    }
    let width = max(24, (table.entries.map(\.event.name.count) + table.missing.map(\.name.count)).max() ?? 0)
    for entry in table.entries {
      let name = entry.event.name.padding(to: width)
      let value = SettingText.value(entry.event.value).padding(to: 14)
      output.append("\(name) \(value) \(entry.event.source.rawValue)  \(entry.sourcePath):\(entry.event.location.line)")
      output.endLine()
    }
    for derived in table.derived {
      let name = derived.name.padding(to: width)
      let value = SettingText.value(derived.value).padding(to: 14)
      output.append("\(name) \(value) derived  \(derived.arithmetic)")
      output.endLine()
    }
    for missing in table.missing {
      output.append("\(missing.name.padding(to: width)) \("unknown".padding(to: 14)) \(missing.reason)")
      output.endLine()
    }
  }
}

enum SettingText {
  static func value(_ value: SettingValue) -> String {
    switch value {
    case .int(let number): String(number)
    case .double(let number): JSONText.number(number)
    case .bool(let flag): flag ? "true" : "false"
    case .string(let text): text
    case .auto: "\"auto\""
    }
  }

  static func json(_ value: SettingValue) -> String {
    switch value {
    case .int(let number): String(number)
    case .double(let number): JSONText.number(number)
    case .bool(let flag): flag ? "true" : "false"
    case .string(let text): JSONText.string(text)
    case .auto: "\"auto\""
    }
  }
}

extension String {
  func padding(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
