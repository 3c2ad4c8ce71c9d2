import Foundation
import FoundationXML

/// A small element tree of an OpenTravel message, built with Foundation's `XMLParser`.
///
/// Messages are a few kilobytes, so a tree is simpler than streaming. Namespaces are processed and
/// names are local (`OTA_HotelResNotifRQ`, whatever the prefix). DTDs and entities are refused before
/// parsing (a `<!DOCTYPE` or `<!ENTITY` anywhere rejects the message) and external entities are never
/// resolved, so a hostile message cannot read files or expand entities.
final class OTAElement {
    let name: String
    let attributes: [String: String]
    /// 1-based line of the element's start tag.
    let line: Int
    var children: [OTAElement] = []
    var text = ""

    init(name: String, attributes: [String: String], line: Int) {
        self.name = name
        self.attributes = attributes
        self.line = line
    }

    /// The first child with this name.
    func child(_ name: String) -> OTAElement? { children.first { $0.name == name } }

    /// The children with this name.
    func children(_ name: String) -> [OTAElement] { children.filter { $0.name == name } }

    /// Every descendant with this name, in document order.
    func descendants(_ name: String) -> [OTAElement] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.descendants(name) }
    }

    /// The first descendant with this name.
    func first(_ name: String) -> OTAElement? {
        for child in children {
            if child.name == name { return child }
            if let found = child.first(name) { return found }
        }
        return nil
    }

    /// The element's text, trimmed; nil when empty.
    var value: String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// Why a message could not be read.
enum OTAXMLError: Error, Sendable, Hashable {
    /// The message declares a DTD or an entity, which is refused.
    case doctypeRefused
    /// The XML is not well-formed: the parser's message and line.
    case malformed(String, line: Int)
}

/// Parses a message into an `OTAElement` tree.
enum OTAXMLTree {
    static func parse(_ data: Data) throws(OTAXMLError) -> OTAElement {
        let head = String(decoding: data, as: UTF8.self).uppercased()
        if head.contains("<!DOCTYPE") || head.contains("<!ENTITY") { throw .doctypeRefused }
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let builder = OTATreeBuilder(parser: parser)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "document vide"
            throw .malformed(reason, line: parser.lineNumber)
        }
        return root
    }
}

/// The parser's delegate: builds the tree (only used on the parsing thread).
private final class OTATreeBuilder: NSObject, XMLParserDelegate {
    weak var parser: XMLParser?
    var root: OTAElement?
    private var stack: [OTAElement] = []

    init(parser: XMLParser) { self.parser = parser }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        let element = OTAElement(name: local, attributes: attributes, line: parser.lineNumber)
        if let parent = stack.last { parent.children.append(element) } else if root == nil { root = element }
        stack.append(element)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        _ = stack.popLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
    }
}
