@testable import LogParse

func overflows(_ events: [LogEvent]) -> [OverflowEvent] {
  events.compactMap { if case .overflow(let overflow) = $0 { overflow } else { nil } }
}

func settings(_ events: [LogEvent]) -> [SettingEvent] {
  events.compactMap { if case .setting(let setting) = $0 { setting } else { nil } }
}

func throughputs(_ events: [LogEvent]) -> [ThroughputSample] {
  events.compactMap { if case .throughput(let sample) = $0 { sample } else { nil } }
}

func configurationErrors(_ events: [LogEvent]) -> [ConfigurationError] {
  events.compactMap { if case .configurationError(let error) = $0 { error } else { nil } }
}

/// The last value each setting name was given, among settings from `source`.
func settingValues(_ events: [LogEvent], source: SettingSource? = nil) -> [String: SettingValue] {
  var values: [String: SettingValue] = [:]
  for setting in settings(events) where source == nil || setting.source == source {
    values[setting.name] = setting.value
  }
  return values
}
