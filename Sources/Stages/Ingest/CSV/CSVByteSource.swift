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
    /// The offset in the file of the first unconsumed byte.
    private(set) var offset: Int
    /// Whether the last read returned no bytes.
    private(set) var isAtEOF = false

    /// Opens `path` to read it from byte `offset` on.
    init(path: String, chunkSize: Int, offset: Int = 0) throws {
        self.path = path
        self.offset = offset
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        if offset > 0 && lseek(descriptor, off_t(offset), SEEK_SET) < 0 {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw CSVError.unreadable(file: path, reason: reason)
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
        offset += count
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

    /// The size of the file in bytes.
    func fileSize() throws -> Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        return Int(status.st_size)
    }

    /// The first `count` bytes of a file (fewer when the file is shorter), and whether that is the whole file.
    static func head(of path: String, count: Int) throws -> (bytes: [UInt8], isWholeFile: Bool) {
        let source = try CSVByteSource(path: path, chunkSize: count + 1)
        while !source.isAtEOF && source.end <= count { try source.readMore() }
        return (Array(source.unconsumed.prefix(count)), source.end <= count)
    }

    /// Reads the bytes of `range` chunk by chunk, handing `body` each chunk and the byte after it in the file (nil at
    /// the end of the file); stops early when `body` returns false.
    static func forEachChunk(
        path: String, range: Range<Int>, chunkSize: Int,
        _ body: (_ bytes: UnsafeRawBufferPointer, _ next: UInt8?) throws -> Bool
    ) throws {
        let source = try CSVByteSource(path: path, chunkSize: chunkSize + 1)
        var position = range.lowerBound
        while position < range.upperBound {
            let wanted = min(chunkSize, range.upperBound - position)
            let count = try source.readAll(wanted + 1, at: position)
            let chunk = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: source.buffer[0..<min(count, wanted)]))
            guard try body(chunk, count > wanted ? source.buffer[wanted] : nil), count > wanted else { return }
            position += wanted
        }
    }

    /// Reads up to `count` bytes at `offset` into the front of the buffer (fewer only at the end of the file).
    private func readAll(_ count: Int, at offset: Int) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }  // allocated with at least 64 bytes: never nil
        var total = 0
        while total < count {
            let read = pread(descriptor, base + total, count - total, off_t(offset + total))
            if read > 0 {
                total += read
            } else if read == 0 {
                break
            } else if errno != EINTR {
                throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
            }
        }
        return total
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
