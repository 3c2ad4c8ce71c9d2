internal import CXLSXWriter

/// Where a text cell sits, which picks its style.
enum TextRole { case title, header, body }

/// The number formats of typed cells.
enum NumberRole { case general, money, percent, date, dateTime, moneyTotal }

/// What `close()` needs to know about a sheet: its table range for the autofilter.
struct SheetState {
    let worksheet: UnsafeMutablePointer<lxw_worksheet>
    let name: String
    var headerRow: Int?
    var headerColumns = 0
    var lastRow = 0
    /// True once `XLSXSheetWriter.setAutofilter` has put the filter (`close()` then leaves it).
    var hasAutofilter = false
}

/// The workbook's cell formats, created once (libxlsxwriter owns and frees them with the workbook).
struct Formats {
    let title, header, money, percent, date, dateTime, moneyTotal: UnsafeMutablePointer<lxw_format>?
    let neutralisedTitle, neutralisedHeader, neutralisedBody: UnsafeMutablePointer<lxw_format>?

    init(_ workbook: UnsafeMutablePointer<lxw_workbook>) {
        func make(_ style: (UnsafeMutablePointer<lxw_format>?) -> Void) -> UnsafeMutablePointer<lxw_format>? {
            let format = workbook_add_format(workbook)
            style(format)
            return format
        }
        let titleStyle = { (f: UnsafeMutablePointer<lxw_format>?) in
            format_set_bold(f)
            format_set_font_size(f, 14)
        }
        let headerStyle = { (f: UnsafeMutablePointer<lxw_format>?) in
            format_set_bold(f)
            format_set_pattern(f, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(f, 0xD9D9D9)
        }
        let asText = { (f: UnsafeMutablePointer<lxw_format>?) in format_set_num_format(f, "@") }
        title = make(titleStyle)
        header = make(headerStyle)
        money = make { format_set_num_format($0, "#,##0.00 \"€\"") }
        percent = make { format_set_num_format($0, "0.00%") }
        date = make { format_set_num_format($0, "dd/mm/yyyy") }
        dateTime = make { format_set_num_format($0, "dd/mm/yyyy hh:mm") }
        moneyTotal = make {
            format_set_num_format($0, "#,##0.00 \"€\"")
            format_set_bold($0)
            format_set_top($0, UInt8(LXW_BORDER_THIN.rawValue))
        }
        neutralisedTitle = make {
            titleStyle($0)
            asText($0)
        }
        neutralisedHeader = make {
            headerStyle($0)
            asText($0)
        }
        neutralisedBody = make(asText)
    }

    func text(_ role: TextRole, neutralised: Bool) -> UnsafeMutablePointer<lxw_format>? {
        switch role {
        case .title: neutralised ? neutralisedTitle : title
        case .header: neutralised ? neutralisedHeader : header
        case .body: neutralised ? neutralisedBody : nil
        }
    }

    func number(_ role: NumberRole) -> UnsafeMutablePointer<lxw_format>? {
        switch role {
        case .general: nil
        case .money: money
        case .percent: percent
        case .date: date
        case .dateTime: dateTime
        case .moneyTotal: moneyTotal
        }
    }
}
