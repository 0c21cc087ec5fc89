import Foundation

extension LearningCurve {
    /// The plot as a standalone SVG 1.1 document.
    public func svg() -> String {
        let frame = PlotFrame(curve: self)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(n(width))\" "
            + "height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
            + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"white\"/>\n"
        out += text(title, x: width / 2, y: 24, anchor: "middle", extra: " font-size=\"16\" font-weight=\"bold\"")
        out += frame.axes()
        if let best = bestEpoch, frame.x.low...frame.x.high ~= Double(best) {
            let x = frame.xPosition(Double(best))
            out += "<line x1=\"\(n(x))\" y1=\"\(n(frame.top))\" x2=\"\(n(x))\" y2=\"\(n(frame.bottom))\" "
                + "stroke=\"#777777\" stroke-dasharray=\"4 3\"/>\n"
            let leftOfLine = x > (frame.left + frame.right) / 2
            out += text("best epoch \(best)", x: leftOfLine ? x - 4 : x + 4, y: frame.bottom - 8,
                        anchor: leftOfLine ? "end" : "start", extra: " fill=\"#555555\" font-size=\"11\"")
        }
        for s in series { out += frame.draw(s) }
        out += legend(frame: frame)
        out += "</svg>\n"
        return out
    }

    /// Legend entries in the top right corner of the plot area.
    private func legend(frame: PlotFrame) -> String {
        guard !series.isEmpty else { return "" }
        let boxWidth = 20 + Double(series.map(\.name.count).max() ?? 0) * 7 + 30
        let left = frame.right - boxWidth - 8
        var out = "<g class=\"legend\">\n<rect x=\"\(n(left))\" y=\"\(n(frame.top + 8))\" width=\"\(n(boxWidth))\" "
            + "height=\"\(n(Double(series.count) * 18 + 8))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#cccccc\"/>\n"
        for (k, s) in series.enumerated() {
            let y = frame.top + 8 + 4 + Double(k) * 18 + 9
            out += "<line x1=\"\(n(left + 6))\" y1=\"\(n(y))\" x2=\"\(n(left + 26))\" y2=\"\(n(y))\" "
                + "stroke=\"\(s.color)\" stroke-width=\"2\"/>\n"
            out += text(s.name + (s.isError ? " (%, right)" : ""), x: left + 32, y: y + 4, anchor: "start", extra: "")
        }
        return out + "</g>\n"
    }
}

/// The plot area of a learning curve and its three scales (epochs, losses, errors in percent).
struct PlotFrame {
    let left: Double, right: Double, top: Double, bottom: Double
    let x: AxisScale
    let loss: AxisScale
    /// The percent axis, nil when no series is an error.
    let error: AxisScale?

    init(curve: LearningCurve) {
        left = 72
        right = curve.width - 72
        top = 44
        bottom = curve.height - 52
        let all = curve.series.flatMap(\.points)
        x = AxisScale(covering: all.map(\.epoch), target: 8, integral: true)
        loss = AxisScale(covering: curve.series.filter { !$0.isError }.flatMap(\.points).map(\.value))
        let errors = curve.series.filter(\.isError).flatMap(\.points).map { $0.value * 100 }
        error = errors.isEmpty ? nil : AxisScale(covering: errors)
    }

    /// Pixel x of an epoch.
    func xPosition(_ epoch: Double) -> Double { x.position(epoch, from: left, to: right) }

    /// Pixel y of a series value.
    func yPosition(_ value: Double, isError: Bool) -> Double {
        if isError, let error { return error.position(value * 100, from: bottom, to: top) }
        return loss.position(value, from: bottom, to: top)
    }

    /// Frame, grid, ticks, tick labels and axis titles.
    func axes() -> String {
        var out = "<g class=\"axes\" stroke-width=\"1\">\n"
        out += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(right - left))\" height=\"\(n(bottom - top))\" "
            + "fill=\"none\" stroke=\"#333333\"/>\n"
        for t in x.ticks {
            let px = xPosition(t)
            out += line(px, top, px, bottom, "#eeeeee") + line(px, bottom, px, bottom + 5, "#333333")
            out += text(x.label(t), x: px, y: bottom + 18, anchor: "middle", extra: "")
        }
        for t in loss.ticks {
            let py = loss.position(t, from: bottom, to: top)
            out += line(left, py, right, py, "#eeeeee") + line(left - 5, py, left, py, "#333333")
            out += text(loss.label(t), x: left - 8, y: py + 4, anchor: "end", extra: "")
        }
        if let error {
            for t in error.ticks {
                let py = error.position(t, from: bottom, to: top)
                out += line(right, py, right + 5, py, "#333333")
                out += text(error.label(t), x: right + 8, y: py + 4, anchor: "start", extra: "")
            }
            out += rotated("validation error (%)", x: right + 56, y: (top + bottom) / 2)
        }
        out += text("epoch", x: (left + right) / 2, y: bottom + 40, anchor: "middle", extra: "")
        out += rotated("loss", x: left - 56, y: (top + bottom) / 2)
        return out + "</g>\n"
    }

    /// A series as a polyline with one marked, annotated circle per point.
    func draw(_ s: LearningCurve.Series) -> String {
        guard !s.points.isEmpty else { return "" }
        let coordinates = s.points.map { (xPosition($0.epoch), yPosition($0.value, isError: s.isError)) }
        var out = "<g class=\"series\" data-series=\"\(escapeXML(s.name))\">\n"
        out += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\" points=\""
            + coordinates.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ") + "\"/>\n"
        for (p, (px, py)) in zip(s.points, coordinates) {
            let epoch = p.epoch == p.epoch.rounded() ? String(Int(p.epoch)) : "\(p.epoch)"
            out += "<circle cx=\"\(n(px))\" cy=\"\(n(py))\" r=\"3\" fill=\"\(s.color)\" "
                + "data-series=\"\(escapeXML(s.name))\" data-epoch=\"\(epoch)\" data-value=\"\(p.value)\">"
                + "<title>\(escapeXML(s.name)), epoch \(epoch): \(p.value)</title></circle>\n"
        }
        return out + "</g>\n"
    }

    /// A one-pixel `<line>` in `color`.
    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ color: String) -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(color)\"/>\n"
    }

    /// An axis title turned 90° counter-clockwise about its position.
    private func rotated(_ label: String, x: Double, y: Double) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"middle\" transform=\"rotate(-90 \(n(x)) \(n(y)))\">"
            + escapeXML(label) + "</text>\n"
    }
}

/// A `<text>` element with escaped content.
private func text(_ content: String, x: Double, y: Double, anchor: String, extra: String) -> String {
    "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\"\(extra)>\(escapeXML(content))</text>\n"
}

/// A pixel coordinate with two decimals.
private func n(_ value: Double) -> String { String(format: "%.2f", value) }

/// `text` with the five XML special characters escaped.
func escapeXML(_ text: String) -> String {
    var out = ""
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(c)
        }
    }
    return out
}
