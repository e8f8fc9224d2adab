//! `banso holdback`: what is held back at the as-of, and when the next release is.

use super::exit;
use crate::cli::{Format, HoldbackArgs};
use crate::publish::holdback::HoldbackReport;
use crate::time::Instant;

pub fn run(args: &HoldbackArgs) -> i32 {
    let as_of = args.as_of.unwrap_or_else(Instant::now);
    let registry = match super::load_valid(&args.content) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let holdback = crate::publish::publish(&registry, as_of, false).holdback;
    let report = HoldbackReport::new(as_of, &holdback.held);
    match args.format {
        Format::Text => print!("{}", report.text()),
        Format::Json => return super::print_json(&report),
    }
    exit::OK
}
