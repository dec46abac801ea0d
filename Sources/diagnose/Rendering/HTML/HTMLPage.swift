import Analysis

/// The frame of a self-contained report page: XHTML-compatible markup, inline CSS, no scripts, no
/// network. Clusters are often offline, and a file that parses as XML can be checked by any parser.
enum HTMLPage {
  static func document(title: String, body: String) -> String {
    let frame = frame(title: title)
    return frame.head + body + frame.tail
  }

  /// The page around its body, for writing a long body piece by piece.
  static func frame(title: String) -> (head: String, tail: String) {
    let head = """
      <!DOCTYPE html>
      <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
      <head>
      <meta charset="utf-8"/>
      <meta name="viewport" content="width=device-width, initial-scale=1"/>
      <title>\(escape(title))</title>
      <style>
      \(style)
      </style>
      </head>
      <body>

      """
    return (head, "\n</body>\n</html>\n")
  }

  static func escape(_ text: String) -> String { SVGText.escape(text) }

  /// A verdict as a coloured badge.
  static func badge(_ verdict: Verdict) -> String {
    "<span class=\"badge \(verdict.rawValue)\">\(verdict.rawValue)</span>"
  }

  static let style = """
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
    h1 { font-size: 22px; margin: 0 0 12px; }
    h2 { font-size: 18px; margin: 32px 0 4px; padding-top: 12px; border-top: 2px solid #e5e7eb; }
    h3 { font-size: 15px; margin: 18px 0 6px; }
    table { border-collapse: collapse; margin: 6px 0 12px; }
    th, td { border: 1px solid #e5e7eb; padding: 3px 8px; text-align: left; vertical-align: top; }
    th { background: #f9fafb; font-weight: 600; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    code, pre { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
    pre { background: #f9fafb; border: 1px solid #e5e7eb; padding: 6px 8px; overflow-x: auto; margin: 2px 0 8px; }
    .facts { color: #374151; margin: 0 0 8px; }
    .badge { display: inline-block; padding: 1px 8px; border-radius: 9px; font-weight: 600; font-size: 12px; text-transform: uppercase; }
    .badge.healthy { background: #dcfce7; color: #166534; }
    .badge.unstable { background: #fef3c7; color: #92400e; }
    .badge.diverged { background: #fee2e2; color: #991b1b; }
    .badge.no-data { background: #f3f4f6; color: #4b5563; }
    .sev-critical { color: #b91c1c; font-weight: 600; }
    .sev-warning { color: #b45309; font-weight: 600; }
    .sev-info { color: #6b7280; }
    .new { background: #fee2e2; color: #991b1b; font-size: 11px; font-weight: 700; padding: 0 5px; border-radius: 4px; margin-left: 4px; }
    .charts svg { display: block; margin: 4px 0 10px; max-width: 100%; height: auto; }
    .muted { color: #6b7280; }
    .placeholder { color: #6b7280; font-style: italic; }
    """
}
