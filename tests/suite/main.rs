//! The integration tests, one binary: each module builds fixture sites into temporary
//! directories (or runs the banso binary) and checks what a reader or the secretariat sees.
//! One binary links pagefind, tera and plotters once, not once per file.

mod common;

mod across_builds;
mod build;
mod changes;
mod charts;
mod check;
mod cli;
mod data;
mod diff;
mod differential;
mod embargo;
mod embargo_property;
mod holdback;
mod hostile;
mod import;
mod import_property;
mod import_updates;
mod import_workbook;
mod incremental;
mod incremental_property;
mod minify;
mod ministries;
mod privacy;
mod programs;
mod real_content;
mod release;
mod release_sequence;
mod robustness;
mod search_shortcuts;
mod serve;
mod snapshots;
mod statements;
