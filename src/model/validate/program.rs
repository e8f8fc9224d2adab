//! Validation of `programs/<id>.yaml` (other national 伴走支援).

use std::collections::BTreeSet;

use super::{Lookups, Validator};
use crate::diag::{Diagnostic, Span};
use crate::load::Named;
use crate::load::raw::RawProgram;
use crate::model::{Program, ProgramSupport};

impl Validator<'_> {
    pub(super) fn programs(&mut self, programs: &[Named<RawProgram>], l: &Lookups) -> Vec<Program> {
        let mut out = Vec::new();
        for p in programs {
            let (f, r) = (&p.file, &p.raw);
            let stem_ok = self.stem(f, &p.stem);
            let name = self.text(f, "name", &r.name);
            let release = r.release.as_ref().map(|t| self.instant(f, t));
            if let Some(url) = &r.url {
                if !url.value.trim().starts_with("https://") && !url.value.trim().starts_with("http://") {
                    self.push(
                        Diagnostic::error(
                            Span::new(f, url.pos),
                            format!("url「{}」が http(s):// で始まっていません", url.value),
                        )
                        .with_help("事業の公式ページの URL を https:// から書いてください"),
                    );
                } else if super::body::own_path(&url.value, l.base_url).is_some() {
                    // A link into this site would not follow the holdback of what it points at.
                    self.push(
                        Diagnostic::error(
                            Span::new(f, url.pos),
                            format!("url「{}」はこのサイトの中の URL です", url.value),
                        )
                        .with_help("url には事業の公式ページ（このサイトの外）を書いてください"),
                    );
                }
            }
            let mut support = Vec::new();
            let mut broken = r.support.iter().any(|s| s.0.is_none());
            for s in r.support.iter().filter_map(|s| s.0.as_ref()) {
                let kind = self.text(f, "type", &s.kind);
                let mut codes = Vec::new();
                let mut seen = BTreeSet::new();
                for m in &s.municipalities {
                    match self.municipality_ref(f, m, l) {
                        Some(code) if !seen.insert(code) => {
                            self.error(f, m.pos, format!("団体コード「{code}」が同じ枠に二度書かれています"));
                            broken = true;
                        }
                        Some(code) => codes.push(code),
                        None => broken = true,
                    }
                }
                if s.municipalities.is_empty() {
                    self.push(
                        Diagnostic::error(Span::new(f, s.kind.pos), "支援先の市町村（municipalities）がありません")
                            .with_help("municipalities: [\"016641\"] のように団体コードを書いてください"),
                    );
                    broken = true;
                }
                match kind {
                    Some(kind) => support.push(ProgramSupport {
                        kind,
                        group: self.optional_text(f, &s.group),
                        municipalities: codes,
                    }),
                    None => broken = true,
                }
            }
            if r.fiscal_year.value < 2000 || r.fiscal_year.value > 2200 {
                self.push(
                    Diagnostic::error(
                        Span::new(f, r.fiscal_year.pos),
                        format!("年度 {} は西暦の年度ではありません", r.fiscal_year.value),
                    )
                    .with_help("令和7年度なら 2025 のように西暦で書いてください"),
                );
                broken = true;
            }
            let (Some(name), true, false) = (name, stem_ok, broken) else {
                continue;
            };
            if release == Some(None) {
                continue;
            }
            out.push(Program {
                id: p.stem.clone(),
                name,
                fiscal_year: r.fiscal_year.value,
                release: release.flatten(),
                organizer: self.optional_text(f, &r.organizer),
                summary: self.optional_text(f, &r.summary),
                url: self.optional_text(f, &r.url),
                support,
                file: p.file.clone(),
            });
        }
        out
    }
}
