import Analysis
import LogParse

/// `diagnose preflight`'s output: the resolved settings with their arithmetic, then what would stop
/// the run, then the advice.
struct PreflightTextRenderer {
  func render(
    script: String, settings: RunSettings, problems: [ConsistencyProblem], checks: [PreflightCheck],
    into output: inout OutputBuffer
  ) {
    output.append("\(script): \(AdviceTextRenderer.settingsSummary(settings) ?? "no settings found")")
    output.endLine()
    for name in [SettingName.totalBatchSize, .worldSize, .warmupSteps] {
      if let setting = settings[name], let arithmetic = setting.arithmetic {
        output.append("  derived: \(arithmetic)")
        output.endLine()
      }
    }
    for problem in problems {
      let label = problem.rejectedAtStartup ? "refused at start-up" : "warning"
      output.append("  \(label) [\(problem.kind.rawValue)]: \(problem.message)")
      output.endLine()
      for entry in problem.evidence {
        output.append("    \(entry.sourcePath):\(entry.event.location.line): \(entry.event.text ?? entry.event.name)")
        output.endLine()
      }
      if let suggestion = problem.suggestion {
        output.append("    fix: \(suggestion.line)")
        output.endLine()
        for key in suggestion.deepSpeedKeys {
          output.append("         DeepSpeed config: \(key)")
          output.endLine()
        }
      } else if let fix = problem.fix {
        output.append("    fix: \(fix)")
        output.endLine()
      }
    }
    for check in checks {
      output.append("  \(check.severity.rawValue) [\(check.kind)]: \(check.message)")
      output.endLine()
      if let suggestion = check.suggestion {
        output.append("    suggest: \(suggestion.line)")
        output.endLine()
        for key in suggestion.deepSpeedKeys {
          output.append("             DeepSpeed config: \(key)")
          output.endLine()
        }
      }
    }
    if problems.isEmpty && checks.isEmpty {
      output.append("  no problem found")
      output.endLine()
    }
  }
}
