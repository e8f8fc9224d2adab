//! `banso build`

use std::path::{Path, PathBuf};

use super::{exit, fail, load_theme, print_diagnostics};
use crate::cli::BuildArgs;
use crate::diag::Diagnostics;
use crate::output::{self, OutputKind};
use crate::time::Instant;

/// The public output directory a preview must never write into.
pub const PUBLIC_DEFAULT: &str = "output";

pub fn run(args: &BuildArgs) -> i32 {
    let kind = if args.preview {
        OutputKind::Preview
    } else {
        OutputKind::Public
    };
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(if args.preview { "output-preview" } else { PUBLIC_DEFAULT }));
    if let Err(e) = output::check_target(&out, kind, Path::new(PUBLIC_DEFAULT)) {
        return fail(&e.into());
    }
    let as_of = args.as_of.unwrap_or_else(Instant::now);
    let mut diags = Diagnostics::new();
    let result = crate::load_registry(&args.content, &mut diags);
    print_diagnostics(&diags);
    let mut registry = match result {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    if diags.has_errors() {
        eprintln!("内容に誤りがあるため、何も書き出していません（前回の出力はそのままです）");
        return exit::INVALID;
    }
    if let Some(url) = &args.base_url {
        registry.site.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
    let written = load_theme(args.theme.as_deref())
        .and_then(|theme| crate::render_site(&registry, as_of, args.preview, &theme))
        .and_then(|plan| Ok(output::write_plan(&plan, &out, kind, Path::new(PUBLIC_DEFAULT))?));
    match written {
        Ok(w) => {
            let what = if args.preview {
                "非公開プレビュー"
            } else {
                "サイト"
            };
            eprintln!(
                "{what}を {} に書き出しました（{} ファイル、基準時刻 {}）",
                out.display(),
                w.files,
                as_of.display_ja()
            );
            exit::OK
        }
        Err(e) => fail(&e),
    }
}
