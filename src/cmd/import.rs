//! `banso import teams FILE --cohort N`

use super::{exit, fail, print_diagnostics};
use crate::cli::ImportTeamsArgs;
use crate::diag::Diagnostics;
use crate::import::{ImportError, import_teams};

pub fn run_teams(args: &ImportTeamsArgs) -> i32 {
    let name = args.file.display();
    // The content is read once for the import; its Markdown stays in `cache`, so reading the
    // result back for `check` below parses only what the import wrote.
    let cache = crate::load::Cache::default();
    let (raw, reg) = match crate::load_content_and_registry(&args.content, &mut Diagnostics::new(), Some(&cache)) {
        Ok(loaded) => loaded,
        Err(e) => return fail(&e),
    };
    match import_teams(&raw, &reg, &args.file, args.cohort) {
        Ok(done) => {
            eprintln!(
                "{} を取り込みました（{}）: {}チーム・{}名を {} に書きました",
                name,
                done.encoding,
                done.teams,
                done.members,
                done.teams_file.display()
            );
            if done.kept > 0 {
                eprintln!(
                    "  {}チームは、名簿にない項目（継続、課題分野、氏名など）を元の teams.yaml から引き継ぎました",
                    done.kept
                );
            }
            for m in &done.added_municipalities {
                eprintln!("  municipalities.yaml に {m} を加えました");
            }
            // Show what the imported content, as written, looks like to `check`.
            let mut diags = Diagnostics::new();
            if crate::load_registry_with(&args.content, &mut diags, Some(&cache)).is_ok() {
                print_diagnostics(&diags);
            }
            if diags.has_errors() { exit::INVALID } else { exit::OK }
        }
        Err(crate::Error::Import(ImportError::Rows(problems))) => {
            print_diagnostics(&problems);
            eprintln!(
                "名簿の {} 件の問題を直してから、もう一度取り込んでください（何も書き込んでいません）",
                problems.error_count()
            );
            exit::INVALID
        }
        Err(e) => fail(&e),
    }
}
