/// The `d` attribute of a polyline through points, broken at non-finite values.
enum SVGPath {
  static func polyline(_ points: [(x: Double, y: Double)]) -> String {
    var path = ""
    var penDown = false
    for point in points {
      guard point.x.isFinite, point.y.isFinite else {
        penDown = false
        continue
      }
      path += (penDown ? "L" : "M") + SVGText.coordinate(point.x) + " " + SVGText.coordinate(point.y)
      penDown = true
    }
    return path
  }
}
