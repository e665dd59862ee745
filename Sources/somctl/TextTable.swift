/// Left-aligned columns separated by two spaces, for output people read rather than parse.
struct TextTable {
    let headers: [String]
    private(set) var widths: [Int]

    init(headers: [String]) {
        self.headers = headers
        self.widths = headers.map(\.count)
    }

    /// Widens the columns to fit `rows`; call before rendering the first rows so they line up.
    mutating func fit(_ rows: [[String]]) {
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
    }

    var headerLine: String { render(headers) }

    /// One row; a cell wider than its column pushes the rest right rather than being cut.
    func render(_ row: [String]) -> String {
        var line = ""
        for (column, cell) in row.enumerated() {
            if column > 0 { line += "  " }
            line += cell
            if column < row.count - 1, column < widths.count, cell.count < widths[column] {
                line += String(repeating: " ", count: widths[column] - cell.count)
            }
        }
        return line
    }
}
