import CLibZ
import Foundation

/// Inflates one zip entry with zlib, reading exactly its packed bytes and nothing past them.
///
/// Hand-written instead of ZIPFoundation's `extract` because of what that does on Linux (0.9.20): it reads past
/// the entry's packed bytes, and when a deflate stream ends early it spins forever at full CPU (its decode loop
/// waits for `Z_STREAM_END`; weichsel/ZIPFoundation#389). A workbook cut short must end in `damagedArchive`, not
/// in a hung import. Speed is no reason for it: on the 1 000 000-row bench (784 MB of sheet XML) zlib takes
/// about 0.9 s either way, and `xlsx_read` measured the same within run-to-run noise.
///
/// One inflater serves one entry on one thread; it reads through `ZipFile`'s positioned reads, so other threads
/// may read the same file meanwhile.
final class ZipEntryInflater {
    private let file: ZipFile
    private let method: UInt16
    /// Where the next packed bytes are read, and how many are left.
    private var position: UInt64
    private var packedLeft: UInt64
    private let input: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer
    /// Heap-allocated: zlib checks that the stream it was initialised with never moves.
    private let stream: UnsafeMutablePointer<z_stream>
    private var isStreamInitialised = false

    /// Prepares to inflate `record`'s data in chunks of at most `chunkSize` bytes.
    init(_ record: ZipDirectory.Record, in file: ZipFile, chunkSize: Int) throws {
        self.file = file
        method = record.method
        guard method == 0 || method == 8 else { throw ZipReadError.unsupportedMethod(method) }
        position = try ZipDirectory.dataOffset(of: record, in: file)
        packedLeft = record.packedSize
        input = .allocate(byteCount: chunkSize, alignment: 16)
        output = .allocate(byteCount: chunkSize, alignment: 16)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard method == 8 else { return }
        guard inflateInit2_(stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ZipReadError.corrupt("zlib cannot start")
        }
        isStreamInitialised = true
    }

    deinit {
        if isStreamInitialised { inflateEnd(stream) }
        stream.deallocate()
        input.deallocate()
        output.deallocate()
    }

    /// Hands the entry's bytes to `take` chunk by chunk, in order.
    ///
    /// Throws `ZipReadError` when the data is unreadable, corrupt or ends before the deflate stream does. What
    /// `take` throws reaches the caller unchanged.
    func inflate(_ take: (UnsafeRawBufferPointer) throws -> Void) throws {
        if method == 0 {
            while packedLeft > 0 { try take(UnsafeRawBufferPointer(try refill(output))) }
            return
        }
        var result = Z_OK
        while result != Z_STREAM_END {
            if stream.pointee.avail_in == 0 {
                guard packedLeft > 0 else { throw ZipReadError.endsEarly }
                let read = try refill(input)
                stream.pointee.next_in = read.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_in = uInt(read.count)
            }
            let inputBefore = stream.pointee.avail_in
            stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            result = CLibZ.inflate(stream, Z_NO_FLUSH)
            guard result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR else {
                throw ZipReadError.corrupt(stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(result)")
            }
            let produced = output.count - Int(stream.pointee.avail_out)
            // zlib makes progress whenever it has input and room; if not, the stream is stuck.
            guard produced > 0 || stream.pointee.avail_in < inputBefore || result == Z_STREAM_END else {
                throw ZipReadError.corrupt("no progress")
            }
            if produced > 0 { try take(UnsafeRawBufferPointer(rebasing: output[..<produced])) }
        }
    }

    /// Reads the next packed bytes into `buffer` (as many as fit), returning them.
    private func refill(_ buffer: UnsafeMutableRawBufferPointer) throws -> UnsafeMutableRawBufferPointer {
        let count = Int(min(UInt64(buffer.count), packedLeft))
        let part = UnsafeMutableRawBufferPointer(rebasing: buffer[..<count])
        try file.read(into: part, at: position)
        position += UInt64(count)
        packedLeft -= UInt64(count)
        return part
    }
}
