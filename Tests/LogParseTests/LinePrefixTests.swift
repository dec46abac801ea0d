import Testing

@testable import LogParse

@Suite("Launcher and rank prefixes")
struct LinePrefixTests {
  func parse(_ text: String) -> (rest: String, rank: Int?, host: String?) {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { buffer in
      let prefix = LinePrefix.parse(buffer)
      let rest = String(decoding: buffer[prefix.contentStart...], as: UTF8.self)
      let host = prefix.host.map { String(decoding: buffer[$0], as: UTF8.self) }
      return (rest, prefix.rank, host)
    }
  }

  @Test(
    "each launcher's prefix is peeled off and its rank or host kept",
    arguments: [
      ("[default0]:ep 55 train, step 1347", "ep 55 train, step 1347", 0, nil),
      ("[trainer3]:{'loss': 1.0}", "{'loss': 1.0}", 3, nil),
      ("[rank2]: frame #17 ...", "frame #17 ...", 2, nil),
      ("1: iteration        1/  508626 |", "iteration        1/  508626 |", 1, nil),
      ("machine1: {'loss': 6.591}", "{'loss': 6.591}", nil, "machine1"),
      ("worker-0: [default1]:{'loss': 2}", "{'loss': 2}", 1, "worker-0"),
      ("\u{1B}[32m[rank0]: AssertionError", "AssertionError", 0, nil),
    ] as [(String, String, Int?, String?)])
  func prefixes(_ line: String, _ rest: String, _ rank: Int?, _ host: String?) {
    let parsed = parse(line)
    #expect(parsed.rest == rest)
    #expect(parsed.rank == rank)
    #expect(parsed.host == host)
  }

  @Test(
    "lines without a launcher prefix are left whole",
    arguments: [
      "{'loss': 1.0, 'epoch': 0.1}", " iteration      100/ 1000 |", "[2024-09-15 00:13:21,397] [INFO] [logging.py:96:log_dist]",
      "03/22/2024 09:51:20 - INFO - __main__", "[INFO|trainer.py:1143] 2021-05-25 >>", "",
    ])
  func noPrefix(_ line: String) {
    #expect(parse(line).rest == line)
  }

  @Test("the first-byte check gives what peeling every prefix gives, whatever the first byte")
  func firstByteCheck() {
    let tails = [
      "", "0: x", "12: {'loss': 1}", "[rank1]: x", "[default0]:x", "ost1: x", "\u{1B}[1;32mx", " {'loss': 1}", ": x",
      "[1;31m", "7", "a",
    ].map { Array($0.utf8) }
    var differences: [String] = []
    for first in UInt8.min...UInt8.max {
      for tail in tails {
        let line = [first] + tail
        line.withUnsafeBytes { bytes in
          if LinePrefix.parse(bytes) != LinePrefix.peel(bytes) { differences.append("\(line)") }
        }
      }
    }
    #expect(differences.isEmpty, "\(differences.prefix(5))")
  }
}
