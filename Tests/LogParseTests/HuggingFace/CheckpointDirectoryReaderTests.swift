import Foundation
import Testing

@testable import LogParse

@Suite("checkpoint folders")
struct CheckpointDirectoryReaderTests {
  /// A state holding training entries for `steps` (loss = step / 100).
  static func state(globalStep: Int, steps: [Int]) -> String {
    let entries = steps.map {
      "    {\"epoch\": 0.1, \"learning_rate\": 1e-05, \"loss\": \(Double($0) / 100), \"step\": \($0)}"
    }
    return """
      {
        "global_step": \(globalStep),
        "log_history": [
      \(entries.joined(separator: ",\n"))
        ],
        "logging_steps": 10,
        "max_steps": 40
      }

      """
  }

  @Test("an output_dir reads its newest checkpoint's state: each step once, in order")
  func newestCheckpoint() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    try folder.write(Self.state(globalStep: 10, steps: [10]), to: "checkpoint-10/trainer_state.json")
    try folder.write(Self.state(globalStep: 30, steps: [10, 20, 30]), to: "checkpoint-30/trainer_state.json")
    try folder.write(Self.state(globalStep: 20, steps: [10, 20]), to: "checkpoint-20/trainer_state.json")
    try folder.write("not a checkpoint", to: "checkpoint-x/readme.txt")
    let events = try loadEvents(folder.url.path)
    #expect(trainingSteps(events).map(\.step) == [10, 20, 30])
    #expect(notes(events).isEmpty)
    #expect(settingValues(events) == ["logging_steps": .int(10), "max_steps": .int(40)])
  }

  @Test("the folder's own final trainer_state.json wins over an older checkpoint; a checkpoint folder reads itself")
  func ownStateAndSingleCheckpoint() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    try folder.write(Self.state(globalStep: 20, steps: [10, 20]), to: "checkpoint-20/trainer_state.json")
    try folder.write(Self.state(globalStep: 40, steps: [10, 20, 30, 40]), to: "trainer_state.json")
    #expect(trainingSteps(try loadEvents(folder.url.path)).map(\.step) == [10, 20, 30, 40])
    let checkpoint = folder.url.appendingPathComponent("checkpoint-20").path
    #expect(trainingSteps(try loadEvents(checkpoint)).map(\.step) == [10, 20])
  }

  @Test("a cut newest state is skipped with a note naming it and its byte offset; the next newest is read")
  func cutNewest() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    try folder.write(Self.state(globalStep: 20, steps: [10, 20]), to: "checkpoint-20/trainer_state.json")
    let full = Self.state(globalStep: 30, steps: [10, 20, 30])
    try folder.write(String(full.prefix(80)), to: "checkpoint-30/trainer_state.json")
    let events = try loadEvents(folder.url.path)
    #expect(trainingSteps(events).map(\.step) == [10, 20])
    let note = try #require(notes(events).first)
    #expect(note.message.contains("checkpoint-30/trainer_state.json"))
    #expect(note.message.contains("(byte 80)"))
  }

  @Test("a folder with no trainer_state.json anywhere: a clear error naming it")
  func emptyFolder() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    try folder.write("hello", to: "notes.txt")
    let error = #expect(throws: InputError.self) { try loadEvents(folder.url.path) }
    #expect(
      error?.description
        == "\(folder.url.path): Is a directory, with no trainer_state.json in it or in checkpoint-N/ folders under it")
  }
}

@Suite("lenient JSON")
struct LenientJSONReaderTests {
  func parse(_ text: String) -> Result<JSONValue, LenientJSONReader.Failure> {
    LenientJSONReader.parse(Array(text.utf8))
  }

  @Test("Python's bare NaN, Infinity and -Infinity, escapes, nesting")
  func values() throws {
    let value = try parse(
      #"{"a": [NaN, Infinity, -Infinity, -1.5e-3, 7], "b": "x\"\u00e9\n", "c": {"d": null, "e": true}}"#
    ).get()
    let object = try #require(value.object)
    let list = try #require(object["a"]?.array)
    #expect(list[0].double?.isNaN == true)
    #expect(list[1].double == .infinity && list[2].double == -.infinity)
    #expect(list[3].double == -0.0015 && list[4].int == 7)
    #expect(object["b"]?.string == "x\"é\n")
    #expect(object["c"]?.object?["d"] == .null)
    #expect(object["c"]?.object?["e"] == .bool(true))
  }

  @Test(
    "errors say where",
    arguments: [
      ("{\"a\": [1, 2", 11, "ends inside an array"),
      ("{\"a\": \"open", 11, "ends inside the string"),
      ("{\"a\": nan}", 6, "unexpected 'n'"),
      ("[1 2]", 3, "expected ',' or ']'"),
      ("{} x", 3, "after the JSON value"),
      ("", 0, "ends where a value was expected"),
      ("[1, 2.5e", 8, "ends inside a number"),
      ("{\"a\": Infin", 11, "ends inside 'Infinity'"),
    ])
  func errors(_ text: String, _ offset: Int, _ words: String) {
    guard case .failure(let failure) = parse(text) else {
      Issue.record("parsed \(text)")
      return
    }
    #expect(failure.offset == offset)
    #expect(failure.message.contains(words))
  }
}
