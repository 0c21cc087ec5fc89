import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import HypatiaNN
import Testing

/// The elements of an XML document (name and attributes, in document order) and its text.
final class XMLElements: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var text = ""

    /// Parses `document`; nil if it is not well-formed XML.
    static func parse(_ document: String) -> XMLElements? {
        let collector = XMLElements()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append((elementName, attributeDict))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func named(_ name: String) -> [[String: String]] { elements.filter { $0.name == name }.map(\.attributes) }
}

@Suite("Training: learning-curve SVG")
struct TrainingLearningCurveTests {
    @Test func svgIsWellFormedWithAxesLegendAndTitle() throws {
        let curve = LearningCurve(sampleHistory(), title: "MLP <tanh> & L2")
        let svg = curve.svg()
        let document = try #require(XMLElements.parse(svg), "not well-formed:\n\(svg)")
        #expect(document.elements.first?.name == "svg")
        #expect(document.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(document.text.contains("MLP <tanh> & L2"))
        for label in ["epoch", "loss", "validation error (%)", "training loss", "validation loss",
                      "validation error (%, right)", "best epoch 3"] {
            #expect(document.text.contains(label), "missing \(label)")
        }
        #expect(document.named("polyline").count == 3)
        #expect(document.named("g").contains { $0["class"] == "legend" })
    }

    /// Each finite value is a circle carrying its epoch and value; the NaN loss is left out;
    /// lower values are drawn lower (larger y); errors use the right-hand percent axis.
    @Test func pointsArePlottedOnTheirAxes() throws {
        let document = try #require(XMLElements.parse(LearningCurve(sampleHistory()).svg()))
        let circles = document.named("circle")
        func points(_ series: String) -> [(epoch: String, value: Double, y: Double)] {
            circles.filter { $0["data-series"] == series }
                .map { ($0["data-epoch"]!, Double($0["data-value"]!)!, Double($0["cy"]!)!) }
        }
        let train = points("training loss"), loss = points("validation loss"), error = points("validation error")
        #expect(train.map(\.epoch) == ["1", "2"] && train.map(\.value) == [0.9, 0.5])
        #expect(loss.map(\.epoch) == ["1", "3"] && loss.map(\.value) == [0.8, 0.375])
        #expect(error.map(\.epoch) == ["1", "3"] && error.map(\.value) == [0.25, 0.125])
        #expect(train[0].y < train[1].y && loss[0].y < loss[1].y && error[0].y < error[1].y)
        let frame = PlotFrame(curve: LearningCurve(sampleHistory()))
        #expect(abs(error[0].y - frame.error!.position(25, from: frame.bottom, to: frame.top)) < 0.01)
        #expect(abs(train[1].y - frame.loss.position(0.5, from: frame.bottom, to: frame.top)) < 0.01)
        let xs = circles.filter { $0["data-epoch"] == "1" }.map { $0["cx"]! }
        #expect(Set(xs).count == 1 && abs(Double(xs[0])! - frame.left) < 0.01)
    }

    @Test func emptyAndSingleEpochHistoriesStillMakeValidSVG() throws {
        #expect(XMLElements.parse(LearningCurve(TrainingHistory()).svg()) != nil)
        var one = TrainingHistory()
        one.epochs = [EpochRecord(epoch: 1, trainLoss: 0.3, batches: 1, examples: 1, seconds: 0)]
        let document = try #require(XMLElements.parse(LearningCurve(one).svg()))
        #expect(document.named("circle").count == 1)
        #expect(document.named("polyline").count == 1)
    }

    @Test func writesAFile() throws {
        let path = NSTemporaryDirectory() + "hypatia-curve-\(UUID().uuidString).svg"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let curve = LearningCurve(sampleHistory())
        try curve.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == curve.svg())
        #expect(throws: DataError.self) { try curve.write(to: "/nonexistent-dir/c.svg") }
    }

    @Test(arguments: [
        ([0.13, 0.87], [0, 0.2, 0.4, 0.6, 0.8, 1.0], 1),
        ([12.5, 25], [10, 15, 20, 25], 0),
        ([0.3, 0.3], [0.26, 0.28, 0.30, 0.32, 0.34], 2),
        ([], [0, 0.2, 0.4, 0.6, 0.8, 1.0], 1),
    ] as [([Double], [Double], Int)])
    func niceTicks(_ values: [Double], _ ticks: [Double], _ decimals: Int) {
        let scale = AxisScale(covering: values)
        #expect(zip(scale.ticks, ticks).allSatisfy { abs($0 - $1) < 1e-9 } && scale.ticks.count == ticks.count)
        #expect(scale.decimals == decimals)
        #expect(scale.low == scale.ticks.first && scale.high == scale.ticks.last)
    }

    @Test func epochTicksAreWholeNumbers() {
        #expect(AxisScale(covering: [1, 3], target: 8, integral: true).ticks == [1, 2, 3])
        #expect(AxisScale(covering: [1, 200], target: 8, integral: true).ticks.first == 0)
        #expect(AxisScale(covering: [1], target: 8, integral: true).ticks == [0, 1, 2])
    }
}
