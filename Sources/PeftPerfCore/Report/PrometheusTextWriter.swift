/// Builds the Prometheus text exposition format (version 0.0.4).
///
/// Each metric family gets one `# HELP` and one `# TYPE` line followed by all
/// of its samples, in the order the families were first declared, however the
/// calls interleave; the format requires a family's samples to be contiguous.
///
/// ```swift
/// var writer = PrometheusTextWriter()
/// writer.gauge("peft_perf_system_disk_free_bytes", help: "Free disk space.",
///              labels: [("path", "/")], value: 1.2e9)
/// print(writer.output, terminator: "")
/// ```
///
/// - Metric and label names are programmer-chosen constants and are checked
///   with `precondition`; use ``sanitizedName(_:)`` for anything derived
///   from data.
/// - Label values and HELP text are escaped as the format requires, with
///   the format's escapes only; other control characters become U+FFFD.
/// - Values: integral doubles print without a fraction (`1048576`), others
///   in Swift's shortest round-trip form (`0.125`, `1e-07`); NaN and the
///   infinities print as `NaN`, `+Inf`, `-Inf`. A nil value omits the sample,
///   which is how an undefined figure (a rate over no time) is left out.
///
/// Related documentation: <https://prometheus.io/docs/instrumenting/exposition_formats/>
public struct PrometheusTextWriter: Sendable {
    /// The metric types of the text format.
    public enum MetricType: String, Sendable {
        case counter, gauge, histogram, summary, untyped
    }

    private struct Family: Sendable {
        let name: String
        let type: MetricType
        let help: String
        var samples: [String] = []
    }

    private var families: [Family] = []
    private var familyIndex: [String: Int] = [:]

    public init() {}

    /// Whether nothing has been declared.
    public var isEmpty: Bool { self.families.isEmpty }

    /// The exposition text: every family, each line ending in a newline.
    public var output: String {
        var text = ""
        for family in self.families {
            text += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.type.rawValue)\n"
            for sample in family.samples {
                text += sample
                text += "\n"
            }
        }
        return text
    }

    /// Declares a metric family. Declaring the same name again with the same
    /// type is allowed and does nothing.
    public mutating func declare(_ name: String, type: MetricType, help: String) {
        precondition(Self.isValidMetricName(name), "invalid Prometheus metric name '\(name)'")
        if let index = self.familyIndex[name] {
            precondition(self.families[index].type == type, "metric '\(name)' declared with two types")
            return
        }
        self.familyIndex[name] = self.families.count
        self.families.append(Family(name: name, type: type, help: help))
    }

    /// Adds one gauge sample, declaring the family if needed.
    public mutating func gauge(
        _ name: String, help: String, labels: [(String, String)] = [], value: Double?
    ) {
        self.declare(name, type: .gauge, help: help)
        self.sample(family: name, name: name, labels: labels, value: value)
    }

    /// Adds one counter sample, declaring the family if needed.
    ///
    /// By convention (and `promtool check metrics`'s linter) counter names end in `_total`.
    public mutating func counter(
        _ name: String, help: String, labels: [(String, String)] = [], value: Double?
    ) {
        self.declare(name, type: .counter, help: help)
        self.sample(family: name, name: name, labels: labels, value: value)
    }

    /// Adds one histogram: `_bucket` lines (cumulative, with a final `+Inf`
    /// bucket added when missing), `_sum` and `_count`.
    ///
    /// - Parameters:
    ///   - buckets: upper bounds in increasing order with the cumulative count
    ///     of observations less than or equal to each.
    ///   - sum: the sum of all observations.
    ///   - count: the number of observations (the `+Inf` bucket).
    public mutating func histogram(
        _ name: String, help: String, labels: [(String, String)] = [],
        buckets: [(upperBound: Double, cumulativeCount: UInt64)], sum: Double, count: UInt64
    ) {
        self.declare(name, type: .histogram, help: help)
        let base = labels
        for bucket in buckets where !(bucket.upperBound == .infinity) {
            self.sample(
                family: name, name: name + "_bucket",
                labels: base + [("le", Self.formatValue(bucket.upperBound))],
                value: Double(bucket.cumulativeCount))
        }
        self.sample(family: name, name: name + "_bucket", labels: base + [("le", "+Inf")], value: Double(count))
        self.sample(family: name, name: name + "_sum", labels: base, value: sum)
        self.sample(family: name, name: name + "_count", labels: base, value: Double(count))
    }

    /// Adds a raw sample line to a declared family; `name` may carry a suffix
    /// such as `_bucket` (histograms) or none (counters, gauges).
    public mutating func sample(
        family: String, name: String, labels: [(String, String)] = [], value: Double?
    ) {
        guard let value else { return }
        guard let index = self.familyIndex[family] else {
            preconditionFailure("sample for undeclared metric family '\(family)'")
        }
        precondition(Self.isValidMetricName(name), "invalid Prometheus metric name '\(name)'")
        var line = name
        if !labels.isEmpty {
            line += "{"
            for (offset, label) in labels.enumerated() {
                precondition(Self.isValidLabelName(label.0), "invalid Prometheus label name '\(label.0)'")
                if offset > 0 { line += "," }
                line += label.0
                line += "=\""
                line += Self.escapeLabelValue(label.1)
                line += "\""
            }
            line += "}"
        }
        line += " "
        line += Self.formatValue(value)
        self.families[index].samples.append(line)
    }

    // MARK: - Format rules

    /// Formats a sample value as the text format expects it.
    public static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {  // 2^53: exact as an integer
            return String(Int64(value))
        }
        return String(describing: value)
    }

    /// Escapes a label value with the format's three escapes: backslash,
    /// double quote and line feed. Any other control character (C0 but LF,
    /// DEL, C1) becomes U+FFFD: the format has no escape for it, promtool
    /// rejects one such as `\r`, and a raw CR or NUL makes parsers such as
    /// prometheus_client's reject the whole exposition.
    public static func escapeLabelValue(_ value: String) -> String {
        Self.escape(value, quote: true)
    }

    /// Escapes HELP text: backslash and line feed; any other control
    /// character becomes U+FFFD, as in label values.
    public static func escapeHelp(_ text: String) -> String {
        Self.escape(text, quote: false)
    }

    /// Whether `scalar` is a control character the format cannot carry:
    /// C0 except LF, DEL, C1.
    static func isUnrepresentableControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar.value != 0x0A) || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    private static func escape(_ text: String, quote: Bool) -> String {
        // Bytes that need work: `\`, `"` (in label values), C0 and DEL, and
        // 0xC2, the first byte of every C1 control in UTF-8.
        let needsWork = text.utf8.contains { byte in
            byte == 0x5C || (quote && byte == 0x22) || byte < 0x20 || byte == 0x7F || byte == 0xC2
        }
        guard needsWork else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 4)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"" where quote: escaped += "\\\""
            case "\n": escaped += "\\n"
            default:
                if Self.isUnrepresentableControl(scalar) {
                    escaped.unicodeScalars.append("\u{FFFD}")
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    public static func isValidMetricName(_ name: String) -> Bool {
        Self.isValidName(name, allowColon: true)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with the reserved `__`.
    public static func isValidLabelName(_ name: String) -> Bool {
        Self.isValidName(name, allowColon: false) && !name.hasPrefix("__")
    }

    /// Turns any text into a valid metric name: invalid characters become
    /// `_`, and a leading digit gets a `_` prefix.
    public static func sanitizedName(_ text: String) -> String {
        var name = ""
        for byte in text.utf8 {
            let ok = Self.isNameByte(byte, allowColon: true, first: false)
            name.unicodeScalars.append(Unicode.Scalar(ok ? byte : UInt8(ascii: "_")))
        }
        if let first = name.utf8.first, !Self.isNameByte(first, allowColon: true, first: true) {
            name = "_" + name
        }
        return name.isEmpty ? "_" : name
    }

    private static func isValidName(_ name: String, allowColon: Bool) -> Bool {
        var first = true
        for byte in name.utf8 {
            guard Self.isNameByte(byte, allowColon: allowColon, first: first) else { return false }
            first = false
        }
        return !first
    }

    private static func isNameByte(_ byte: UInt8, allowColon: Bool, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return !first
        case UInt8(ascii: ":"):
            return allowColon
        default:
            return false
        }
    }
}
