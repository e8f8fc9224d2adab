//! Helpers for integration tests: copy a fixture into a temp dir, run banso, read what a
//! reader would see.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use scraper::{Html, Selector};

pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A scratch directory holding a copy of a content folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A copy of tests/fixtures/<name>/content.
    pub fn fixture(name: &str) -> Site {
        Self::copy_of(&Path::new(REPO).join("tests/fixtures").join(name).join("content"))
    }

    /// A copy of the repository's real content/.
    pub fn real() -> Site {
        Self::copy_of(&Path::new(REPO).join("content"))
    }

    fn copy_of(src: &Path) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(src, &dir.path().join("content"));
        Site { dir }
    }

    pub fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.content().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// `banso build` into `out` (instead of `out/`) with environment variables.
    pub fn build_into(&self, out: &Path, as_of: &str, env: &[(&str, &str)]) -> Output {
        self.build_into_with(out, as_of, &[], env)
    }

    /// [`Site::build_into`] with extra arguments.
    pub fn build_into_with(&self, out: &Path, as_of: &str, extra: &[&str], env: &[(&str, &str)]) -> Output {
        let content = self.content();
        let mut args = vec![
            "build",
            "--content",
            content.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--as-of",
            as_of,
        ];
        args.extend(extra);
        banso_env(self.dir.path(), &args, env)
    }

    /// Replace the first occurrence of `old` in a content file; returns the 1-based line.
    pub fn replace(&self, rel: &str, old: &str, new: &str) -> usize {
        let text = self.read(rel);
        let at = text.find(old).unwrap_or_else(|| panic!("{old:?} not in {rel}"));
        let line = text[..at].matches('\n').count() + 1;
        self.write(rel, &text.replacen(old, new, 1));
        line
    }

    /// `banso <args>` run in the scratch dir with NO_COLOR and without TZ surprises.
    pub fn banso(&self, args: &[&str]) -> Output {
        banso_in(self.dir.path(), args)
    }

    pub fn build(&self, as_of: &str) -> Output {
        self.build_with(as_of, &[])
    }

    /// `banso build` into `out/` with extra arguments.
    pub fn build_with(&self, as_of: &str, extra: &[&str]) -> Output {
        let (out, content) = (self.out(), self.content());
        let mut args = vec![
            "build",
            "--content",
            content.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ];
        args.extend(["--as-of", as_of]);
        args.extend(extra);
        self.banso(&args)
    }

    /// `banso holdback` of this content at `as_of`, with `extra` arguments (`--format json`).
    pub fn holdback(&self, as_of: &str, extra: &[&str]) -> Output {
        let content = self.content();
        let mut args = vec!["holdback", "--content", content.to_str().unwrap(), "--as-of", as_of];
        args.extend(extra);
        self.banso(&args)
    }

    pub fn check(&self, as_of: &str) -> Output {
        let content = self.content();
        self.banso(&["check", "--content", content.to_str().unwrap(), "--as-of", as_of])
    }

    /// A built page's HTML.
    pub fn page(&self, rel: &str) -> Page {
        let p = self.out().join(rel);
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        Page {
            html: Html::parse_document(&text),
            source: text,
        }
    }

    pub fn output_file(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// An output file as text.
    pub fn output_text(&self, rel: &str) -> String {
        String::from_utf8(self.output_file(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Every output file, path → bytes.
    pub fn output_tree(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.out())
    }
}

pub fn banso_in(cwd: &Path, args: &[&str]) -> Output {
    banso_env(cwd, args, &[])
}

/// `banso <args>` in `cwd` with extra environment variables (e.g. `TZ`).
pub fn banso_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = assert_cmd::Command::cargo_bin("banso").unwrap();
    // The tests' search-index caches in one scratch folder, not the user's ~/.cache (each
    // output has its own cache in it; those of removed outputs go after an hour).
    cmd.current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("TZ")
        .env("BANSO_CACHE_DIR", std::env::temp_dir().join("banso-test-cache"))
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// path (relative, `/`) → bytes of every file under `root`.
pub fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !root.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// Two output trees compared directly, banso's marker aside: (added, changed, removed) paths.
pub fn tree_changes(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> [Vec<String>; 3] {
    let skip = |k: &String| k != ".banso-output";
    [
        b.keys().filter(|k| skip(k) && !a.contains_key(*k)).cloned().collect(),
        b.iter()
            .filter(|(k, v)| skip(k) && a.get(*k).is_some_and(|old| old != *v))
            .map(|(k, _)| k.clone())
            .collect(),
        a.keys().filter(|k| skip(k) && !b.contains_key(*k)).cloned().collect(),
    ]
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Assert success and return stderr.
pub fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstderr:\n{}\nstdout:\n{}",
        o.status.code(),
        stderr(o),
        stdout(o)
    );
    stderr(o)
}

/// A parsed HTML page.
pub struct Page {
    pub html: Html,
    pub source: String,
}

impl Page {
    /// Visible text of every element matching `css`, whitespace collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.html
            .select(&sel)
            .map(|e| {
                e.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        self.texts(css).join(" ")
    }

    pub fn count(&self, css: &str) -> usize {
        self.html.select(&Selector::parse(css).unwrap()).count()
    }

    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.html
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    /// All visible text of `<main>`.
    pub fn main_text(&self) -> String {
        self.text("main")
    }
}

/// The bytes of a file as a reader of it would see them: gzip members (Pagefind's index) are
/// unpacked and appended, so a scan for a word finds it inside compressed files too.
pub fn readable(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut inner = Vec::new();
        // A file that starts like gzip but does not decode would be scanned compressed, and
        // every "no trace" check would pass on it: fail instead.
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(bytes), &mut inner)
            .unwrap_or_else(|e| panic!("a gzip file that does not decode: {e}"));
        out.push(b'\n');
        out.extend(inner);
    }
    out
}

/// Every record of `reg` is either published at the as-of or listed as held (itself, or with
/// the team or cohort it belongs to), never both and never neither; every held item's release
/// is after the as-of, each is listed once, and the list is sorted (SPEC §1 `holdback`).
pub fn assert_published_and_held_cover_the_registry(reg: &banso::model::Registry, release: &banso::publish::Release) {
    use banso::publish::HeldKind;
    let (p, h) = (&release.published, &release.holdback);
    let as_of = p.as_of;
    let held = |kind: HeldKind, id: &str| h.held.iter().any(|x| x.kind == kind && x.id == id);
    let mut ids: Vec<(HeldKind, &str)> = h.held.iter().map(|x| (x.kind, x.id.as_str())).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), h.held.len(), "each held item once: {:?}", h.held);
    for x in &h.held {
        assert!(x.release > as_of, "{x:?} is released at {as_of:?}");
    }
    assert!(
        h.held.windows(2).all(|w| w[0].release <= w[1].release),
        "sorted by release"
    );
    let cohort_held = |no: banso::model::CohortNo| held(HeldKind::Cohort, &format!("cohorts/{}/cohort.yaml", no.0));
    for c in &reg.cohorts {
        assert_ne!(p.cohort(c.no).is_some(), cohort_held(c.no), "cohort {}", c.no.0);
    }
    for t in &reg.teams {
        let team_id = format!("cohorts/{}/teams.yaml#{}", t.cohort.0, t.no.0);
        let team_held = held(HeldKind::Team, &team_id) || cohort_held(t.cohort);
        let shown = p.team(t.cohort, t.no);
        assert_ne!(shown.is_some(), team_held, "{team_id}");
        let mut published_members = 0;
        for (i, m) in t.members.iter().enumerate() {
            let member_held = team_held || held(HeldKind::Member, &format!("{team_id}/{}", i + 1));
            let is_published = shown.is_some() && m.announce <= as_of;
            assert_ne!(is_published, member_held, "{team_id} member {}", i + 1);
            published_members += usize::from(is_published);
        }
        assert_eq!(shown.map_or(0, |s| s.members.len()), published_members, "{team_id}");
    }
    for r in &reg.reports {
        let team_held = held(
            HeldKind::Team,
            &format!("cohorts/{}/teams.yaml#{}", r.cohort.0, r.team.0),
        ) || cohort_held(r.cohort);
        let is_published = p.reports.iter().any(|x| std::ptr::eq(*x, r));
        assert_ne!(is_published, team_held || held(HeldKind::Report, &r.file), "{}", r.file);
    }
    for pg in &reg.pages {
        let is_published = p.pages.iter().any(|x| std::ptr::eq(*x, pg));
        assert_ne!(is_published, held(HeldKind::Page, &pg.file), "{}", pg.file);
    }
    for pr in &reg.programs {
        let is_published = p.programs.iter().any(|x| std::ptr::eq(*x, pr));
        assert_ne!(is_published, held(HeldKind::Program, &pr.file), "{}", pr.file);
    }
}

/// The registry as if every record not released at `as_of` had never been written: held
/// cohorts, teams, members, reports, pages and programmes deleted, with the assets only they
/// used, future `left` dates dropped, and — for a cohort that lost anything — its declared
/// figures too (SPEC §3: they describe the whole cohort), together with the members' own values
/// of the attributes it declares (those are counted by the declared figures alone).
/// Decided here from the release instants alone, not by `publish`.
pub fn without_unpublished(reg: &banso::model::Registry, as_of: banso::time::Instant) -> banso::model::Registry {
    use std::collections::BTreeSet;
    let out = |t: banso::time::Instant| t <= as_of;
    let mut r = reg.clone();
    let mut trimmed: BTreeSet<banso::model::CohortNo> = BTreeSet::new();
    r.cohorts.retain(|c| out(c.announce));
    let kept_cohorts: BTreeSet<_> = r.cohorts.iter().map(|c| c.no).collect();
    r.teams.retain(|t| {
        let keep = kept_cohorts.contains(&t.cohort) && out(t.announce);
        if !keep {
            trimmed.insert(t.cohort);
        }
        keep
    });
    for t in &mut r.teams {
        let before = t.members.len();
        t.members.retain(|m| out(m.announce));
        if t.members.len() != before {
            trimmed.insert(t.cohort);
        }
        for m in &mut t.members {
            if m.left.is_some_and(|d| !out(d.start())) {
                m.left = None;
            }
        }
    }
    for c in r.cohorts.iter_mut().filter(|c| trimmed.contains(&c.no)) {
        let declared: Vec<_> = c.declared.breakdowns.keys().copied().collect();
        for t in r.teams.iter_mut().filter(|t| t.cohort == c.no) {
            for m in &mut t.members {
                for a in &declared {
                    m.clear(*a);
                }
            }
        }
        c.declared = banso::model::Declared::default();
    }
    let kept_teams: BTreeSet<_> = r.teams.iter().map(|t| (t.cohort, t.no)).collect();
    let (reports, gone_reports): (Vec<_>, Vec<_>) = r
        .reports
        .into_iter()
        .partition(|x| kept_teams.contains(&(x.cohort, x.team)) && out(x.release));
    r.reports = reports;
    let (pages, gone_pages): (Vec<_>, Vec<_>) = r.pages.into_iter().partition(|p| p.release.is_none_or(out));
    r.pages = pages;
    r.programs.retain(|p| p.release.is_none_or(out));
    r.applications.retain(|a| kept_cohorts.contains(&a.cohort));
    let attached: BTreeSet<_> = r
        .reports
        .iter()
        .flat_map(|x| x.attachments.iter().map(|a| a.asset.clone()))
        .collect();
    let gone_assets: BTreeSet<_> = gone_reports
        .iter()
        .flat_map(|x| x.attachments.iter().map(|a| &a.asset).chain(x.body.assets()))
        .chain(gone_pages.iter().flat_map(|p| p.body.assets()))
        .filter(|a| !attached.contains(*a))
        .cloned()
        .collect();
    r.assets.retain(|path, _| !gone_assets.contains(path));
    r
}

/// Every file of a rendered plan as (path → bytes), copied assets read from disk.
pub fn plan_files(plan: &banso::render::Plan) -> BTreeMap<String, Vec<u8>> {
    plan.files()
        .iter()
        .map(|(path, blob)| {
            let bytes = match blob {
                banso::render::Blob::Bytes(b) => b.to_vec(),
                banso::render::Blob::Copy(p) => std::fs::read(p).unwrap(),
            };
            (path.clone(), bytes)
        })
        .collect()
}

/// The site of `reg` at `as_of` equals, in every byte and file name, the site of the same
/// content with everything unpublished deleted (SPEC §3: no trace of what is held).
pub fn assert_same_as_never_written(reg: &banso::model::Registry, as_of: banso::time::Instant, what: &str) {
    let theme = banso::render::Theme::builtin().unwrap();
    let built = banso::render_site(reg, banso::SiteOptions::at(as_of), &theme).unwrap();
    let trimmed = without_unpublished(reg, as_of);
    let plain = banso::render_site(&trimmed, banso::SiteOptions::at(as_of), &theme).unwrap();
    let (a, b) = (plan_files(&built.plan), plan_files(&plain.plan));
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "{what} at {as_of:?}: file names");
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{what} at {as_of:?}: {path} differs from the site without the unpublished records"
        );
    }
}

/// The sixth digit of a 全国地方公共団体コード for its first five (JIS X 0402's check digit),
/// computed here on its own so that synthetic codes do not rest on the code under test.
pub fn check_digit(first5: &str) -> u32 {
    let sum: u32 = first5
        .chars()
        .zip([6, 5, 4, 3, 2])
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    (11 - sum % 11) % 10
}

/// Days since 1970-01-01 → `YYYY-MM-DD` (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
