import Foundation

/// What the workbook-level parts say: sheets and where they live, the date system, which styles are dates.
struct XLSXStructure {
    /// One worksheet (or chart sheet) in tab order.
    struct Sheet {
        let name: String
        /// The part path inside the zip, e.g. `xl/worksheets/sheet1.xml`.
        let partPath: String?
    }

    var sheets: [Sheet] = []
    var is1904 = false
    /// The shared-strings part, if any.
    var sharedStringsPath: String?
    /// Per `cellXfs` index: how a number in that style reads.
    var styleKinds: [NumberFormatKind] = []

    /// Reads `_rels/.rels`, the workbook part, its relationships and the styles.
    init(package: XLSXPackage) throws {
        let workbookPath = try Self.officeDocumentPath(package)
        guard let workbook = try package.read(workbookPath) else {
            throw WorkbookError(.damagedArchive, path: package.path, message: "the archive has no \(workbookPath)")
        }
        let folder = (workbookPath as NSString).deletingLastPathComponent
        let relsPath = folder + "/_rels/" + (workbookPath as NSString).lastPathComponent + ".rels"
        let relations = try Self.relationships(package, relsPath, base: folder)
        let declared = try Self.sheetsAndDateSystem(workbook, part: workbookPath, package: package)
        is1904 = declared.is1904
        sheets = declared.sheets.map { Sheet(name: $0.name, partPath: relations[$0.relationID]?.target) }
        sharedStringsPath = relations.values.first { $0.type.hasSuffix("/sharedStrings") }?.target
        let stylesPath = relations.values.first { $0.type.hasSuffix("/styles") }?.target ?? folder + "/styles.xml"
        if let styles = try package.read(stylesPath) {
            styleKinds = try XLSXStyles.kinds(styles, part: stylesPath, package: package)
        }
    }

    /// Runs `visit` over every token of a small, fully read part, mapping scanner errors to `WorkbookError`.
    static func scan(
        _ bytes: [UInt8], part: String, package: XLSXPackage,
        _ visit: (UnsafeBufferPointer<UInt8>, XMLToken) throws -> Void
    ) throws {
        try bytes.withUnsafeBufferPointer { p in
            var i = 0
            do {
                while let token = try XMLScanner.next(p, &i, isFinal: true) { try visit(p, token) }
            } catch XMLScanError.forbiddenDeclaration {
                throw WorkbookError(.forbiddenXML, path: package.path, message: "in part \(part)")
            } catch XMLScanError.malformed(let what) {
                throw WorkbookError(.malformedXML, path: package.path, message: "\(what) in part \(part)")
            }
            if i < p.count {
                throw WorkbookError(.malformedXML, path: package.path, message: "part \(part) ends inside a tag")
            }
        }
    }

    /// The workbook part named by the package relationships (`xl/workbook.xml` unless stated otherwise).
    private static func officeDocumentPath(_ package: XLSXPackage) throws -> String {
        let relations = try relationships(package, "_rels/.rels", base: "")
        return relations.values.first { $0.type.hasSuffix("/officeDocument") }?.target ?? "xl/workbook.xml"
    }

    /// Relationship id → (type, resolved part path) for one `.rels` part (empty when the part is absent).
    static func relationships(
        _ package: XLSXPackage, _ relsPath: String, base: String
    ) throws -> [String: (type: String, target: String)] {
        guard let bytes = try package.read(relsPath) else { return [:] }
        var result: [String: (type: String, target: String)] = [:]
        try scan(bytes, part: relsPath, package: package) { p, token in
            guard token.kind != .end, token.kind != .text, XMLScanner.equals(p, token.name, "Relationship"),
                let id = XMLScanner.attribute(p, in: token.body, "Id"),
                let target = XMLScanner.attribute(p, in: token.body, "Target")
            else { return }
            let type = XMLScanner.attribute(p, in: token.body, "Type") ?? ""
            result[id] = (type, resolve(target, base: base))
        }
        return result
    }

    /// Resolves a relationship target: absolute (`/xl/…`) targets are taken from the root, others from `base`;
    /// `..` and `.` segments are folded.
    static func resolve(_ target: String, base: String) -> String {
        let cleaned = target.replacingOccurrences(of: "\\", with: "/")
        let joined = cleaned.hasPrefix("/") ? cleaned : (base.isEmpty ? cleaned : base + "/" + cleaned)
        var parts: [Substring] = []
        for segment in joined.split(separator: "/") {
            if segment == "." { continue }
            if segment == ".." { _ = parts.popLast() } else { parts.append(segment) }
        }
        return parts.joined(separator: "/")
    }

    private static func sheetsAndDateSystem(
        _ bytes: [UInt8], part: String, package: XLSXPackage
    ) throws -> (sheets: [(name: String, relationID: String)], is1904: Bool) {
        var sheets: [(name: String, relationID: String)] = []
        var is1904 = false
        try scan(bytes, part: part, package: package) { p, token in
            guard token.kind == .start || token.kind == .selfClosing else { return }
            if XMLScanner.equals(p, token.name, "workbookPr") {
                let flag = XMLScanner.attribute(p, in: token.body, "date1904")?.lowercased()
                is1904 = flag == "1" || flag == "true"
            } else if XMLScanner.equals(p, token.name, "sheet") {
                let name = XMLScanner.attribute(p, in: token.body, "name") ?? "Sheet\(sheets.count + 1)"
                sheets.append((name, XMLScanner.attribute(p, in: token.body, "id") ?? ""))
            }
        }
        return (sheets, is1904)
    }
}
