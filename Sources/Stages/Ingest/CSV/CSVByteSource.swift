#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Reads a file in chunks into one reusable buffer, keeping the bytes not yet consumed at its front.
///
/// The buffer only grows when a single record is longer than it, so memory does not grow with the file.
final class CSVByteSource {
    let path: String
    private let descriptor: Int32
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    private var start = 0
    private var end = 0
    /// Whether the last read returned no bytes.
    private(set) var isAtEOF = false

    init(path: String, chunkSize: Int) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        buffer = .allocate(capacity: max(chunkSize, 64))
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// The bytes read but not consumed yet.
    var unconsumed: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: buffer[start..<end])
    }

    /// Marks `count` bytes at the front of `unconsumed` as used.
    func consume(_ count: Int) {
        start += count
    }

    /// Moves the unconsumed bytes to the front, doubles the buffer when they fill it, and reads more.
    func refill() throws {
        if start > 0 {
            let kept = end - start
            if kept > 0, let base = buffer.baseAddress {
                base.update(from: base + start, count: kept)
            }
            start = 0
            end = kept
        }
        if end == buffer.count { grow() }
        try readMore()
    }

    private func grow() {
        let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
        _ = larger.initialize(from: buffer[0..<end])
        buffer.deallocate()
        buffer = larger
    }

    private func readMore() throws {
        // Force unwrap: the buffer is allocated with at least 64 bytes, so it has a base address.
        let target = buffer.baseAddress! + end
        while true {
            let count = read(descriptor, target, buffer.count - end)
            if count > 0 {
                end += count
                return
            }
            if count == 0 {
                isAtEOF = true
                return
            }
            if errno != EINTR {
                throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// The first `count` bytes of a file (fewer when the file is shorter), and whether that is the whole file.
    static func head(of path: String, count: Int) throws -> (bytes: [UInt8], isWholeFile: Bool) {
        let source = try CSVByteSource(path: path, chunkSize: count + 1)
        while !source.isAtEOF && source.end <= count { try source.readMore() }
        return (Array(source.unconsumed.prefix(count)), source.end <= count)
    }

    /// Whether the whole file is strictly valid UTF-8, read chunk by chunk (the first invalid byte stops it).
    static func isValidUTF8(path: String, chunkSize: Int) throws -> Bool {
        let source = try CSVByteSource(path: path, chunkSize: chunkSize)
        while true {
            try source.refill()
            guard let valid = UTF8Validator.validPrefixLength(UnsafeRawBufferPointer(source.unconsumed)) else {
                return false
            }
            source.consume(valid)
            if source.isAtEOF { return source.start == source.end }
        }
    }
}
