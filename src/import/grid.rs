//! A roster as rows of cells, whichever file it came from: CSV/TSV text, or one sheet of an
//! Excel or OpenDocument workbook. Every cell knows where it is, so a problem points at
//! `名簿.csv:14:3` (with the line quoted) or at `名簿.xlsx 名簿!C14`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

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

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Cell {
    pub(super) text: String,
    /// The cell is covered by a merged range that starts on a row above it: it shows that
    /// range's value, but for a team's own columns it is not a new team.
    pub(super) merged_from_above: bool,
    /// The cell holds a formula error (`#DIV/0!`, `#N/A`, LibreOffice's `Err:502`, …).
    pub(super) error: Option<String>,
    /// The cell holds a formula whose result was never saved (a file written by a program
    /// that does not calculate): its value is unknown, not empty.
    pub(super) uncomputed: bool,
}

/// One sheet of a workbook as read: its cells with a value or a problem, by (row, column)
/// from A1, and its merged ranges. What the bounded reader hands back (see `workbook`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct SheetCells {
    pub(super) name: String,
    pub(super) cells: Vec<(u32, u32, Cell)>,
    pub(super) merges: Vec<Merge>,
}

/// A merged range: its first and last cell as (row, column), 0-based, inclusive.
pub(super) type Merge = ((u32, u32), (u32, u32));

/// How far from A1 a roster's cells may lie. A roster is a few hundred rows of a dozen columns;
/// a value far beyond (a stray entry at XFD1048576) is refused at its cell, rather than making
/// a grid of millions of empty cells.
pub(super) const MAX_ROWS: u32 = 100_000;
pub(super) const MAX_COLS: u32 = 256;

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
    pub(super) fn is_blank(&self) -> bool {
        self.text.is_empty() && self.error.is_none() && !self.uncomputed
    }

    pub(super) fn of_text(text: &str) -> Cell {
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

impl Grid {
    /// A sheet's cells as a grid, with every cell of a merged range showing the range's value
    /// (`file` names the workbook in problems). Only rows with a value are made, and no merge
    /// reaches past [`MAX_COLS`], so a range merged over a whole sheet costs no more than its
    /// cells with values.
    pub(super) fn of_sheet(sheet: SheetCells, file: &Arc<str>) -> Result<Grid, ImportError> {
        // Two merged ranges over one cell (a file no spreadsheet would save, but a program can
        // write): which value the cell shows is unknown, and a team could swallow the next.
        let name = |((t, l), (b, r)): Merge| {
            format!(
                "{}:{}",
                crate::diag::cell_name(&sheet.name, t + 1, l + 1),
                crate::diag::cell_name("", b + 1, r + 1).trim_start_matches('!')
            )
        };
        for (i, a) in sheet.merges.iter().enumerate() {
            if let Some(b) = sheet.merges[i + 1..].iter().find(|b| overlap(*a, **b)) {
                return Err(ImportError::OverlappingMerge(
                    file.to_string(),
                    name(*a),
                    name(*b).rsplit('!').next().unwrap_or_default().to_string(),
                ));
            }
        }
        let mut by_row: BTreeMap<u32, Vec<Cell>> = BTreeMap::new();
        for (r, c, cell) in sheet.cells {
            let row = by_row.entry(r).or_default();
            if row.len() <= c as usize {
                row.resize(c as usize + 1, Cell::default());
            }
            row[c as usize] = cell;
        }
        for &((top, left), (bottom, right)) in &sheet.merges {
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
                        ..Cell::default()
                    };
                }
            }
        }
        let rows = by_row
            .into_iter()
            .map(|(r, cells)| Row { cells, line: r + 1 })
            .filter(|r| !r.cells.iter().all(Cell::is_blank))
            .collect();
        Ok(Grid {
            rows,
            at: Origin::Sheet {
                file: Arc::clone(file),
                sheet: Arc::from(sheet.name.as_str()),
            },
        })
    }
}

/// Whether two merged ranges share a cell.
fn overlap(((t1, l1), (b1, r1)): Merge, ((t2, l2), (b2, r2)): Merge) -> bool {
    t1 <= b2 && t2 <= b1 && l1 <= r2 && l2 <= r1
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
    fn a_merged_range_shows_its_value_in_every_cell_and_says_which_rows_continue_it() {
        // B2:B4 merged (a team's 市町村名 over its three members), C2 and C3 plain cells, row 4
        // empty but for the merge; a title merged over A1:XFD1 is filled to column IV only.
        let cells = [
            (0, 0, "題"),
            (1, 1, "01.北海道森町"),
            (1, 2, "防衛省"),
            (2, 2, "総務省"),
            (3, 2, "係長級"),
        ];
        let sheet = SheetCells {
            name: "名簿".into(),
            cells: cells.iter().map(|&(r, c, t)| (r, c, Cell::of_text(t))).collect(),
            merges: vec![((1, 1), (3, 1)), ((0, 0), (0, 16_383))],
        };
        let mut grid = Grid::of_sheet(sheet, &Arc::from("r.xlsx")).unwrap();
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

    /// B6:B20 merged over B2:B7 (teams 6–12 folded into team 5): refused with both ranges.
    #[test]
    fn overlapping_merged_ranges_are_refused() {
        let sheet = SheetCells {
            name: "名簿".into(),
            cells: vec![(1, 1, Cell::of_text("05.北海道森町"))],
            merges: vec![((1, 1), (6, 1)), ((5, 1), (19, 1))],
        };
        let err = Grid::of_sheet(sheet, &Arc::from("r.xlsx")).err().unwrap();
        assert_eq!(
            err.to_string(),
            "r.xlsx の結合セル 名簿!B2:B7 と B6:B20 が重なっています。結合を解除して、セルごとに値を書いて保存し直してください"
        );
        assert!(
            !overlap(((1, 1), (6, 1)), ((7, 1), (19, 1))),
            "adjacent ranges do not overlap"
        );
    }
}
