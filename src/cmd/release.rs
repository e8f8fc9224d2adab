//! `banso release --at T|next`: glue around `release::run` — the clock, the countdown, and
//! what is said while waiting and at the swap.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use super::build::PUBLIC_DEFAULT;
use super::{exit, fail, print_diagnostics};
use crate::cli::{ReleaseArgs, ReleaseAt};
use crate::output::{self, Changes, OutputKind};
use crate::release::{self, Counts, Event, InPlace, Job, Outcome, Pending};
use crate::time::Instant;

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

fn next_release(args: &ReleaseArgs) -> Result<Option<Instant>, i32> {
    let registry = super::load_valid(&args.site.content)?;
    let holdback = crate::publish::publish(&registry, Instant::now(), false).holdback;
    // A placeholder instant is not a release time: publishing at it, or at anything after it,
    // would publish a cohort whose date is not decided.
    if let Some(h) = holdback.next_unconfirmed() {
        eprintln!(
            "次に公表を待つ「{}」の時刻 {} は仮の値です（{} の announce_confirmed: false）。--at next では選びません。公表の日時が決まったら cohort.yaml の announce を直して announce_confirmed の行を消すか、--at で時刻を指定してください",
            h.title,
            h.release.display_ja(),
            h.id.split('#').next().unwrap_or(&h.id)
        );
        return Err(exit::USAGE);
    }
    Ok(holdback.next_release())
}

fn counts(c: &Counts) -> String {
    format!("追加 {}・変更 {}・削除 {}", c.added, c.changed, c.removed)
}

/// The plan, counts only (names and addresses of what is still held only with `--verbose`).
fn plan_text(p: &Pending, at: Instant, verbose: bool) -> String {
    let mut s = String::new();
    s.push_str(&match p.in_place {
        InPlace::Nothing => "  今の出力: まだありません（すべてが追加になります）\n".to_string(),
        InPlace::SiteOf(t) => format!(
            "  今の出力: 基準時刻 {} のサイト（banso diff --from {} --to {} と同じ比較です）\n",
            t.display_ja(),
            t.rfc3339(),
            at.rfc3339()
        ),
        InPlace::DiffersFrom(t) => format!(
            "  今の出力: 基準時刻 {} に作ったサイトですが、今の内容で作るその時刻のサイトとは違います（その後に内容が変わったか、別の設定で作られています）。数は今の出力と比べたものです\n",
            t.display_ja()
        ),
        InPlace::Unknown => "  今の出力: 基準時刻のわからないサイトです（前の版の banso で作られています）\n".to_string(),
    });
    let q = &p.public;
    s.push_str(&format!(
        "  公表されるもの: 期 {}・チーム {}・支援官 {}名・市町村のページ {}・報告 {}・ページ {}\n",
        q.cohorts.len(),
        q.teams.len(),
        q.members,
        q.municipalities.len(),
        q.reports.len(),
        q.pages.len()
    ));
    s.push_str(&format!(
        "  ファイル: {}（banso diff と同じ数え方）\n  検索の索引: {}\n",
        counts(&p.site),
        counts(&p.search)
    ));
    if verbose {
        s.push_str(&crate::compare::public_text(q));
        for (what, pages) in [("現れるページ", &p.appear), ("なくなるページ", &p.go)] {
            if !pages.is_empty() {
                s.push_str(&format!("  {what} {}:\n", pages.len()));
                for page in pages {
                    s.push_str(&format!("    /{}\n", page.trim_end_matches("index.html")));
                }
            }
        }
    }
    s
}

/// What the swap changed, split as the plan was.
fn split(c: &Changes) -> (Counts, Counts) {
    let count = |v: &[String], search: bool| v.iter().filter(|p| p.starts_with("pagefind/") == search).count();
    let of = |search: bool| Counts {
        added: count(&c.added, search),
        changed: count(&c.changed, search),
        removed: count(&c.removed, search),
    };
    (of(false), of(true))
}

pub fn run(args: &ReleaseArgs) -> i32 {
    let at = match args.at {
        ReleaseAt::At(t) => t,
        ReleaseAt::Next => match next_release(args) {
            Ok(Some(t)) => t,
            Ok(None) => {
                eprintln!("公表待ちのものはありません（--at で時刻を指定できます）");
                return exit::USAGE;
            }
            Err(code) => return code,
        },
    };
    // Claimed before anything is read (SPEC §1 "One writer at a swap").
    let claim = match output::claim(&args.output, OutputKind::Public, Path::new(PUBLIC_DEFAULT)) {
        Ok(c) => c,
        Err(e) => return fail(&e.into()),
    };
    if let Some(parent) = release::parent_readable_by_others(&args.output) {
        eprintln!(
            "注意: 出力先の親フォルダ {} はほかの利用者も読めます。ウェブサーバーには出力先のフォルダ（{}）だけを公開し、その親フォルダは公開しないでください（準備中のサイトはその隣に置きます）",
            parent.display(),
            args.output.display()
        );
    }
    let job = Job {
        content: args.site.content.clone(),
        theme: args.site.theme.clone(),
        base_url: args.site.base_url.clone(),
        at,
    };
    let live = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut events = |e: Event| match e {
        Event::Staged(p) => eprint!(
            "{} に公表します。公表時刻のサイトを準備しました:\n{}",
            at.display_ja(),
            plan_text(p, at, args.verbose)
        ),
        Event::Restaged(p) => eprint!(
            "\r内容が変わったため、公表時刻のサイトを作り直しました:\n{}",
            plan_text(p, at, args.verbose)
        ),
        Event::Invalid { problems, kept } => {
            eprintln!();
            print_diagnostics(problems);
            eprintln!(
                "{}",
                if kept {
                    "内容に誤りがあります。直前に準備したサイトを残して待ちます。公表時刻までに直れば作り直し、直らなければ公表しません"
                } else {
                    "内容に誤りがあります。直るのを待ちます。公表時刻までに直らなければ公表しません"
                }
            );
        }
        Event::Waiting(left) if live => {
            let s = left.ceil() as u64;
            eprint!("\r公表まで {:02}:{:02}:{:02} ", s / 3600, s / 60 % 60, s % 60);
        }
        Event::Waiting(_) => {}
    };
    match release::run(&job, &claim, &unix_now, &mut events) {
        Ok(Outcome::Released(done)) => {
            let (written, _) = *done;
            if live {
                eprintln!();
            }
            let (site, search) = split(&written.changes);
            if site == Counts::default() && search == Counts::default() {
                eprintln!(
                    "{} になりました。公表で変わるものはなかったため、出力の中身はそのままです",
                    at.display_ja()
                );
            } else {
                eprintln!(
                    "{} に公表しました：ファイル {}（検索の索引 {}）",
                    at.display_ja(),
                    counts(&site),
                    counts(&search)
                );
            }
            exit::OK
        }
        Ok(Outcome::Invalid) => {
            eprintln!("\n内容に誤りがあるため、公表しません（今の出力はそのままです）");
            exit::INVALID
        }
        Err(e) => fail(&e),
    }
}
