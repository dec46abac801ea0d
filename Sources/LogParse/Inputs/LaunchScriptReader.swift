/// Reads a launch command or a shell script that holds one (`torchrun`, `python -m
/// torch.distributed.run`, `deepspeed`, `accelerate launch`, `srun`, or a plain `python train.py`
/// with HF flags) into settings with source ``SettingSource/launchCommand``.
///
/// Scripts such as Chinese-LLaMA-Alpaca-2's `run_sft.sh` set shell variables first (`lr=1e-4`) and
/// use them in the command (`--learning_rate ${lr}`, log-formats.md §4): simple `NAME=value`
/// assignments (also `export NAME=value`) are followed in order and `$NAME`/`${NAME}` uses expanded.
/// A flag whose value uses a variable the script never sets (or `$(…)`) is not guessed: it is
/// reported.
public enum LaunchScriptReader {
  /// Launcher flags and the topology setting they state.
  static let launcherFlags: [String: String] = [
    "nnodes": "nodes", "num_nodes": "nodes", "num_machines": "nodes", "nodes": "nodes", "N": "nodes",
    "nproc_per_node": "gpus_per_node", "nproc-per-node": "gpus_per_node", "num_gpus": "gpus_per_node",
    "gpus-per-node": "gpus_per_node", "ntasks-per-node": "gpus_per_node",
    "num_processes": "world_size",
  ]

  /// HF `TrainingArguments` flags read as settings of the same name.
  static let trainerFlags: Set<String> = [
    "per_device_train_batch_size", "gradient_accumulation_steps", "learning_rate", "warmup_ratio", "warmup_steps",
    "lr_scheduler_type", "max_grad_norm", "fp16", "bf16", "deepspeed", "logging_steps", "logging_first_step",
    "max_steps", "num_train_epochs", "optim", "model_name_or_path", "logging_nan_inf_filter",
  ]

  /// Flags that are switches: present alone means true; `--fp16 True` also reads.
  static let switches: Set<String> = ["fp16", "bf16", "logging_first_step", "logging_nan_inf_filter"]

  /// Reads `path` and hands each setting to `consume`.
  ///
  /// - Throws: ``InputError`` when the file cannot be read, or after delivering every setting it
  ///   could read when some flag values use variables that cannot be resolved (the message names
  ///   the first line and every variable).
  public static func load(_ path: String, _ consume: (LogEvent) -> Void) throws(InputError) {
    let bytes = try SmallFile.read(path)
    var unresolved: [(flag: String, names: [String], line: Int)] = []
    read(bytes, into: consume, unresolved: &unresolved)
    guard let first = unresolved.first else { return }
    let list = unresolved.map {
      "\($0.flag) uses \($0.names.map { $0.hasPrefix("$") || $0.hasPrefix("`") ? $0 : "$" + $0 }.joined(separator: ", ")) (line \($0.line))"
    }
    throw InputError(
      path: path, kind: .malformed,
      detail: "cannot resolve shell variables: \(list.joined(separator: "; ")); those settings were not read",
      line: first.line)
  }

  static func read(
    _ bytes: [UInt8], into consume: (LogEvent) -> Void, unresolved: inout [(flag: String, names: [String], line: Int)]
  ) {
    var shell = ShellWords(bytes)
    var variables: [String: String] = [:]
    while let command = shell.nextCommand(variables: variables) {
      var words = command[...]
      if words.first?.text == "export" || words.first?.text == "declare" || words.first?.text == "local" {
        words = words.dropFirst()
      }
      // Leading `NAME=value` words: assignments (a whole line of them) or a command's environment.
      while let word = words.first, let equals = word.text.firstIndex(of: "="), Self.isName(word.text[..<equals]) {
        let name = String(word.text[..<equals])
        // A value built from something not run (`$(…)`) leaves the variable unknown.
        variables[name] = word.unresolved.isEmpty ? String(word.text[word.text.index(after: equals)...]) : nil
        words = words.dropFirst()
      }
      guard !words.isEmpty, isLaunch(words) else { continue }
      readFlags(Array(words), into: consume, unresolved: &unresolved)
    }
  }

  /// Whether the command runs training: a known launcher, or any command with an HF flag.
  private static func isLaunch(_ words: ArraySlice<ShellWords.Word>) -> Bool {
    let launchers: Set<String> = ["torchrun", "deepspeed", "accelerate", "srun", "python", "python3", "mpirun"]
    let program = words.first.map { $0.text.split(separator: "/").last.map(String.init) ?? $0.text } ?? ""
    if launchers.contains(program) { return true }
    return words.contains { $0.text.hasPrefix("--") && trainerFlags.contains(flagName($0.text)) }
  }

  private static func readFlags(
    _ words: [ShellWords.Word], into consume: (LogEvent) -> Void,
    unresolved: inout [(flag: String, names: [String], line: Int)]
  ) {
    var index = 0
    while index < words.count {
      let word = words[index]
      index += 1
      guard word.text.hasPrefix("-"), word.text.count > 1 else { continue }
      let name = flagName(word.text)
      let settingName: String
      if let launcher = launcherFlags[name], name != "N" || !word.text.hasPrefix("--") {
        settingName = launcher
      } else if trainerFlags.contains(name) && word.text.hasPrefix("--") {
        settingName = name
      } else if name == "deepspeed_config" && word.text.hasPrefix("--") {
        // DeepSpeed's own argument (`deepspeed.add_config_arguments`) names the same file as HF's `--deepspeed`.
        settingName = "deepspeed"
      } else {
        continue
      }
      // The value: after `=`, else the next word unless it is another flag (then a switch is on).
      var value: ShellWords.Word
      if let equals = word.text.firstIndex(of: "=") {
        value = word
        value.text = String(word.text[word.text.index(after: equals)...])
      } else if index < words.count, !words[index].text.hasPrefix("--"),
        !switches.contains(name) || ["true", "false"].contains(words[index].text.lowercased())
      {
        value = words[index]
        index += 1
      } else if switches.contains(name) {
        value = ShellWords.Word(text: "true", raw: "", line: word.line, unresolved: [])
      } else {
        continue
      }
      let evidence = word.raw + (value.raw.isEmpty || value.raw == word.raw ? "" : " " + value.raw)
      guard value.unresolved.isEmpty else {
        unresolved.append((flag: word.text, names: value.unresolved, line: value.line))
        continue
      }
      guard let parsed = SettingValue.parse(value.text) else { continue }
      consume(
        .setting(
          SettingEvent(
            location: SourceLocation(line: word.line, offset: 0), name: settingName, value: parsed,
            source: .launchCommand,
            text: evidence)))
    }
  }

  /// `--nproc_per_node=2` → `nproc_per_node`; `-N` → `N`.
  static func flagName(_ text: String) -> String {
    var name = Substring(text)
    while name.hasPrefix("-") { name = name.dropFirst() }
    if let equals = name.firstIndex(of: "=") { name = name[..<equals] }
    return String(name)
  }

  private static func isName(_ text: Substring) -> Bool {
    guard let first = text.first, first == "_" || first.isLetter else { return false }
    return text.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
  }
}
