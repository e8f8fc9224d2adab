//! Validation of the files at content/'s top: site.yaml, ministries.yaml, municipalities.yaml.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{Validator, placeholder_base_url};
use crate::diag::{Diagnostic, Pos, Span};
use crate::load::raw::RawMunicipality;
use crate::load::{Listed, RawContent};
use crate::model::urls::BaseUrl;
use crate::model::{Ministry, MinistryGroup, Municipality, MunicipalityCode, Site, Team, normalize_name};

impl Validator<'_> {
    pub(super) fn site(&mut self, raw: &RawContent) -> Site {
        let mut site = Site {
            title: "地方創生伴走支援制度".into(),
            base_url: placeholder_base_url(),
            publisher: String::new(),
            license: String::new(),
            min_group_size: 10,
            description: None,
            minify: false,
        };
        let Some(rec) = &raw.site else { return site };
        let (f, r) = (&rec.file, &rec.raw);
        site.title = self.text(f, "title", &r.title).unwrap_or(site.title);
        site.publisher = self.text(f, "publisher", &r.publisher).unwrap_or_default();
        site.license = self.text(f, "license", &r.license).unwrap_or_default();
        site.description = self.optional_text(f, &r.description);
        site.minify = r.minify.as_ref().is_some_and(|m| m.value);
        match BaseUrl::parse(&r.base_url.value) {
            Ok(url) => site.base_url = url,
            Err(why) => self.push(
                Diagnostic::error(
                    Span::new(f, r.base_url.pos),
                    format!("base_url{}", BaseUrl::refusal(&r.base_url.value, why)),
                )
                .with_help(BaseUrl::HELP),
            ),
        }
        if let Some(n) = &r.min_group_size {
            if n.value == 0 {
                self.error(f, n.pos, "min_group_size は 1 以上にしてください");
            } else {
                site.min_group_size = n.value;
            }
        }
        site
    }

    /// ministries.yaml, and for each entry written without an `id`, where its name is (for the
    /// missing-id warning; a wrong `id` has its own error).
    pub(super) fn ministries(&mut self, raw: &RawContent) -> (Vec<Ministry>, Vec<Option<Span>>) {
        let Some(list) = &raw.ministries else {
            return (Vec::new(), Vec::new());
        };
        let mut out = Vec::new();
        let mut at = Vec::new();
        let mut seen: HashMap<String, (String, Pos)> = HashMap::new();
        let mut slugs: HashMap<String, Pos> = HashMap::new();
        for m in list.items.iter() {
            let Some(name) = self.text(&list.file, "name", &m.name) else {
                continue;
            };
            let slug = m.id.as_ref().and_then(|id| {
                let v = id.value.trim();
                if !is_slug(v) {
                    self.push(
                        Diagnostic::error(
                            Span::new(&list.file, id.pos),
                            format!("id「{}」はページの URL に使えません", id.value),
                        )
                        .with_help("英小文字・数字・ハイフン（-）で書いてください（例: id: mlit）"),
                    );
                    return None;
                }
                if let Some(first) = slugs.get(v) {
                    self.push(
                        Diagnostic::error(
                            Span::new(&list.file, id.pos),
                            format!("id「{v}」は {} 行目でも使われています", first.line),
                        )
                        .with_help("id は府省庁等ごとに別の名前にしてください"),
                    );
                    return None;
                }
                slugs.insert(v.to_string(), id.pos);
                Some(v.to_string())
            });
            let spellings = std::iter::once(&m.name).chain(m.short.iter()).chain(m.aliases.iter());
            for s in spellings {
                let key = normalize_name(&s.value);
                if key.is_empty() {
                    continue;
                }
                if let Some((other, at)) = seen.get(&key) {
                    if other != &name {
                        self.push(
                            Diagnostic::error(
                                Span::new(&list.file, s.pos),
                                format!("「{}」は {} 行目の「{other}」にも使われています", s.value, at.line),
                            )
                            .with_help("一つの名前は一つの府省庁等にだけ書いてください"),
                        );
                    }
                    continue;
                }
                seen.insert(key, (name.clone(), s.pos));
            }
            // A wrong group is reported; the entry stays (as 府省庁等), so the records naming it
            // are not reported as well.
            let group = m.group.as_ref().map_or(MinistryGroup::default(), |g| {
                MinistryGroup::parse(&g.value).unwrap_or_else(|| {
                    self.push(
                        Diagnostic::error(
                            Span::new(&list.file, g.pos),
                            format!("group「{}」は使えません", g.value),
                        )
                        .with_help(group_help()),
                    );
                    MinistryGroup::default()
                })
            });
            at.push(m.id.is_none().then(|| Span::new(&list.file, m.name.pos)));
            out.push(Ministry {
                name,
                slug,
                short: self.optional_text(&list.file, &m.short),
                aliases: m.aliases.iter().map(|a| a.value.trim().to_string()).collect(),
                group,
            });
        }
        (out, at)
    }

    /// A ministry that a record names but that has no `id` gets no page (SPEC §2): say so once.
    pub(super) fn ministries_without_pages(&mut self, ministries: &[Ministry], at: &[Option<Span>], teams: &[Team]) {
        for (i, (m, span)) in ministries.iter().zip(at).enumerate() {
            let used = teams.iter().flat_map(|t| &t.members).any(|mem| mem.ministry.0 == i);
            if let (Some(span), true) = (span, used) {
                self.push(
                    Diagnostic::warning(
                        span.clone(),
                        format!(
                            "府省庁等「{}」に id がないため、この府省庁等のページを作りません",
                            m.name
                        ),
                    )
                    .with_help("ページの URL にする id を書いてください（英小文字・数字・ハイフン、例: id: mlit）"),
                );
            }
        }
    }

    pub(super) fn municipalities(&mut self, raw: &RawContent) -> BTreeMap<MunicipalityCode, Municipality> {
        let mut out = BTreeMap::new();
        let Some(Listed { file, items, .. }) = &raw.municipalities else {
            return out;
        };
        let mut lines: HashMap<MunicipalityCode, u32> = HashMap::new();
        for m in items.iter() {
            if let Some(muni) = self.municipality(file, m) {
                if let Some(first) = lines.get(&muni.code) {
                    self.push(
                        Diagnostic::error(
                            Span::new(file, m.code.pos),
                            format!("団体コード「{}」が {first} 行目にも書かれています", muni.code),
                        )
                        .with_help("一つの市町村は一度だけ書いてください"),
                    );
                    continue;
                }
                lines.insert(muni.code, m.code.pos.line);
                out.insert(muni.code, muni);
            }
        }
        out
    }

    pub(super) fn municipality(&mut self, file: &Arc<str>, m: &RawMunicipality) -> Option<Municipality> {
        let code = self.code(file, &m.code);
        let name = self.text(file, "name", &m.name);
        let population_as_of = m.population_as_of.as_ref().and_then(|d| self.date(file, d));
        Some(Municipality {
            code: code?,
            name: name?,
            kana: self.optional_text(file, &m.kana),
            population: m.population.as_ref().map(|p| p.value),
            population_as_of,
        })
    }
}

/// 「group は 府省庁等 か オフィサー出向先等 で書いてください…」: the values ministries.yaml allows.
fn group_help() -> String {
    let [default, other] = MinistryGroup::ALL.map(MinistryGroup::name);
    format!("group は {default} か {other} で書いてください（書かなければ {default}）")
}

/// A URL slug: lowercase ASCII letters, digits and inner hyphens (`jftc`, `nta-kanazawa`).
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
