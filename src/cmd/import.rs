//! `banso import teams FILE --cohort N`

use super::{exit, fail, print_diagnostics};
use crate::cli::ImportTeamsArgs;
use crate::diag::Diagnostics;
use crate::import::{Attributes, Changes, ImportError, ImportOptions, WorkbookReader, import_teams};
use crate::model::Attribute;

pub fn run_teams(args: &ImportTeamsArgs) -> i32 {
    let name = args.file.display();
    // The content is read once for the import; its Markdown stays in `cache`, so reading the
    // result back for `check` below parses only what the import wrote.
    let cache = crate::load::Cache::default();
    let (raw, reg) = match crate::load_content_and_registry(&args.content, &mut Diagnostics::new(), Some(&cache), None)
    {
        Ok(loaded) => loaded,
        Err(e) => return fail(&e),
    };
    // A workbook is read by this executable in a child process with its own bounds.
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("エラー: banso の実行ファイルの場所がわかりません: {e}");
            return exit::FAILURE;
        }
    };
    let opts = ImportOptions {
        sheet: args.sheet.clone(),
        keep_attributes: args.keep_attributes,
        complete: args.complete,
        as_of: args.as_of.unwrap_or_else(crate::time::Instant::now),
        previous: args.previous.clone(),
        reader: WorkbookReader::Child(exe),
    };
    // One import at a time on a content folder: the lock is held until its files are written.
    let _lock = match lock_content(&args.content) {
        Ok(l) => l,
        Err(e) => return fail(&e.into()),
    };
    match import_teams(&raw, &reg, &args.file, args.cohort, &opts) {
        Ok(done) => {
            eprintln!(
                "{} を取り込みました（{}）: {}チーム・{}名を {} に書きました",
                name,
                done.read_as,
                done.teams,
                done.members,
                done.teams_file.display()
            );
            match &done.previous {
                Some(p) => eprintln!(
                    "  公表済みかどうかは、前回公開したサイト {}（基準時刻 {}）で確かめました",
                    p.dir.display(),
                    p.as_of.map_or_else(|| "不明".to_string(), |t| t.display_ja())
                ),
                None => eprintln!("  前回公開したサイトがないため、この期はまだ公表していないものとして取り込みました"),
            }
            eprint!("{}", changes_summary(&done.changes));
            eprint!("{}", attributes_summary(&done.attributes));
            for m in &done.added_municipalities {
                eprintln!("  municipalities.yaml に {m} を加えました");
            }
            // Show what the imported content, as written, looks like to `check`.
            let mut diags = Diagnostics::new();
            if crate::load_content_and_registry(&args.content, &mut diags, Some(&cache), None).is_ok() {
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

/// `.<content>.banso-import-lock` beside the content folder (never inside it: the content is
/// the secretariat's), held while one import reads and rewrites the content (SPEC §1: import
/// locks the content files it rewrites).
fn lock_content(content: &std::path::Path) -> Result<std::fs::File, ImportError> {
    let abs = std::path::absolute(content).map_err(|e| ImportError::Io(content.to_path_buf(), e))?;
    let name = abs
        .file_name()
        .map_or_else(|| "content".into(), |n| n.to_string_lossy().into_owned());
    let path = abs.with_file_name(format!(".{name}.banso-import-lock"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| ImportError::Io(path.clone(), e))?;
    #[cfg(target_os = "linux")]
    rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive).map_err(|e| ImportError::Io(path, e.into()))?;
    Ok(file)
}

/// Every team and member the import added, changed, left, joined or kept.
fn changes_summary(c: &Changes) -> String {
    let mut s = String::new();
    let list = |s: &mut String, what: &str, items: &[String]| {
        if !items.is_empty() {
            s.push_str(&format!("  {what} {}:\n", items.len()));
            for i in items {
                s.push_str(&format!("    {i}\n"));
            }
        }
    };
    list(&mut s, "加えたチーム", &c.added);
    if !c.updated.is_empty() {
        s.push_str(&format!("  名簿で更新したチーム {}\n", c.updated.len()));
    }
    list(&mut s, "名簿にないため、そのまま残したチーム", &c.kept);
    list(
        &mut s,
        "名簿になく、まだ公表していないため消したチーム（--complete）",
        &c.removed,
    );
    list(&mut s, "公表済みのチームに加わる支援官", &c.joined);
    list(&mut s, "公表済みのチームから離任する支援官（記録は残ります）", &c.left);
    list(&mut s, "府省庁・役職・氏名が変わる公表済みの支援官", &c.changed);
    s
}

/// What the import did with 性別・年齢・事務官/技官, and why it matters.
fn attributes_summary(a: &Attributes) -> String {
    let mut tail = String::new();
    let counts = |attr: Attribute, counts: &[u32]| -> String {
        let parts: Vec<String> = attr
            .categories()
            .iter()
            .zip(counts)
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        parts.join("、")
    };
    for (attr, old) in &a.replaced {
        tail.push_str(&format!(
            "  {}の内訳を、cohort.yaml にあった数（{}）から名簿の数に置き換えました\n",
            label(*attr),
            counts(*attr, old)
        ));
    }
    for attr in a.held.keys() {
        tail.push_str(&format!(
            "  注意: {}の内訳は公表済みで、名簿の数との違いが最小集計人数より少ないため、公開中の数（前回公開したサイトの数）のままにしました。\n  わずかな変化を載せると、二つの版を比べて入れ替わった人の属性がわかってしまうためです（もう一度取り込めば、違いが最小集計人数に達したときに置き換わります）\n",
            label(*attr)
        ));
    }
    for attr in &a.partial {
        tail.push_str(&format!(
            "  注意: 名簿にない公表済みのチームがあるため、{}を期の人数として数えていません（cohort.yaml はそのままです）。すべてのチームのある名簿で取り込むと数えます\n",
            label(*attr)
        ));
    }
    for (attr, n) in &a.still_per_person {
        tail.push_str(&format!(
            "  注意: 名簿に{}の列がないため、元の teams.yaml にあった{}名分の{}を一人ひとりの値のまま引き継ぎました。teams.yaml に個人の属性を置かないなら、その列のある名簿で取り込み直すか、teams.yaml から消してください\n",
            label(*attr),
            n,
            label(*attr)
        ));
    }
    if a.counts.is_empty() {
        return tail;
    }
    let names: Vec<&str> = a.counts.keys().map(|x| x.name()).collect();
    let names = names.join("・");
    let mut s = if a.per_person {
        format!(
            "  {names}は --keep-attributes のとおり一人ひとりの値として teams.yaml に書きました（都道府県別の内訳に使います）。\n  サイトには人数としてだけ載りますが、teams.yaml を共有する範囲に気をつけてください\n"
        )
    } else {
        format!(
            "  {names}は期の人数（cohort.yaml の declared.breakdowns）として書き、teams.yaml には一人ひとりの値を書いていません。\n  teams.yaml はコンテンツとして広く共有されることがあるためです。サイトの期の図表は同じですが、都道府県別の内訳は作られません（必要なら --keep-attributes）\n"
        )
    };
    for (attr, n) in &a.counts {
        let unrecorded = a.unrecorded.get(attr).copied().unwrap_or(0);
        let blank = if unrecorded > 0 {
            format!("（空欄 {unrecorded}名は数えていません）")
        } else {
            String::new()
        };
        s.push_str(&format!("    {}: {}{blank}\n", label(*attr), counts(*attr, n)));
    }
    if let Some(file) = &a.cohort_file {
        let what = if a.per_person {
            "の declared.breakdowns から、これらの内訳を外しました（個人の値と二重にならないように）"
        } else {
            "に書きました"
        };
        s.push_str(&format!("  {} {what}\n", file.display()));
    }
    s + &tail
}

fn label(a: Attribute) -> &'static str {
    match a {
        Attribute::Track => "事務官・技官",
        other => other.name(),
    }
}
