import PeftPerfCore

/// Writes a bench report as JUnit XML, which CI systems display as tests.
///
/// One test case per assertion and baseline check, plus one that at least
/// one request succeeded. Failures carry the measured value.
enum HTTPBenchJUnitWriter {
    /// The name of the one test suite.
    static let suiteName = "peft-perf bench http"

    static func render(_ report: HTTPBenchReport) -> String {
        var cases: [(name: String, failure: String?)] = []
        let total = report.result.total
        cases.append(
            (
                "requests succeeded",
                total.successes > 0 ? nil : report.noSuccessMessage
            ))
        for a in report.assertions {
            cases.append((a.expr, a.passed ? nil : "measured \(a.formattedValue)"))
        }
        if let b = report.baseline {
            let allowed = DecimalNumber.format(b.maxRegression * 100, places: 1) + "%"
            cases.append(
                (
                    "p99 within \(allowed) of baseline",
                    b.p99Seconds.passed ? nil : "p99 change \(percent(b.p99Seconds.change))"
                ))
            cases.append(
                ("rps within \(allowed) of baseline", b.rps.passed ? nil : "rps change \(percent(b.rps.change))"))
        }
        let failures = cases.filter { $0.failure != nil }.count
        let time = DecimalNumber.format(report.result.durationSeconds, places: 3)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites tests=\"\(cases.count)\" failures=\"\(failures)\" time=\"\(time)\">\n"
        xml +=
            "  <testsuite name=\"\(escape(suiteName))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" time=\"\(time)\">\n"
        xml += "    <properties>\n"
        for (name, value) in properties(report) {
            xml += "      <property name=\"\(escape(name))\" value=\"\(escape(value))\"/>\n"
        }
        xml += "    </properties>\n"
        for c in cases {
            let name = escape(c.name)
            if let failure = c.failure {
                xml += "    <testcase classname=\"peft-perf.bench\" name=\"\(name)\" time=\"0\">\n"
                xml += "      <failure message=\"\(escape(failure))\">\(escape(failure))</failure>\n"
                xml += "    </testcase>\n"
            } else {
                xml += "    <testcase classname=\"peft-perf.bench\" name=\"\(name)\" time=\"0\"/>\n"
            }
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    static func properties(_ report: HTTPBenchReport) -> [(String, String)] {
        let t = report.result.total
        return [
            ("requests", String(t.requests)),
            ("errors", String(t.errors)),
            ("rps", t.rps.map { DecimalNumber.format($0, places: 1) } ?? "n/a"),
            ("p99_seconds", t.latencySeconds.p99.map { DecimalNumber.format($0, places: 6) } ?? "n/a"),
        ] + report.result.targets.enumerated().map { ("url_\($0.offset + 1)", $0.element.url ?? "") }
    }

    /// A signed percentage such as `+12.5%`, or `n/a`.
    static func percent(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return (value >= 0 ? "+" : "") + DecimalNumber.format(value * 100, places: 1) + "%"
    }

    /// Escapes text for XML 1.0 attributes and content.
    ///
    /// - `& < > " '` become entity references.
    /// - TAB, LF and CR become character references: raw in an attribute, a
    ///   parser would turn them into spaces, and a raw CR in content into LF.
    /// - DEL and the C1 controls become character references too: XML 1.0
    ///   allows them, and a parser gives back the same character, but a raw
    ///   one could act on the terminal of whoever reads the file.
    /// - Characters XML 1.0 forbids even as references, the other C0
    ///   controls, U+FFFE and U+FFFF, become U+FFFD. (A Swift string never
    ///   holds a lone surrogate.)
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out.unicodeScalars.append("\u{FFFD}")
                } else if scalar.value >= 0x7F && scalar.value <= 0x9F {
                    out += "&#\(scalar.value);"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
