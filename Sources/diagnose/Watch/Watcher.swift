import Analysis
import LogParse

#if canImport(Glibc)
  import Glibc
#endif

/// Follows files and directories and raises alerts as findings fire; the engine behind `diagnose watch`.
///
/// The caller drives it: ``poll(now:)`` reads what every log gained and returns the alerts, and
/// the caller sleeps between polls, so an idle watcher costs a `stat` per file and a directory
/// listing per directory per interval.
final class Watcher {
  private(set) var logs: [WatchedLog] = []
  private var directories: [WatchedDirectory] = []
  /// Every inode a follower has had open: a rotated log found in a directory is not read again.
  private var knownInodes: Set<UInt> = []
  /// When a log last grew (seconds since the epoch), or when watching started.
  private(set) var lastWrite: Double
  var onNote: ((String, ParseNote) -> Void)?

  /// - Parameters:
  ///   - paths: files (which need not exist yet) and directories.
  ///   - fromStart: alert on what the files already hold (a replay); otherwise read it only to
  ///     warm the detectors up and alert on what is written from now on. Files that appear in a
  ///     directory later are new: every finding in them is an alert.
  init(paths: [String], fromStart: Bool, now: Double) {
    lastWrite = now
    for path in paths {
      var info = stat()
      if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
        var directory = WatchedDirectory(path: path)
        for file in directory.newFiles(known: knownInodes) { add(file, warmUp: !fromStart) }
        directories.append(directory)
      } else {
        add(path, warmUp: !fromStart && stat(path, &info) == 0)
      }
    }
  }

  /// Reads what every log gained, then looks for new files in the directories.
  func poll(now: Double) -> [Alert] {
    var alerts: [Alert] = []
    var grew = false
    for log in logs {
      let (bytes, raised) = log.poll(now: now)
      if bytes > 0 { grew = true }
      alerts += raised
      if let inode = log.followedInode { knownInodes.insert(inode) }
    }
    for index in directories.indices {
      for file in directories[index].newFiles(known: knownInodes) {
        let log = add(file, warmUp: false)
        let (bytes, raised) = log.poll(now: now)
        if bytes > 0 { grew = true }
        alerts += raised
        if let inode = log.followedInode { knownInodes.insert(inode) }
      }
    }
    if grew { lastWrite = now }
    return alerts
  }

  /// The live state of every run of every log.
  var runs: [LiveRun] { logs.flatMap(\.runs) }

  /// Ends every log (a last unterminated line is read) and returns the post-mortem and any last alerts.
  func finish(now: Double) -> (alerts: [Alert], diagnoses: [RunAssessment]) {
    var alerts: [Alert] = []
    var diagnoses: [RunAssessment] = []
    for log in logs {
      let (raised, runs) = log.finish(now: now)
      alerts += raised
      diagnoses += runs
    }
    return (alerts, diagnoses)
  }

  @discardableResult
  private func add(_ path: String, warmUp: Bool) -> WatchedLog {
    let log = WatchedLog(path: path, warmUp: warmUp)
    log.onNote = { [weak self] note in self?.onNote?(path, note) }
    logs.append(log)
    return log
  }
}
