import Analysis
import LogParse

/// Settings as one JSON object: `{"settings": [...], "derived": [...], "missing": [...]}`.
struct SettingsJSONRenderer {
  func render(_ table: SettingsTable, into output: inout OutputBuffer) {
    output.append("{\"settings\":[")
    for (index, entry) in table.entries.enumerated() {
      if index > 0 { output.append(",") }
      let event = entry.event
      output.append(
        "{\"name\":\(JSONText.string(event.name)),\"value\":\(SettingText.json(event.value)),"
          + "\"source\":\(JSONText.string(event.source.rawValue)),\"file\":\(JSONText.string(entry.sourcePath)),"
          + "\"line\":\(event.location.line),\"text\":\(event.text.map(JSONText.string) ?? "null"),\"derived\":false}")
    }
    output.append("],\"derived\":[")
    for (index, derived) in table.derived.enumerated() {
      if index > 0 { output.append(",") }
      output.append(
        "{\"name\":\(JSONText.string(derived.name)),\"value\":\(SettingText.json(derived.value)),"
          + "\"derived\":true,\"arithmetic\":\(JSONText.string(derived.arithmetic))}")
    }
    output.append("],\"missing\":[")
    for (index, missing) in table.missing.enumerated() {
      if index > 0 { output.append(",") }
      output.append("{\"name\":\(JSONText.string(missing.name)),\"reason\":\(JSONText.string(missing.reason))}")
    }
    output.append("]}")
    output.endLine()
  }
}
