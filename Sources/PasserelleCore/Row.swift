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

    /// The row's place in its source file (column left unset).
    package var location: SourceLocation {
        get { packed.header.location }
        set {
            if !isKnownUniquelyReferenced(&packed) { packed = packed.copy() }
            packed.header.location = newValue
        }
    }

    /// How many values the row has.
    package var count: Int { packed.header.count }

    /// The value at a field's index (`.null` past the end).
    package func value(at index: Int) -> Value { index < count ? packed.value(at: index) : .null }

    /// Every value, in field order.
    package var values: [Value] { (0..<count).map(packed.value(at:)) }

    /// The same row with values added at the end.
    package func appending(_ extra: [Value]) -> Row { Row(location: location, values: values + extra) }

    package static func == (lhs: Row, rhs: Row) -> Bool {
        lhs.packed === rhs.packed || (lhs.location == rhs.location && lhs.values == rhs.values)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(location)
        hasher.combine(values)
    }
}

/// The storage of a `Row`: a header, then `count + 1` offsets (16 bits when the values take under 64 KiB,
/// else 32) into the values' bytes, then the bytes: a tag per value and its payload.
private final class PackedRow: ManagedBuffer<PackedRow.Header, UInt8> {
    struct Header {
        var location: SourceLocation
        let count: Int
        /// Whether the offsets are 32-bit.
        let wide: Bool
        /// Offsets and values, in bytes.
        let length: Int
    }

    private enum Tag: UInt8 {
        case null, text, integer, money, date, dateTime, percent, falseValue, trueValue
    }

    static func make(location: SourceLocation, values: [Value]) -> PackedRow {
        var dataLength = 0
        for value in values { dataLength += 1 + payloadLength(value) }
        let wide = dataLength > Int(UInt16.max)
        let offsetsLength = (values.count + 1) * (wide ? 4 : 2)
        let length = offsetsLength + dataLength
        let object = unsafeDowncast(
            create(minimumCapacity: length) { _ in Header(location: location, count: values.count, wide: wide, length: length) },
            to: PackedRow.self)
        object.withUnsafeMutablePointerToElements { start in
            let raw = UnsafeMutableRawPointer(start)
            let data = raw + offsetsLength
            var offset = 0
            for (i, value) in values.enumerated() {
                storeOffset(offset, at: i, in: raw, wide: wide)
                offset += write(value, to: data + offset)
            }
            storeOffset(offset, at: values.count, in: raw, wide: wide)
        }
        return object
    }

    func copy() -> PackedRow {
        let header = self.header
        let object = unsafeDowncast(PackedRow.create(minimumCapacity: header.length) { _ in header }, to: PackedRow.self)
        withUnsafeMutablePointerToElements { source in
            object.withUnsafeMutablePointerToElements { $0.update(from: source, count: header.length) }
        }
        return object
    }

    func value(at index: Int) -> Value {
        withUnsafeMutablePointers { header, start in
            let raw = UnsafeRawPointer(start)
            let wide = header.pointee.wide
            let data = raw + (header.pointee.count + 1) * (wide ? 4 : 2)
            let begin = Self.offset(at: index, in: raw, wide: wide)
            let end = Self.offset(at: index + 1, in: raw, wide: wide)
            let payload = data + begin + 1
            switch Tag(rawValue: data.load(fromByteOffset: begin, as: UInt8.self)) ?? .null {
            case .null: return .null
            case .text:
                let bytes = UnsafeBufferPointer(start: payload.assumingMemoryBound(to: UInt8.self), count: end - begin - 1)
                return .text(String(decoding: bytes, as: UTF8.self))
            case .integer: return .integer(payload.loadUnaligned(as: Int64.self))
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
        case .integer, .money, .percent, .date: 8
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
        switch value {
        case .null: return store(.null)
        case .text(var text):
            target.storeBytes(of: Tag.text.rawValue, as: UInt8.self)
            return text.withUTF8 { bytes in
                if let base = bytes.baseAddress { (target + 1).copyMemory(from: base, byteCount: bytes.count) }
                return 1 + bytes.count
            }
        case .integer(let number): return store(.integer, Int(number))
        case .money(let money): return store(.money, Int(money.cents))
        case .percent(let basisPoints): return store(.percent, Int(basisPoints))
        case .date(let date): return store(.date, date.daysSinceEpoch)
        case .dateTime(let time): return store(.dateTime, time.date.daysSinceEpoch, time.secondsOfDay)
        case .bool(let flag): return store(flag ? .trueValue : .falseValue)
        }
    }

    private static func storeOffset(_ offset: Int, at index: Int, in raw: UnsafeMutableRawPointer, wide: Bool) {
        if wide {
            raw.storeBytes(of: UInt32(offset), toByteOffset: index * 4, as: UInt32.self)
        } else {
            raw.storeBytes(of: UInt16(offset), toByteOffset: index * 2, as: UInt16.self)
        }
    }

    private static func offset(at index: Int, in raw: UnsafeRawPointer, wide: Bool) -> Int {
        wide ? Int(raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
            : Int(raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
    }
}
