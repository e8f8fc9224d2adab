//! Reading a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods) into its sheets' cells, within a stated
//! bound (SPEC §6 (e)).
//!
//! A workbook is a container of sizes it states itself: a zip entry's length, a sheet's
//! dimensions, a string table's count. A damaged or hostile file can state gigabytes in a few
//! bytes, and an allocation that fails aborts the process, which no `catch_unwind` can catch.
//! So the command line reads a workbook in a child process (banso running its hidden
//! `__read-workbook` subcommand) that lowers its own limits first: [`MEMORY_BOUND`] of memory
//! and [`CPU_BOUND`] of processor time. Beyond them the child dies and the import is refused
//! (exit 3) with what was exceeded; the importing process is never at risk. Before any reader
//! sees a zip, every entry is inflated into nothing and counted, so an entry beyond
//! [`ENTRY_BOUND`] (a zip bomb) is refused by name at once rather than read for minutes.
//!
//! The child receives the workbook's bytes on stdin (the file is read once, by the parent) and
//! writes the sheets as JSON on stdout. Library callers may read in-process instead
//! ([`WorkbookReader::InProcess`]), which has the zip check but no memory bound.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, DataRef, Ods, Reader, Sheets, Xls, Xlsb, Xlsx};
use serde::{Deserialize, Serialize};

mod child;
use child::read_in_child;
pub use child::{CHILD_COMMAND, child_main};

use super::ImportError;
use super::grid::{Cell, MAX_COLS, MAX_ROWS, Merge, SheetCells};

/// Memory a workbook reader may use (data and mappings). A roster of 300 rows reads in a few
/// megabytes; 100,000 rows of a dozen columns in well under this.
pub const MEMORY_BOUND: u64 = 512 << 20;
/// Processor time a workbook reader may use.
pub const CPU_BOUND: u64 = 60;
/// The largest zip entry (a sheet's XML, the shared strings) a workbook may hold, inflated.
pub const ENTRY_BOUND: u64 = 64 << 20;
/// All zip entries together, inflated.
const TOTAL_BOUND: u64 = 256 << 20;
/// How many entries a workbook's zip may hold.
const ENTRIES_BOUND: usize = 10_000;
/// The largest roster file read at all (a workbook or a CSV).
pub const FILE_BOUND: u64 = 64 << 20;

/// The start of an OLE compound file: .xls, or an Office file encrypted with a password.
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Does `bytes` look like a workbook rather than text?
pub(super) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&CFB_MAGIC)
}

/// Where a workbook is read.
#[derive(Clone, Debug, Default)]
pub enum WorkbookReader {
    /// In this process: the zip entries are checked, memory is not bounded (tests, tools).
    #[default]
    InProcess,
    /// In a child process running this executable's hidden `__read-workbook` subcommand, with
    /// [`MEMORY_BOUND`] and [`CPU_BOUND`] (what the command line uses).
    Child(PathBuf),
}

/// Why a workbook could not be read; what the child process sends back, turned into an
/// [`ImportError`] naming the file by the importing process.
#[derive(Debug, Serialize, Deserialize)]
enum Failure {
    Damaged(String),
    Password,
    NoSheet { wanted: String, found: String },
    TooFar(String),
    TooLarge(String),
}

impl Failure {
    fn into_error(self, path: &Path) -> ImportError {
        let path = path.to_path_buf();
        match self {
            Failure::Damaged(why) => ImportError::Workbook(path, why),
            Failure::Password => ImportError::Password(path),
            Failure::NoSheet { wanted, found } => ImportError::NoSheet(wanted, found),
            Failure::TooFar(cell) => ImportError::TooFar(path, cell),
            Failure::TooLarge(what) => ImportError::TooLarge(path, what),
        }
    }
}

/// The sheets of the workbook in `bytes`, in workbook order (only `sheet` when it is given);
/// `path` names the workbook in errors.
pub(super) fn read(
    bytes: &[u8],
    path: &Path,
    sheet: Option<&str>,
    reader: &WorkbookReader,
) -> Result<Vec<SheetCells>, ImportError> {
    match reader {
        WorkbookReader::InProcess => read_here(bytes, sheet).map_err(|f| f.into_error(path)),
        WorkbookReader::Child(exe) => read_in_child(exe, bytes, path, sheet),
    }
}

/// Read in this process. A reader's panic on a damaged file is caught (and not printed: the
/// hook is swapped while reading, which the single-threaded command line allows) and reported
/// as a damaged workbook.
fn read_here(bytes: &[u8], sheet: Option<&str>) -> Result<Vec<SheetCells>, Failure> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let read = std::panic::catch_unwind(|| {
        check_zip(bytes)?;
        read_sheets(bytes, sheet)
    });
    std::panic::set_hook(hook);
    read.unwrap_or_else(|_| {
        Err(Failure::Damaged(
            "ファイルが壊れています。表計算ソフトで開いて保存し直してください".into(),
        ))
    })
}

/// Inflate every entry of a zip (.xlsx, .xlsm, .xlsb, .ods) into nothing, counting: an entry or
/// a whole beyond the bound is refused by name before any reader builds it in memory. What the
/// entries *say* their sizes are is not trusted. A zip that cannot be opened is left to the
/// workbook reader to report.
fn check_zip(bytes: &[u8]) -> Result<(), Failure> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Ok(());
    }
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if zip.len() > ENTRIES_BOUND {
        return Err(Failure::TooLarge(format!(
            "ファイルの数（{} 個、上限 {ENTRIES_BOUND} 個）",
            zip.len()
        )));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else {
            continue;
        };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let mut sink = std::io::sink();
        let inflated = std::io::copy(&mut entry.take(ENTRY_BOUND + 1), &mut sink).unwrap_or(0);
        if inflated > ENTRY_BOUND {
            return Err(Failure::TooLarge(format!(
                "{name}（展開すると {} MB を超えます）",
                ENTRY_BOUND >> 20
            )));
        }
        total += inflated;
        if total > TOTAL_BOUND {
            return Err(Failure::TooLarge(format!(
                "中身の全体（展開すると {} MB を超えます）",
                TOTAL_BOUND >> 20
            )));
        }
    }
    Ok(())
}

fn read_sheets(bytes: &[u8], sheet: Option<&str>) -> Result<Vec<SheetCells>, Failure> {
    let failed = |e: String| Failure::Damaged(e);
    let mut book = open(bytes.to_vec())?;
    let names = book.sheet_names();
    let wanted: Vec<String> = match sheet {
        Some(name) => match names.iter().find(|n| n.as_str() == name) {
            Some(n) => vec![n.clone()],
            None => {
                return Err(Failure::NoSheet {
                    wanted: name.to_string(),
                    found: names.join("、"),
                });
            }
        },
        // Hidden sheets (last year's list kept for reference, say) are read only when named.
        None => book
            .sheets_metadata()
            .iter()
            .filter(|s| s.visible == calamine::SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect(),
    };
    let mut sheets = Vec::new();
    for name in wanted {
        // The cells with a value, by (row, column) from A1. An .xlsx sheet is read cell by cell
        // (its stated dimensions may be anything); the others as calamine's used range. A
        // formula whose result was never saved is marked, not read as an empty cell.
        let mut cells: Vec<(u32, u32, Cell)> = Vec::new();
        match &mut book {
            Sheets::Xlsx(x) => {
                let mut reader = x.worksheet_cells_reader(&name).map_err(|e| failed(e.to_string()))?;
                while let Some(cell) = reader
                    .next_cell_with_formula_metadata()
                    .map_err(|e| failed(e.to_string()))?
                {
                    let (r, c) = cell.pos;
                    let uncomputed = cell.formula.is_some() && cell.value == DataRef::Empty;
                    if uncomputed {
                        cells.push((
                            r,
                            c,
                            Cell {
                                uncomputed,
                                ..Cell::default()
                            },
                        ));
                    } else if cell.value != DataRef::Empty {
                        cells.push((r, c, cell_of(&cell.value.into())));
                    }
                }
            }
            other => {
                let range = other.worksheet_range(&name).map_err(|e| failed(e.to_string()))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                cells.extend(
                    range
                        .used_cells()
                        .map(|(r, c, v)| (r0 + r as u32, c0 + c as u32, cell_of(v))),
                );
                if let Sheets::Ods(ods) = other {
                    uncomputed_ods(ods, &name, &mut cells);
                }
            }
        }
        if let Some(&(r, c, _)) = cells.iter().find(|(r, c, _)| *r >= MAX_ROWS || *c >= MAX_COLS) {
            return Err(Failure::TooFar(crate::diag::cell_name(
                &name,
                r.saturating_add(1),
                c.saturating_add(1),
            )));
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
        sheets.push(SheetCells { name, cells, merges });
    }
    Ok(sheets)
}

/// The formula cells of an .ods sheet that have no saved value, added to `cells`.
fn uncomputed_ods(ods: &mut Ods<Cursor<Vec<u8>>>, name: &str, cells: &mut Vec<(u32, u32, Cell)>) {
    let Ok(formulas) = ods.worksheet_formula(name) else {
        return;
    };
    let (r0, c0) = formulas.start().unwrap_or((0, 0));
    for (r, c, f) in formulas.used_cells() {
        let at = (r0 + r as u32, c0 + c as u32);
        if !f.is_empty() && !cells.iter().any(|&(r, c, _)| (r, c) == at) {
            let cell = Cell {
                uncomputed: true,
                ..Cell::default()
            };
            cells.push((at.0, at.1, cell));
        }
    }
}

/// A cell's value as the roster reads it. A number typed into a cell is shown without Excel's
/// binary fraction: 41, not 41.0.
fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::default(),
        Data::String(s) => Cell::of_text(s.trim()),
        Data::Error(e) => Cell {
            error: Some(e.to_string()),
            ..Cell::default()
        },
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Cell::of_text(&format!("{}", *f as i64)),
        // A date typed into a date cell (a 離任日, a 公表日): as the content format writes it.
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                Cell::of_text(&format!("{y:04}-{mo:02}-{day:02}"))
            } else {
                Cell::of_text(&format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}"))
            }
        }
        other => Cell::of_text(other.to_string().trim()),
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
fn open(bytes: Vec<u8>) -> Result<Sheets<Cursor<Vec<u8>>>, Failure> {
    let failed = |e: String| Failure::Damaged(e);
    if bytes.starts_with(&CFB_MAGIC) {
        // An encrypted .xlsx/.xlsm is a compound file with these streams (directory entries are
        // UTF-16LE), whatever its name says.
        let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let (info, package) = (utf16("EncryptionInfo"), utf16("EncryptedPackage"));
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if has(&info) || has(&package) {
            return Err(Failure::Password);
        }
        return match Xls::new(Cursor::new(bytes)) {
            Ok(x) => Ok(Sheets::Xls(x)),
            Err(calamine::XlsError::Password) => Err(Failure::Password),
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
            Err(calamine::OdsError::Password) => Err(Failure::Password),
            Err(e) => Err(failed(e.to_string())),
        }
    } else if xlsb {
        Xlsb::new(cursor).map(Sheets::Xlsb).map_err(|e| failed(e.to_string()))
    } else {
        match Xlsx::new(cursor) {
            Ok(x) => Ok(Sheets::Xlsx(x)),
            Err(calamine::XlsxError::Password) => Err(Failure::Password),
            Err(e) => Err(failed(e.to_string())),
        }
    }
}
