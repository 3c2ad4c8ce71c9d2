import Foundation

/// Reads `sharedStrings.xml` once per workbook: the texts that `t="s"` cells point to by index.
///
/// Rich-text runs (`<r><t>`) are concatenated, phonetic guides (`<rPh>`) ignored, an empty `<si/>` is "".
struct XLSXSharedStrings {
    private(set) var strings: [String] = []
    private var current: [UInt8] = []
    private var inItem = false
    private var inText = false
    private var phoneticDepth = 0
    private var run = XLSXTextRun()
    private let limits: WorkbookLimits
    private let path: String

    /// Loads the part; a workbook without one has no shared strings.
    static func load(_ partPath: String?, from package: XLSXPackage) throws -> [String] {
        guard let partPath else { return [] }
        var reader = XLSXSharedStrings(limits: package.limits, path: package.path)
        do {
            try package.streamTokens(partPath) { batch in
                try batch.forEachToken { p, token in try reader.handle(p, token) }
                if !batch.isLast { try reader.checkPending(batch.pendingCount) }
            }
        } catch XMLScanError.forbiddenDeclaration {
            throw WorkbookError(.forbiddenXML, path: package.path, message: "in part \(partPath)")
        }
        return reader.strings
    }

    private init(limits: WorkbookLimits, path: String) {
        self.limits = limits
        self.path = path
    }

    private mutating func handle(_ p: UnsafeBufferPointer<UInt8>, _ token: XMLToken) throws {
        switch token.kind {
        case .text, .cdata:
            guard inText, phoneticDepth == 0 else { return }
            if token.kind == .cdata {
                XMLText.appendCDATA(p, token.body, to: &current)
            } else {
                XMLText.appendDecoded(p, token.body, to: &current)
            }
            if current.count > limits.maxCellBytes { throw tooLarge() }
        case .start:
            if XMLScanner.equals(p, token.name, "si") {
                inItem = true
                current.removeAll(keepingCapacity: true)
            } else if XMLScanner.equals(p, token.name, "rPh") {
                phoneticDepth += 1
            } else if XMLScanner.equals(p, token.name, "t") {
                inText = inItem
                run = XLSXTextRun(p, token.body, start: current.count)
            }
        case .selfClosing:
            if XMLScanner.equals(p, token.name, "si") { strings.append("") }
        case .end:
            if XMLScanner.equals(p, token.name, "si") {
                strings.append(XMLText.string(fromCellBytes: current))
                inItem = false
            } else if XMLScanner.equals(p, token.name, "rPh") {
                phoneticDepth = max(phoneticDepth - 1, 0)
            } else if XMLScanner.equals(p, token.name, "t") {
                if inText, phoneticDepth == 0 { run.finish(&current) }
                inText = false
            }
        }
    }

    private func checkPending(_ count: Int) throws {
        if count > limits.maxCellBytes + 65_536 { throw tooLarge() }
    }

    private func tooLarge() -> WorkbookError {
        WorkbookError(
            .cellTooLarge, path: path,
            message: "shared string #\(strings.count + 1) is over \(limits.maxCellBytes) bytes")
    }
}
