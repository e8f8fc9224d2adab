//! `banso serve`

use super::{exit, fail};
use crate::cli::ServeArgs;
use crate::serve::{ServeConfig, serve};

pub fn run(args: &ServeArgs) -> i32 {
    let cfg = ServeConfig {
        content: args.content.clone(),
        theme: args.theme.clone(),
        port: args.port,
        as_of: args.as_of,
        preview: args.preview,
        now: crate::time::Instant::now,
    };
    match serve(cfg) {
        Ok(()) => exit::OK,
        Err(e) => fail(&e),
    }
}
