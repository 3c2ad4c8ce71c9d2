import Foundation
import PasserelleCore

/// The rejections of `ingest.ota_xml`, with their French messages and fixes.
extension OTAXMLIngest {
    static func unreadable(_ error: any Error, file: String) -> Diagnostic {
        switch error {
        case OTAXMLError.doctypeRefused:
            return Diagnostic(
                rule: "ingest.ota_xml.doctype_refused", location: ChannelFeedTable.line(file, 1),
                message: "le message déclare une DTD ou des entités (<!DOCTYPE, <!ENTITY), refusées par sécurité",
                fix: "demandez au gestionnaire de canaux d'envoyer le message sans DOCTYPE")
        case OTAXMLError.malformed(let reason, let line):
            return Diagnostic(
                rule: "ingest.ota_xml.malformed", location: ChannelFeedTable.line(file, line),
                message: "XML mal formé : \(reason)", fix: "demandez au gestionnaire de canaux de renvoyer le message")
        default:
            return Diagnostic(
                rule: "ingest.ota_xml.malformed", location: ChannelFeedTable.line(file, 1), message: "message illisible : \(error)",
                fix: "vérifiez que le fichier est lisible puis relancez")
        }
    }

    static func unmapped(_ r: OTAReservation, id: String, at location: SourceLocation) -> Diagnostic {
        let property = [r.hotelCode, r.roomTypeCode].compactMap { $0 }.joined(separator: "/")
        return Diagnostic(
            rule: "ingest.ota_xml.unmapped_property", location: location,
            message: "la réservation \(id) concerne l'établissement « \(property.isEmpty ? "non précisé" : property) », "
                + "qui n'est relié à aucun hébergement",
            found: property, fix: "ajoutez « \(property): CODE-HÉBERGEMENT » à l'option 'accommodations' du pipeline")
    }

    static func missingDates(_ r: OTAReservation, id: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            rule: "ingest.ota_xml.missing_dates", location: location,
            message: "la réservation \(id) n'a pas de dates de séjour valides (TimeSpan Start/End)",
            found: [r.arrival?.description, r.departure?.description].compactMap { $0 }.joined(separator: " → "),
            fix: "demandez au gestionnaire de canaux de renvoyer la réservation avec ses dates")
    }
}

/// Lists the files of a feed: one file, or the files of a folder with an extension, in name order.
enum ChannelFeedFiles {
    static func list(_ path: String, extension ext: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [path]
        }
        return try FileManager.default.contentsOfDirectory(atPath: path)
            .filter { $0.lowercased().hasSuffix(".\(ext)") }
            .sorted()
            .map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
    }
}
