//! Validation of a 中間報告: its front matter, body and attachments.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Lookups, Validator, body};
use crate::diag::{Diagnostic, Span};
use crate::load::MdFile;
use crate::load::raw::RawReport;
use crate::model::{Attachment, CohortNo, Report, ReportKind, TeamNo};
use crate::time::Instant;

impl Validator<'_> {
    pub(super) fn report(
        &mut self,
        md: &MdFile<RawReport>,
        cohort: CohortNo,
        teams: &HashMap<TeamNo, Option<Instant>>,
        l: &Lookups,
    ) -> Option<Report> {
        let (f, r) = (&md.file, &md.front);
        let stem_ok = self.stem(f, &md.stem);
        let known = teams.get(&TeamNo(r.team.value));
        let team = known.copied().flatten();
        if known.is_none() {
            self.push(
                Diagnostic::error(
                    Span::new(f, r.team.pos),
                    format!("{}にチーム {} がありません", cohort.label(), r.team.value),
                )
                .with_help(format!("cohorts/{}/teams.yaml のチーム番号を書いてください", cohort.0)),
            );
        }
        let written = crate::model::normalize_name(&r.kind.value);
        let kind = ReportKind::ALL.into_iter().find(|k| k.name() == written);
        if kind.is_none() {
            self.push(
                Diagnostic::error(
                    Span::new(f, r.kind.pos),
                    format!("報告の種類「{}」は使えません", r.kind.value),
                )
                .with_help("kind は 中間報告、最終報告、活動報告 のいずれかで書いてください"),
            );
        }
        let title = self.text(f, "title", &r.title);
        let date = self.date(f, &r.date);
        let mut release = team;
        if let Some(rel) = &r.release {
            release = self.instant(f, rel);
            if let (Some(at), Some(team_at)) = (release, team) {
                if at < team_at {
                    self.push(
                        Diagnostic::error(
                            Span::new(f, rel.pos),
                            format!(
                                "報告の公開 {} がチームの公表 {} より前です",
                                at.display_ja(),
                                team_at.display_ja()
                            ),
                        )
                        .with_help(
                            "release はチームの公表と同じかそれより後にしてください（省略するとチームの公表と同時）",
                        ),
                    );
                    release = None;
                }
            }
        }
        let mut attachments = Vec::new();
        let mut attachments_ok = true;
        for a in r.attachments.iter() {
            let Some(a) = &a.0 else {
                attachments_ok = false;
                continue;
            };
            let asset = body::asset_ref(self, f, &a.file, l);
            let title = self.text(f, "title", &a.title);
            match (asset, title) {
                (Some(asset), Some(title)) => attachments.push(Attachment { asset, title }),
                _ => attachments_ok = false,
            }
        }
        let body = body::body(self, f, &md.body, md.body_line, l);
        if !stem_ok || !attachments_ok || r.attachments.iter().any(|a| a.0.is_none()) {
            return None;
        }
        Some(Report {
            cohort,
            team: TeamNo(r.team.value),
            stem: md.stem.clone(),
            kind: kind?,
            title: title?,
            date: date?,
            release: release?,
            summary: self.optional_text(f, &r.summary),
            attachments,
            body: body?,
            file: Arc::clone(f),
        })
    }
}
