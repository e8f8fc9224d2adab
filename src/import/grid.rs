//! A roster as rows of cells, whichever file it came from: CSV/TSV text, or one sheet of an
//! Excel or OpenDocument workbook. Every cell knows where it is, so a problem points at
//! `名簿.csv:14:3` (with the line quoted) or at `名簿.xlsx 名簿!C14`.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use calamine::{Data, Ods, Reader, Sheets, Xls, Xlsb, Xlsx};

use super::ImportError;
use crate::diag::{Diagnostics, Pos, Span};

/// The rows of a roster, in file order, with blank rows left out.
pub(super) struct Grid {
    pub(super) rows: Vec<Row>,
    at: Origin,
}

pub(super) struct Row {
    /// Cells by column (0-based from column A, or from the line's start).
    pub(super) cells: Vec<Cell>,
    /// The line of the file, or the row of the sheet (1-based).
    pub(super) line: u32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Cell {
    pub(super) text: String,
    /// The cell is covered by a merged range that starts on a row above it: it shows that
    /// range's value, but for a team's own columns it is not a new team.
    pub(super) merged_from_above: bool,
    /// The cell holds a formula error (`#DIV/0!`, `#N/A`, LibreOffice's `Err:502`, …).
    pub(super) error: Option<String>,
}

/// Where the rows came from, to point at a cell.
enum Origin {
    Text {
        file: Arc<str>,
        text: Arc<str>,
        /// Where each line of `text` lies (byte range), found once.
        lines: Vec<std::ops::Range<usize>>,
        delimiter: char,
    },
    Sheet {
        file: Arc<str>,
        sheet: Arc<str>,
    },
}

impl Grid {
    /// The place of column `col` of `row` for a problem.
    pub(super) fn at(&self, row: &Row, col: usize) -> Span {
        match &self.at {
            Origin::Text {
                file,
                text,
                lines,
                delimiter,
            } => {
                let line = lines
                    .get(row.line.saturating_sub(1) as usize)
                    .map_or("", |r| &text[r.clone()]);
                Span::new(file, cell_pos(line, row.line, col, *delimiter))
            }
            Origin::Sheet { file, sheet } => Span::cell(file, sheet, row.line, col as u32 + 1),
        }
    }

    /// An empty list of problems that can quote this roster's lines.
    pub(super) fn problems(&self) -> Diagnostics {
        let mut problems = Diagnostics::new();
        if let Origin::Text { file, text, .. } = &self.at {
            problems.add_source(file, text);
        }
        problems
    }

    /// The sheet the rows are from (`None` for text).
    pub(super) fn sheet(&self) -> Option<&str> {
        match &self.at {
            Origin::Sheet { sheet, .. } => Some(sheet),
            Origin::Text { .. } => None,
        }
    }

    /// CSV or TSV (whichever of `,` and tab the first lines hold more of), quotes honoured.
    pub(super) fn from_text(text: &str, file: &Arc<str>) -> Result<Grid, ImportError> {
        let head: String = text.lines().take(5).collect();
        let delimiter = if head.matches('\t').count() > head.matches(',').count() {
            b'\t'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| ImportError::Csv(format!("{} 行目: {e}", i + 1)))?;
            let line = record.position().map_or(i as u32 + 1, |p| p.line() as u32);
            let cells: Vec<Cell> = record.iter().map(|c| Cell::of_text(c.trim())).collect();
            if !cells.iter().all(Cell::is_blank) {
                rows.push(Row { cells, line });
            }
        }
        let start = text.as_ptr() as usize;
        let lines = text
            .lines()
            .map(|l| {
                let from = l.as_ptr() as usize - start;
                from..from + l.len()
            })
            .collect();
        Ok(Grid {
            rows,
            at: Origin::Text {
                file: Arc::clone(file),
                text: Arc::from(text),
                lines,
                delimiter: char::from(delimiter),
            },
        })
    }
}

impl Cell {
    /// Neither a value nor a formula error.
    fn is_blank(&self) -> bool {
        self.text.is_empty() && self.error.is_none()
    }

    fn of_text(text: &str) -> Cell {
        match is_error_value(text) {
            true => Cell {
                error: Some(text.to_string()),
                ..Cell::default()
            },
            false => Cell {
                text: text.to_string(),
                ..Cell::default()
            },
        }
    }

    fn of_data(d: &Data) -> Cell {
        match d {
            Data::Empty => Cell::default(),
            Data::String(s) => Cell::of_text(s.trim()),
            Data::Error(e) => Cell {
                error: Some(e.to_string()),
                ..Cell::default()
            },
            // A number typed into a cell is shown without Excel's binary fraction: 41, not 41.0.
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Cell::of_text(&format!("{}", *f as i64)),
            other => Cell::of_text(other.to_string().trim()),
        }
    }
}

/// What a spreadsheet shows for a formula that failed, as Excel and LibreOffice write it into a
/// cell, a CSV export or an ODS file.
fn is_error_value(text: &str) -> bool {
    const EXCEL: [&str; 8] = [
        "#DIV/0!",
        "#N/A",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#REF!",
        "#VALUE!",
        "#GETTING_DATA",
    ];
    let libreoffice = text
        .strip_prefix("Err:")
        .is_some_and(|n| n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()));
    EXCEL.contains(&text) || libreoffice
}

/// The place of cell `column` on `raw_line` (line `line`), its surrounding spaces left out
/// (column 1-based, in characters); the line's start when the line has no such cell. A cell is
/// placed by its quotes, so a quoted delimiter does not shift the columns.
fn cell_pos(raw_line: &str, line: u32, column: usize, delimiter: char) -> Pos {
    let Some(&(start, len)) = cells_of(raw_line, delimiter).get(column) else {
        return Pos::new(line, 1, 0);
    };
    let cell: String = raw_line.chars().skip(start as usize).take(len as usize).collect();
    let lead = cell.chars().take_while(|c| c.is_whitespace()).count() as u32;
    Pos::new(line, start + lead + 1, cell.trim().chars().count() as u32)
}

/// Where each cell of a line starts and how long it is, in characters (quotes included).
fn cells_of(line: &str, delimiter: char) -> Vec<(u32, u32)> {
    let mut cells = Vec::new();
    let (mut start, mut n, mut quoted) = (0u32, 0u32, false);
    for ch in line.chars() {
        if ch == '"' {
            quoted = !quoted;
        } else if ch == delimiter && !quoted {
            cells.push((start, n - start));
            start = n + 1;
        }
        n += 1;
    }
    cells.push((start, n - start));
    cells
}

/// A merged range: its first and last cell as (row, column), 0-based, inclusive.
type Merge = ((u32, u32), (u32, u32));

/// The start of an OLE compound file: .xls, or an Office file encrypted with a password.
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Does `bytes` look like a workbook rather than text?
pub(super) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&CFB_MAGIC)
}

/// The sheets of the workbook in `bytes` as grids, in workbook order (only `sheet` when it is
/// given); `path` names the workbook in errors, `file` in problems.
pub(super) fn sheets(
    bytes: &[u8],
    path: &Path,
    file: &Arc<str>,
    sheet: Option<&str>,
) -> Result<Vec<Grid>, ImportError> {
    // A damaged file must be refused, not crash the import: a reader's panic is caught (and not
    // printed; this is a single-threaded command) and reported as an unreadable workbook.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let read = std::panic::catch_unwind(|| read_sheets(bytes, path, file, sheet));
    std::panic::set_hook(hook);
    read.unwrap_or_else(|_| {
        Err(ImportError::Workbook(
            path.to_path_buf(),
            "ファイルが壊れています。表計算ソフトで開いて保存し直してください".into(),
        ))
    })
}

/// How far from A1 a roster's cells may lie. A roster is a few hundred rows of a dozen columns;
/// a value far beyond (a stray entry at XFD1048576) is refused at its cell, rather than making
/// a grid of millions of empty cells.
const MAX_ROWS: u32 = 100_000;
const MAX_COLS: u32 = 256;

fn read_sheets(bytes: &[u8], path: &Path, file: &Arc<str>, sheet: Option<&str>) -> Result<Vec<Grid>, ImportError> {
    let failed = |e: String| ImportError::Workbook(path.to_path_buf(), e);
    let mut book = open(bytes.to_vec(), path)?;
    let names = book.sheet_names();
    let wanted: Vec<String> = match sheet {
        Some(name) => match names.iter().find(|n| n.as_str() == name) {
            Some(n) => vec![n.clone()],
            None => return Err(ImportError::NoSheet(name.to_string(), names.join("、"))),
        },
        // Hidden sheets (last year's list kept for reference, say) are read only when named.
        None => book
            .sheets_metadata()
            .iter()
            .filter(|s| s.visible == calamine::SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect(),
    };
    let mut grids = Vec::new();
    for name in wanted {
        // The cells with values, by (row, column) from A1. An .xlsx sheet is read cell by cell
        // (its stated dimensions may be anything); the others as calamine's used range.
        let mut cells: Vec<(u32, u32, Data)> = Vec::new();
        match &mut book {
            Sheets::Xlsx(x) => {
                let mut reader = x.worksheet_cells_reader(&name).map_err(|e| failed(e.to_string()))?;
                while let Some(cell) = reader.next_cell().map_err(|e| failed(e.to_string()))? {
                    let (r, c) = cell.get_position();
                    let value: Data = cell.get_value().clone().into();
                    if value != Data::Empty {
                        cells.push((r, c, value));
                    }
                }
            }
            other => {
                let range = other.worksheet_range(&name).map_err(|e| failed(e.to_string()))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                cells.extend(
                    range
                        .used_cells()
                        .map(|(r, c, v)| (r0 + r as u32, c0 + c as u32, v.clone())),
                );
            }
        }
        if let Some(&(r, c, _)) = cells.iter().find(|(r, c, _)| *r >= MAX_ROWS || *c >= MAX_COLS) {
            return Err(ImportError::TooFar(
                path.to_path_buf(),
                crate::diag::cell_name(&name, r.saturating_add(1), c.saturating_add(1)),
            ));
        }
        let merges = match &mut book {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).ok(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).ok(),
            Sheets::Ods(_) | Sheets::Xlsb(_) => None,
        }
        .unwrap_or_default();
        let mut merges: Vec<Merge> = merges.iter().map(|d| (d.start, d.end)).collect();
        if matches!(book, Sheets::Ods(_)) {
            merges = ods_merges(bytes, &name);
        }
        grids.push(grid_of(cells, &merges, file, &name));
    }
    Ok(grids)
}

/// A sheet's cells (row, column, value; from A1) as a grid, with every cell of a merged range
/// showing the range's value. Only rows with a value are made, and no merge reaches past
/// [`MAX_COLS`], so a range merged over a whole sheet costs no more than its cells with values.
fn grid_of(cells: Vec<(u32, u32, Data)>, merges: &[Merge], file: &Arc<str>, sheet: &str) -> Grid {
    let mut by_row: BTreeMap<u32, Vec<Cell>> = BTreeMap::new();
    for (r, c, v) in cells {
        let row = by_row.entry(r).or_default();
        if row.len() <= c as usize {
            row.resize(c as usize + 1, Cell::default());
        }
        row[c as usize] = Cell::of_data(&v);
    }
    for &((top, left), (bottom, right)) in merges {
        let right = right.min(MAX_COLS - 1);
        let value = by_row
            .get(&top)
            .and_then(|r| r.get(left as usize))
            .map(|c| c.text.clone())
            .unwrap_or_default();
        for (&r, row) in by_row.range_mut(top..=bottom.max(top)) {
            for c in left..=right {
                if (r, c) == (top, left) {
                    continue;
                }
                let c = c as usize;
                if row.len() <= c {
                    row.resize(c + 1, Cell::default());
                }
                row[c] = Cell {
                    text: value.clone(),
                    merged_from_above: r > top,
                    error: None,
                };
            }
        }
    }
    let rows = by_row
        .into_iter()
        .map(|(r, cells)| Row { cells, line: r + 1 })
        .filter(|r| !r.cells.iter().all(Cell::is_blank))
        .collect();
    Grid {
        rows,
        at: Origin::Sheet {
            file: Arc::clone(file),
            sheet: Arc::from(sheet),
        },
    }
}

/// The merged ranges of sheet `sheet` of an .ods file (calamine reads their values but not
/// their extent): each `table:table-cell` spanning rows or columns, placed by counting rows
/// and cells, repeated ones included. An unreadable file gives none (calamine has already read
/// it, so this does not happen in practice; the cells then read as unmerged).
fn ods_merges(bytes: &[u8], sheet: &str) -> Vec<Merge> {
    use quick_xml::events::{BytesStart, Event};
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut xml = String::new();
    let read = zip
        .by_name("content.xml")
        .map(|mut f| std::io::Read::read_to_string(&mut f, &mut xml));
    if !matches!(read, Ok(Ok(_))) {
        return Vec::new();
    }
    let number = |e: &BytesStart, attr: &str| -> u32 {
        e.try_get_attribute(attr)
            .ok()
            .flatten()
            .and_then(|a| a.value.parse().ok())
            .unwrap_or(1)
            .max(1)
    };
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut inside, mut row, mut col, mut rows_here) = (false, 0u32, 0u32, 1u32);
    let mut merges = Vec::new();
    loop {
        let (e, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                match e.name().as_ref() {
                    "table:table" if inside => break,
                    "table:table-row" if inside => row = row.saturating_add(rows_here),
                    _ => {}
                }
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        match e.name().as_ref() {
            "table:table" => {
                let name = e
                    .try_get_attribute("table:name")
                    .ok()
                    .flatten()
                    .and_then(|a| quick_xml::escape::unescape(&a.value).ok().map(|s| s.into_owned()));
                inside = name.as_deref() == Some(sheet);
                row = 0;
            }
            "table:table-row" if inside => {
                col = 0;
                rows_here = number(&e, "table:number-rows-repeated");
                if empty {
                    row = row.saturating_add(rows_here);
                }
            }
            name @ ("table:table-cell" | "table:covered-table-cell") if inside => {
                if name == "table:table-cell" {
                    let (across, down) = (
                        number(&e, "table:number-columns-spanned"),
                        number(&e, "table:number-rows-spanned"),
                    );
                    if across > 1 || down > 1 {
                        merges.push((
                            (row, col),
                            (row.saturating_add(down - 1), col.saturating_add(across - 1)),
                        ));
                    }
                }
                col = col.saturating_add(number(&e, "table:number-columns-repeated"));
            }
            _ => {}
        }
    }
    merges
}

/// Open the workbook by what its bytes are, not by its name: a zip is .xlsx/.xlsm (or .xlsb,
/// or .ods by its `mimetype`), a compound file is .xls unless it is an encrypted Office file.
fn open(bytes: Vec<u8>, path: &Path) -> Result<Sheets<Cursor<Vec<u8>>>, ImportError> {
    let failed = |e: String| ImportError::Workbook(path.to_path_buf(), e);
    let locked = || ImportError::Password(path.to_path_buf());
    if bytes.starts_with(&CFB_MAGIC) {
        // An encrypted .xlsx/.xlsm is a compound file with these streams (directory entries are
        // UTF-16LE), whatever its name says.
        let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let (info, package) = (utf16("EncryptionInfo"), utf16("EncryptedPackage"));
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if has(&info) || has(&package) {
            return Err(locked());
        }
        return match Xls::new(Cursor::new(bytes)) {
            Ok(x) => Ok(Sheets::Xls(x)),
            Err(calamine::XlsError::Password) => Err(locked()),
            Err(e) => Err(failed(e.to_string())),
        };
    }
    let head = &bytes[..bytes.len().min(256)];
    let ods = head
        .windows(b"opendocument.spreadsheet".len())
        .any(|w| w == b"opendocument.spreadsheet");
    let xlsb = bytes.windows(b"xl/workbook.bin".len()).any(|w| w == b"xl/workbook.bin");
    let cursor = Cursor::new(bytes);
    if ods {
        match Ods::new(cursor) {
            Ok(o) => Ok(Sheets::Ods(o)),
            Err(calamine::OdsError::Password) => Err(locked()),
            Err(e) => Err(failed(e.to_string())),
        }
    } else if xlsb {
        Xlsb::new(cursor).map(Sheets::Xlsb).map_err(|e| failed(e.to_string()))
    } else {
        match Xlsx::new(cursor) {
            Ok(x) => Ok(Sheets::Xlsx(x)),
            Err(calamine::XlsxError::Password) => Err(locked()),
            Err(e) => Err(failed(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_errors_are_known_by_what_the_cell_shows() {
        for e in ["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "Err:502"] {
            assert!(is_error_value(e), "{e}");
        }
        for ok in ["", "N/A", "#1", "Err:5", "Err:50x", "総務省"] {
            assert!(!is_error_value(ok), "{ok}");
        }
    }

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(Cell::of_data(&Data::Float(41.0)).text, "41");
        assert_eq!(Cell::of_data(&Data::Int(7)).text, "7");
        assert_eq!(Cell::of_data(&Data::Float(41.5)).text, "41.5");
        assert_eq!(Cell::of_data(&Data::String(" 総務省 ".into())).text, "総務省");
        let e = Cell::of_data(&Data::Error(calamine::CellErrorType::Div0));
        assert_eq!((e.text.as_str(), e.error.as_deref()), ("", Some("#DIV/0!")));
    }

    #[test]
    fn a_merged_range_shows_its_value_in_every_cell_and_says_which_rows_continue_it() {
        // B2:B4 merged (a team's 市町村名 over its three members), C2 and C3 plain cells, row 4
        // empty but for the merge; a title merged over A1:XFD1 is filled to column IV only.
        let cells = vec![
            (0, 0, Data::String("題".into())),
            (1, 1, Data::String("01.北海道森町".into())),
            (1, 2, Data::String("防衛省".into())),
            (2, 2, Data::String("総務省".into())),
            (3, 2, Data::String("係長級".into())),
        ];
        let merges = [((1, 1), (3, 1)), ((0, 0), (0, 16_383))];
        let mut grid = grid_of(cells, &merges, &Arc::from("r.xlsx"), "名簿");
        let title = grid.rows.remove(0);
        assert_eq!((title.line, title.cells.len()), (1, MAX_COLS as usize));
        assert_eq!(title.cells[255].text, "題");
        let place: Vec<(u32, &str, bool)> = grid
            .rows
            .iter()
            .map(|r| (r.line, r.cells[1].text.as_str(), r.cells[1].merged_from_above))
            .collect();
        assert_eq!(
            place,
            [
                (2, "01.北海道森町", false),
                (3, "01.北海道森町", true),
                (4, "01.北海道森町", true)
            ]
        );
        assert_eq!(grid.rows[0].cells[0], Cell::default(), "column A is padding");
        assert_eq!(grid.at(&grid.rows[1], 2).to_string(), "r.xlsx 名簿!C3");
    }
}
