import Synchronization

/// One row flowing between stages: typed values aligned with the table's fields, and where it came from.
///
/// A row is one heap object holding its location and its values packed as bytes: a tag byte per value, then the
/// value (the UTF-8 of a text, eight bytes of an integer, money, percentage or date), behind a table of offsets.
/// Written by hand (no package packs a row of typed values): a row as `[Value]` cost 24 bytes a value plus a
/// second object for any text over 15 bytes, and its location was copied into every table sharing it. Packed, a
/// stay of the daily import takes about half the memory, and a table sharing another's rows (`new_stays` in
/// `stays`) pays 8 bytes a row.
///
/// `@unchecked Sendable`: `ManagedBuffer` cannot be `Sendable`, but a row's bytes are written once, before the row
/// exists, and its location changes only through the setter below, on an object no other row shares.
package struct Row: @unchecked Sendable, Hashable {
    private var packed: PackedRow

    package init(location: SourceLocation, values: [Value]) {
        packed = PackedRow.make(location: location, values: values)
    }

    /// A row of these values from the same place as `other` (its file and sheet are not looked up again).
    package init(values: [Value], placedAs other: Row) {
        packed = PackedRow.make(source: other.packed.header.source, line: Int(other.packed.header.line), values: values)
    }

    /// The row's place in its source file (column left unset).
    package var location: SourceLocation {
        get { packed.header.source.location(line: Int(packed.header.line)) }
        set {
            if !isKnownUniquelyReferenced(&packed) { packed = packed.copy() }
            let (source, line) = RowSource.split(newValue)
            (packed.header.source, packed.header.line) = (source, PackedRow.Header.storedLine(line))
        }
    }

    /// How many values the row has.
    package var count: Int { packed.header.count }

    /// The value at a field's index (`.null` past the end).
    package func value(at index: Int) -> Value { index < count ? packed.value(at: index) : .null }

    /// Every value, in field order.
    package var values: [Value] { (0..<count).map(packed.value(at:)) }

    /// The same row with values added at the end.
    package func appending(_ extra: [Value]) -> Row { Row(values: values + extra, placedAs: self) }

    package static func == (lhs: Row, rhs: Row) -> Bool {
        lhs.packed === rhs.packed || (lhs.location == rhs.location && lhs.values == rhs.values)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(location)
        hasher.combine(values)
    }
}

/// The storage of a `Row`: a header, then `count + 1` offsets into the values' bytes (one byte each when the
/// values take under 256 bytes, as a stay's do; else two, or four past 64 KiB), then the bytes: a tag per value
/// and its payload.
private final class PackedRow: ManagedBuffer<PackedRow.Header, UInt8> {
    /// 16 bytes: the location is its line and a reference to what the rows of one file (and sheet) share, where a
    /// whole `SourceLocation` took 72.
    struct Header {
        var source: RowSource
        /// The line, 0 when none (a line past 4 294 967 295 is kept as that).
        var line: UInt32
        /// The value count in the low 30 bits, the offsets' width (0: one byte, 1: two, 2: four) in the top two.
        let shape: UInt32

        init(source: RowSource, line: Int, count: Int, offsetWidth: Int) {
            precondition(count < 1 << 30, "a row holds fewer than 2^30 values")
            self.source = source
            self.line = Self.storedLine(line)
            shape = UInt32(count) | UInt32(offsetWidth == 1 ? 0 : offsetWidth == 2 ? 1 : 2) << 30
        }

        static func storedLine(_ line: Int) -> UInt32 { UInt32(clamping: line) }

        var count: Int { Int(shape & 0x3FFF_FFFF) }
        /// Bytes per offset: 1, 2 or 4.
        var offsetWidth: Int { 1 << Int(shape >> 30) }
        /// Bytes of the offsets, before the values.
        var offsetsLength: Int { (count + 1) * offsetWidth }
    }

    /// A number that fits in 32 bits (a date, a party size, an amount under 21 million euros) takes four bytes.
    private enum Tag: UInt8 {
        case null, text, integer, money, date, dateTime, percent, falseValue, trueValue
        case integer32, money32, percent32, date32
    }

    static func make(location: SourceLocation, values: [Value]) -> PackedRow {
        let (source, line) = RowSource.split(location)
        return make(source: source, line: line, values: values)
    }

    static func make(source: RowSource, line: Int, values: [Value]) -> PackedRow {
        var dataLength = 0
        for value in values { dataLength += 1 + payloadLength(value) }
        let width = dataLength <= Int(UInt8.max) ? 1 : dataLength <= Int(UInt16.max) ? 2 : 4
        let header = Header(source: source, line: line, count: values.count, offsetWidth: width)
        let object = unsafeDowncast(
            create(minimumCapacity: header.offsetsLength + dataLength) { _ in header }, to: PackedRow.self)
        object.withUnsafeMutablePointerToElements { start in
            let raw = UnsafeMutableRawPointer(start)
            let data = raw + header.offsetsLength
            var offset = 0
            for (i, value) in values.enumerated() {
                storeOffset(offset, at: i, in: raw, width: width)
                offset += write(value, to: data + offset)
            }
            storeOffset(offset, at: values.count, in: raw, width: width)
        }
        return object
    }

    func copy() -> PackedRow {
        let header = self.header
        let length = withUnsafeMutablePointerToElements { start in
            header.offsetsLength + Self.offset(at: header.count, in: UnsafeRawPointer(start), width: header.offsetWidth)
        }
        let object = unsafeDowncast(PackedRow.create(minimumCapacity: length) { _ in header }, to: PackedRow.self)
        withUnsafeMutablePointerToElements { source in
            object.withUnsafeMutablePointerToElements { $0.update(from: source, count: length) }
        }
        return object
    }

    func value(at index: Int) -> Value {
        withUnsafeMutablePointers { header, start in
            let raw = UnsafeRawPointer(start)
            let width = header.pointee.offsetWidth
            let data = raw + header.pointee.offsetsLength
            let begin = Self.offset(at: index, in: raw, width: width)
            let end = Self.offset(at: index + 1, in: raw, width: width)
            let payload = data + begin + 1
            switch Tag(rawValue: data.load(fromByteOffset: begin, as: UInt8.self)) ?? .null {
            case .null: return .null
            case .text:
                let bytes = UnsafeBufferPointer(start: payload.assumingMemoryBound(to: UInt8.self), count: end - begin - 1)
                return .text(String(decoding: bytes, as: UTF8.self))
            case .integer: return .integer(payload.loadUnaligned(as: Int64.self))
            case .integer32: return .integer(Int64(payload.loadUnaligned(as: Int32.self)))
            case .money32: return .money(Money(cents: Int64(payload.loadUnaligned(as: Int32.self))))
            case .percent32: return .percent(Int64(payload.loadUnaligned(as: Int32.self)))
            case .date32: return .date(CalendarDate(daysSinceEpoch: Int(payload.loadUnaligned(as: Int32.self))))
            case .money: return .money(Money(cents: payload.loadUnaligned(as: Int64.self)))
            case .date: return .date(CalendarDate(daysSinceEpoch: payload.loadUnaligned(as: Int.self)))
            case .dateTime:
                let date = CalendarDate(daysSinceEpoch: payload.loadUnaligned(as: Int.self))
                return .dateTime(LocalDateTime(date: date, secondsOfDay: payload.loadUnaligned(fromByteOffset: 8, as: Int.self)))
            case .percent: return .percent(payload.loadUnaligned(as: Int64.self))
            case .falseValue: return .bool(false)
            case .trueValue: return .bool(true)
            }
        }
    }

    private static func payloadLength(_ value: Value) -> Int {
        switch value {
        case .null, .bool: 0
        case .text(let text): text.utf8.count
        case .integer(let number), .percent(let number): Int32(exactly: number) == nil ? 8 : 4
        case .money(let money): Int32(exactly: money.cents) == nil ? 8 : 4
        case .date(let date): Int32(exactly: date.daysSinceEpoch) == nil ? 8 : 4
        case .dateTime: 16
        }
    }

    /// Writes a value's tag and payload; returns the bytes written.
    private static func write(_ value: Value, to target: UnsafeMutableRawPointer) -> Int {
        func store(_ tag: Tag, _ first: Int? = nil, _ second: Int? = nil) -> Int {
            target.storeBytes(of: tag.rawValue, as: UInt8.self)
            guard let first else { return 1 }
            (target + 1).storeBytes(of: first, as: Int.self)
            guard let second else { return 9 }
            (target + 9).storeBytes(of: second, as: Int.self)
            return 17
        }
        /// Four bytes under the short tag when the number fits, else eight under the long one.
        func store(_ short: Tag, _ long: Tag, _ number: Int) -> Int {
            guard let small = Int32(exactly: number) else { return store(long, number) }
            target.storeBytes(of: short.rawValue, as: UInt8.self)
            (target + 1).storeBytes(of: small, as: Int32.self)
            return 5
        }
        switch value {
        case .null: return store(.null)
        case .text(var text):
            target.storeBytes(of: Tag.text.rawValue, as: UInt8.self)
            return text.withUTF8 { bytes in
                if let base = bytes.baseAddress { (target + 1).copyMemory(from: base, byteCount: bytes.count) }
                return 1 + bytes.count
            }
        case .integer(let number): return store(.integer32, .integer, Int(number))
        case .money(let money): return store(.money32, .money, Int(money.cents))
        case .percent(let basisPoints): return store(.percent32, .percent, Int(basisPoints))
        case .date(let date): return store(.date32, .date, date.daysSinceEpoch)
        case .dateTime(let time): return store(.dateTime, time.date.daysSinceEpoch, time.secondsOfDay)
        case .bool(let flag): return store(flag ? .trueValue : .falseValue)
        }
    }

    private static func storeOffset(_ offset: Int, at index: Int, in raw: UnsafeMutableRawPointer, width: Int) {
        switch width {
        case 1: raw.storeBytes(of: UInt8(offset), toByteOffset: index, as: UInt8.self)
        case 2: raw.storeBytes(of: UInt16(offset), toByteOffset: index * 2, as: UInt16.self)
        default: raw.storeBytes(of: UInt32(offset), toByteOffset: index * 4, as: UInt32.self)
        }
    }

    private static func offset(at index: Int, in raw: UnsafeRawPointer, width: Int) -> Int {
        switch width {
        case 1: Int(raw.load(fromByteOffset: index, as: UInt8.self))
        case 2: Int(raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
        default: Int(raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
        }
    }
}

/// What the rows of one file (and sheet) share of their location: all but the line. Rows made one after another
/// from the same place share one object, found among the few used last, so a million rows of one sheet do not
/// each carry its file name, sheet name and column.
private final class RowSource: Sendable {
    /// The location with its line set to 0.
    let template: SourceLocation

    private init(_ template: SourceLocation) { self.template = template }

    private static let recent = Mutex<[RowSource]>([])

    /// The shared part of a location, and its line (0 when it has none).
    static func split(_ location: SourceLocation) -> (RowSource, Int) {
        let line = location.line ?? 0
        let template = location.withLine(0)
        let source = recent.withLock { recent in
            if let found = recent.first(where: { $0.template == template }) { return found }
            let made = RowSource(template)
            recent.insert(made, at: 0)
            if recent.count > 8 { recent.removeLast() }
            return made
        }
        return (source, line)
    }

    func location(line: Int) -> SourceLocation { template.withLine(line) }
}
