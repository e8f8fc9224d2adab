//! 検証 — raw records → [`Registry`], every problem reported with its place and a fix.
//!
//! Pipeline position: `load` → **`validate`** → `publish`. Validation covers all content, held
//! back or not. It never stops at the first problem: a broken record is reported and left out,
//! and the rest is still checked.

mod body;
mod cohort;
mod figures;
mod memo;
mod program;
mod report;
mod team;
mod top_files;

pub(crate) use cohort::breakdowns as declared_breakdowns;

/// 対処 lines that the validator and `import` both give, so both say the same of one mistake.
pub(crate) mod help {
    use crate::model::reference::Grade;

    pub const MINISTRY: &str =
        "ministries.yaml の name か aliases にある名前で書くか、ministries.yaml に加えてください";
    pub const ISSUE_AREA: &str = "制度の26の課題分野の名前（観光、産業振興、…、その他）で書いてください";

    pub fn grade() -> String {
        format!("{} のいずれかで書いてください", Grade::ALL.map(Grade::name).join("、"))
    }
}

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, Pos, Span};
use crate::load::de::Sp;
use crate::load::raw::{RawPage, Scalar};
use crate::load::{MdFile, RawContent};
use crate::time::{Date, Instant};

pub use memo::Memo;

use super::code::MunicipalityCode;
use super::urls::BaseUrl;
use super::{Asset, AssetPath, CohortNo, MinistryIndex, MinistryNo, Municipality, Page, Registry};

/// Validate everything `load` read. The registry is returned even when there are errors (with
/// the broken records left out), so callers decide by `diags.has_errors()`.
pub fn validate(raw: &RawContent, diags: &mut Diagnostics) -> Registry {
    validate_with(raw, diags, None)
}

/// [`validate`], taking from `memo` each report whose inputs are those of the last validation
/// and keeping this one's there (`serve`; see [`Memo`]).
pub fn validate_with(raw: &RawContent, diags: &mut Diagnostics, memo: Option<&Memo>) -> Registry {
    let mut v = Validator {
        diags,
        have_ministries: raw.ministries.is_some(),
        have_municipalities: raw.municipalities.is_some(),
    };
    let site = v.site(raw);
    let (ministries, ministry_at) = v.ministries(raw);
    let ministry_index = MinistryIndex::new(&ministries);
    let municipalities = v.municipalities(raw);
    let assets: BTreeMap<AssetPath, Asset> = raw
        .assets
        .iter()
        .map(|a| {
            (
                AssetPath(a.rel.clone()),
                Asset {
                    path: AssetPath(a.rel.clone()),
                    source: a.source.clone(),
                    size: a.size,
                },
            )
        })
        .collect();
    let base_url = site.base_url.clone();
    let real_assets = real_assets(&raw.assets, &raw.root);
    let mut lookups = Lookups {
        ministry_index: &ministry_index,
        municipalities: &municipalities,
        assets: &assets,
        root: &raw.root,
        base_url: &base_url,
        real_assets: &real_assets,
        memo: None,
    };
    let round = memo.map(|m| m.begin(memo::shared(&lookups, (v.have_ministries, v.have_municipalities))));
    lookups.memo = round.as_ref();
    let mut registry = Registry {
        site,
        ministries: Vec::new(),
        ministry_index: MinistryIndex::default(),
        municipalities: BTreeMap::new(),
        cohorts: Vec::new(),
        teams: Vec::new(),
        applications: Vec::new(),
        reports: Vec::new(),
        pages: Vec::new(),
        programs: Vec::new(),

        assets: BTreeMap::new(),
    };
    for dir in &raw.cohorts {
        v.cohort_dir(dir, &lookups, &mut registry);
    }
    let pages = v.pages(&raw.pages, &lookups, &registry);
    registry.pages = pages;
    registry.programs = v.programs(&raw.programs, &lookups);

    registry.cohorts.sort_by_key(|c| c.no);
    registry.teams.sort_by_key(|t| (t.cohort, t.no));
    registry
        .reports
        .sort_by(|a, b| (a.cohort, &a.stem).cmp(&(b.cohort, &b.stem)));
    registry.applications.sort_by_key(|a| (a.cohort, a.municipality));
    v.ministries_without_pages(&ministries, &ministry_at, &registry.teams);
    registry.ministries = ministries;
    registry.ministry_index = ministry_index;
    registry.municipalities = municipalities;
    registry.assets = assets;
    body::check_links(&registry, v.diags);
    registry
}

/// `cohorts/2` (slashes around it allowed) → 第2期.
fn cohort_path(written: &str) -> Option<CohortNo> {
    written
        .trim()
        .trim_matches('/')
        .strip_prefix("cohorts/")
        .filter(|n| !n.starts_with('0') && !n.starts_with('+'))
        .and_then(|n| n.parse().ok())
        .map(CohortNo)
}

/// The address used until site.yaml gives one (and for a body checked on its own).
fn placeholder_base_url() -> BaseUrl {
    BaseUrl::parse("https://example.invalid/").expect("a valid base URL")
}

/// One Markdown body checked on its own, as if it were a page's (no assets, no other records):
/// the body or its problems. For fuzzing the Markdown path and for tools that check a text.
pub fn validate_markdown(md: &str) -> (Option<super::Body>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let file: Arc<str> = Arc::from("pages/text.md");
    let (municipalities, assets) = (BTreeMap::new(), BTreeMap::new());
    let ministry_index = MinistryIndex::default();
    let base_url = placeholder_base_url();
    let lookups = Lookups {
        ministry_index: &ministry_index,
        municipalities: &municipalities,
        assets: &assets,
        root: std::path::Path::new("."),
        base_url: &base_url,
        real_assets: &Default::default(),
        memo: None,
    };
    let mut v = Validator {
        diags: &mut diags,
        have_ministries: false,
        have_municipalities: false,
    };
    let body = body::body(&mut v, &file, md, 1, &lookups);
    (body, diags)
}

/// Every asset that is a file itself inside content/assets/ (not a symbolic link, and not
/// reaching outside through one), looked at once per validation. When content/assets/ is
/// reached without a link, the listing says it: the folder walk does not follow links, so a
/// file listed that is no link itself lies inside. Otherwise each file is resolved.
fn real_assets(assets: &[crate::load::AssetFile], root: &std::path::Path) -> std::collections::BTreeSet<AssetPath> {
    use rayon::prelude::*;
    let Ok(inside) = std::fs::canonicalize(root).map(|r| r.join("assets")) else {
        return Default::default();
    };
    let plain = std::fs::canonicalize(root.join("assets")).is_ok_and(|a| a == inside);
    assets
        .par_iter()
        .filter(|a| {
            if plain {
                return !a.link;
            }
            let link = std::fs::symlink_metadata(&a.source).is_ok_and(|m| m.file_type().is_symlink());
            !link && std::fs::canonicalize(&a.source).is_ok_and(|real| real.starts_with(&inside))
        })
        .map(|a| AssetPath(a.rel.clone()))
        .collect()
}

/// What records refer to, for resolving references.
pub(crate) struct Lookups<'a> {
    pub ministry_index: &'a MinistryIndex,
    pub municipalities: &'a BTreeMap<MunicipalityCode, Municipality>,
    pub assets: &'a BTreeMap<AssetPath, Asset>,
    pub root: &'a std::path::Path,
    /// site.yaml's base_url: a link to it is a link into the site.
    pub base_url: &'a BaseUrl,
    /// The assets a page may link to ([`real_assets`]).
    pub real_assets: &'a std::collections::BTreeSet<AssetPath>,
    /// The last validation's reports, when kept (`serve`).
    memo: Option<&'a memo::Round<'a>>,
}

pub(crate) struct Validator<'a> {
    pub diags: &'a mut Diagnostics,
    /// Whether ministries.yaml and municipalities.yaml could be read: when one is missing,
    /// references to it are not reported one by one.
    have_ministries: bool,
    have_municipalities: bool,
}

impl Validator<'_> {
    /// An error at `pos` of `file` with nothing more to say; anything more is built with
    /// [`Diagnostic`]'s `with_*` and given to [`Self::push`].
    pub fn error(&mut self, file: &Arc<str>, pos: Pos, message: impl Into<String>) {
        self.push(Diagnostic::error(Span::new(file, pos), message));
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A release or announcement time.
    pub fn instant(&mut self, file: &Arc<str>, text: &Sp<String>) -> Option<Instant> {
        match Instant::parse(&text.value) {
            Ok(i) => Some(i),
            Err(e) => {
                self.error(file, text.pos, e.0);
                None
            }
        }
    }

    pub fn date(&mut self, file: &Arc<str>, text: &Sp<String>) -> Option<Date> {
        match Date::parse(&text.value) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(file, text.pos, e.0);
                None
            }
        }
    }

    /// A text that must not be empty; trimmed.
    pub fn text(&mut self, file: &Arc<str>, field: &str, text: &Sp<String>) -> Option<String> {
        let t = text.value.trim();
        if t.is_empty() {
            self.push(
                Diagnostic::error(Span::new(file, text.pos), format!("「{field}」が空です"))
                    .with_help(format!("{field} を書いてください")),
            );
            return None;
        }
        self.warn_formula(file, text);
        Some(t.to_string())
    }

    pub fn optional_text(&mut self, file: &Arc<str>, text: &Option<Sp<String>>) -> Option<String> {
        let text = text.as_ref()?;
        self.warn_formula(file, text);
        Some(text.value.trim().to_string()).filter(|t| !t.is_empty())
    }

    /// Text that a spreadsheet would run as a formula is published in CSV with a leading `'`
    /// (SPEC §5); in content it is most likely a paste from a spreadsheet, so `check` says so.
    fn warn_formula(&mut self, file: &Arc<str>, text: &Sp<String>) {
        let t = text.value.trim();
        if crate::model::text::runs_as_formula(t) {
            self.push(
                Diagnostic::warning(
                    Span::new(file, text.pos),
                    format!("「{t}」は表計算ソフトで開くと式として動く文字（= + - @）で始まります"),
                )
                .with_help(
                    "公開する CSV では先頭に ' を付けて書き出します。表計算ソフトから貼り付けた式や記号なら、書き直してください",
                ),
            );
        }
    }

    /// A 団体コード written as text or integer.
    pub fn code(&mut self, file: &Arc<str>, code: &Sp<Scalar>) -> Option<MunicipalityCode> {
        let (parsed, shown) = match &code.value {
            Scalar::Text(t) => (MunicipalityCode::parse(t), t.clone()),
            Scalar::Int(i) => (MunicipalityCode::from_int(*i), i.to_string()),
        };
        match parsed {
            Ok(c) => Some(c),
            Err(e) => {
                let (msg, help) = e.explain(&shown);
                self.push(Diagnostic::error(Span::new(file, code.pos), msg).with_help(help));
                None
            }
        }
    }

    /// A code that must name a municipality of municipalities.yaml.
    pub fn municipality_ref(&mut self, file: &Arc<str>, code: &Sp<Scalar>, l: &Lookups) -> Option<MunicipalityCode> {
        let c = self.code(file, code)?;
        if l.municipalities.contains_key(&c) {
            return Some(c);
        }
        if !self.have_municipalities {
            return None;
        }
        self.push(
            Diagnostic::error(
                Span::new(file, code.pos),
                format!("団体コード「{c}」の市町村が municipalities.yaml にありません"),
            )
            .with_help(format!(
                "municipalities.yaml に code: \"{c}\" の市町村を加えるか、コードを確認してください"
            )),
        );
        None
    }

    /// A 府省庁等 name or alias (after NFKC, spaces removed).
    pub fn ministry_ref(&mut self, file: &Arc<str>, name: &Sp<String>, l: &Lookups) -> Option<MinistryNo> {
        if let Some(id) = l.ministry_index.find(&name.value) {
            return Some(id);
        }
        if !self.have_ministries {
            return None;
        }
        let suggestion = l.ministry_index.suggest(&name.value);
        self.push(
            Diagnostic::error(
                Span::new(file, name.pos),
                format!("府省庁等「{}」が ministries.yaml にありません", name.value),
            )
            .with_suggestion(suggestion)
            .with_help(help::MINISTRY),
        );
        None
    }

    fn pages(&mut self, pages: &[Arc<MdFile<RawPage>>], l: &Lookups, reg: &Registry) -> Vec<Page> {
        let mut out = Vec::new();
        for p in pages {
            let stem_ok = self.stem(&p.file, &p.stem);
            if super::urls::reserved_stems().any(|r| r == p.stem) {
                self.push(
                    Diagnostic::error(
                        Span::new(&p.file, Pos::new(1, 1, 0)),
                        format!("ページ名「{}」はサイトの URL /{}/ と重なります", p.stem, p.stem),
                    )
                    .with_help(format!(
                        "ファイル名を変えてください（{} は使えません）",
                        super::urls::reserved_stems().collect::<Vec<_>>().join("、")
                    )),
                );
                continue;
            }
            let title = self.text(&p.file, "title", &p.front.title);
            let release = match (&p.front.release, &p.front.release_with) {
                (Some(r), None) => Some(self.instant(&p.file, r)),
                (None, Some(with)) => Some(self.released_with(&p.file, with, reg)),
                (None, None) => None,
                (Some(_), Some(with)) => {
                    self.push(
                        Diagnostic::error(
                            Span::new(&p.file, with.pos),
                            "release と release_with の両方が書かれています",
                        )
                        .with_help(
                            "どちらか一方にしてください（release_with は、その期が公表しきった時刻に合わせます）",
                        ),
                    );
                    Some(None)
                }
            };
            let body = body::body(self, &p.file, &p.body, p.body_line, l);
            let (Some(title), true, Some(body)) = (title, stem_ok, body) else {
                continue;
            };
            if release == Some(None) {
                continue;
            }
            out.push(Page {
                stem: p.stem.clone(),
                title,
                order: p.front.order.as_ref().map(|o| o.value),
                release: release.flatten(),
                released_with: p.front.release_with.as_ref().and_then(|w| cohort_path(&w.value)),
                description: self.optional_text(&p.file, &p.front.description),
                body,
                file: Arc::clone(&p.file),
            });
        }
        self.case_collisions(out.iter().map(|p| (&p.file, p.stem.as_str())));
        out.sort_by(|a, b| (a.order.unwrap_or(i32::MAX), &a.stem).cmp(&(b.order.unwrap_or(i32::MAX), &b.stem)));
        out
    }

    /// `release_with: cohorts/<n>`: the instant nothing of that cohort is held any more, so a
    /// page that states the cohort's figures goes public with them, never before.
    fn released_with(&mut self, file: &Arc<str>, with: &Sp<String>, reg: &Registry) -> Option<Instant> {
        let at = cohort_path(&with.value).and_then(|no| reg.cohort_complete_at(no));
        if at.is_none() {
            let cohorts: Vec<String> = reg.cohorts.iter().map(|c| format!("cohorts/{}", c.no.0)).collect();
            self.push(
                Diagnostic::error(
                    Span::new(file, with.pos),
                    format!("release_with「{}」に当たる期がありません", with.value),
                )
                .with_help(if cohorts.is_empty() {
                    "release_with: cohorts/2 のように、content/cohorts/ にある期を書いてください".to_string()
                } else {
                    format!("release_with には {} のいずれかを書いてください", cohorts.join("、"))
                }),
            );
        }
        at
    }

    /// Two files whose URLs differ only by letter case would be one page on many web servers.
    pub fn case_collisions<'f>(&mut self, stems: impl Iterator<Item = (&'f Arc<str>, &'f str)>) {
        let mut seen: HashMap<String, &Arc<str>> = HashMap::new();
        for (file, stem) in stems {
            if let Some(other) = seen.insert(stem.to_ascii_lowercase(), file) {
                self.push(
                    Diagnostic::error(
                        Span::new(file, Pos::new(1, 1, 0)),
                        format!("ファイル名が {other} と大文字・小文字しか違いません"),
                    )
                    .with_help("URL が重なるので、どちらかのファイル名を変えてください"),
                );
            }
        }
    }

    /// A file stem that becomes a URL segment: ASCII letters, digits, `-` and `_`.
    pub fn stem(&mut self, file: &Arc<str>, stem: &str) -> bool {
        let ok = !stem.is_empty()
            && stem
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && stem.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
        if !ok {
            self.push(
                Diagnostic::error(Span::new(file, Pos::new(1, 1, 0)), format!("ファイル名「{stem}」は URL に使えません"))
                    .with_help(
                        "ファイル名は半角の英数字・ハイフン・下線にしてください（例: interim-2026.md）。ファイル名がそのまま URL になります",
                    ),
            );
        }
        ok
    }
}

#[cfg(test)]
mod tests;
