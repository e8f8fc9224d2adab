//! 公表数値の照合 — declared figures against what the records add up to (a warning on mismatch).

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::load::CohortDir;
use crate::load::de::Sp;
use crate::load::raw::RawNotes;
use crate::model::{Attribute, CohortNo, Registry};

/// Compare a cohort's `declared:` with its validated records.
pub(super) fn check_declared(dir: &CohortDir, reg: &Registry, diags: &mut Diagnostics) {
    let Some(rec) = &dir.cohort else { return };
    let Some(declared) = &rec.raw.declared else {
        return;
    };
    let no = CohortNo(rec.raw.number.value);
    if reg.cohort(no).is_none() {
        return;
    }
    let teams: Vec<_> = reg.teams.iter().filter(|t| t.cohort == no).collect();
    let members: usize = teams.iter().map(|t| t.members.len()).sum();
    let municipalities: BTreeSet<_> = teams.iter().map(|t| t.municipality).collect();
    let prefectures: BTreeSet<_> = municipalities.iter().map(|c| c.prefecture().code).collect();
    let applications = reg.applications.iter().filter(|a| a.cohort == no).count();

    let notes = declared.notes.as_ref().map(|n| &n.value);
    // A figure with a note explains its difference on the page: no warning for it.
    let noted = |note: fn(&RawNotes) -> &Option<Sp<String>>| notes.is_some_and(|n| note(n).is_some());
    let mut compare = |field: &Option<Sp<u32>>, what: &str, unit: &str, records: usize, source: &str| {
        let Some(d) = field else { return };
        if d.value as usize != records {
            diags.push(
                Diagnostic::warning(
                    Span::new(&rec.file, d.pos),
                    format!("公表数値の{what} {}{unit} と記録の {records}{unit} が合いません", d.value),
                )
                .with_help(format!(
                    "{source} と公表資料を見比べてください。サイトには公表数値を載せ、記録から数えた {records}{unit} を注記します。違いの理由がわかっているなら declared の notes に書くと、その文を注記として載せ、この警告は出なくなります"
                )),
            );
        }
    };
    let teams_file = format!("cohorts/{}/teams.yaml", no.0);
    let unnoted = |field: &Option<Sp<u32>>, note: fn(&RawNotes) -> &Option<Sp<String>>| {
        if noted(note) { None } else { field.clone() }
    };
    compare(
        &unnoted(&declared.members, |n| &n.members),
        "支援官数",
        "名",
        members,
        &teams_file,
    );
    compare(
        &unnoted(&declared.teams, |n| &n.teams),
        "チーム数",
        "チーム",
        teams.len(),
        &teams_file,
    );
    compare(
        &unnoted(&declared.municipalities, |n| &n.municipalities),
        "支援対象の市町村数",
        "市町村",
        municipalities.len(),
        &teams_file,
    );
    compare(
        &unnoted(&declared.prefectures, |n| &n.prefectures),
        "道府県数",
        "道府県",
        prefectures.len(),
        &teams_file,
    );
    if dir.applications.is_some() {
        let apps_file = format!("cohorts/{}/applications.yaml", no.0);
        compare(
            &unnoted(&declared.municipality_applicants, |n| &n.municipality_applicants),
            "応募市町村数",
            "市町村",
            applications,
            &apps_file,
        );
    }
    // 継続・新規: compared only when every team says which it is (a blank is unknown, not 新規).
    if !teams.is_empty() && teams.iter().all(|t| t.continuing.is_some()) {
        for (places, is_continuing, what) in [
            (&declared.continuing, true, "継続支援対象"),
            (&declared.new, false, "新規支援対象"),
        ] {
            let Some(places) = places else { continue };
            let these: BTreeSet<_> = teams
                .iter()
                .filter(|t| t.continuing == Some(is_continuing))
                .map(|t| t.municipality)
                .collect();
            let prefs: BTreeSet<_> = these.iter().map(|c| c.prefecture().code).collect();
            compare(
                &places.value.municipalities,
                &format!("{what}の市町村数"),
                "市町村",
                these.len(),
                &teams_file,
            );
            compare(
                &places.value.prefectures,
                &format!("{what}の道府県数"),
                "道府県",
                prefs.len(),
                &teams_file,
            );
        }
    }
    if let Some(b) = &declared.breakdowns {
        let declared_members = declared.members.as_ref().map(|m| m.value);
        let parsed = &reg
            .cohort(no)
            .map(|c| c.declared.breakdowns.clone())
            .unwrap_or_default();
        let spans = [
            (Attribute::Gender, b.gender.as_ref().map(|x| x.pos)),
            (Attribute::Track, b.track.as_ref().map(|x| x.pos)),
            (Attribute::Age, b.age.as_ref().map(|x| x.pos)),
        ];
        for (attr, pos) in spans {
            let (Some(pos), Some(counts)) = (pos, parsed.get(&attr)) else {
                continue;
            };
            let sum: u32 = counts.iter().flatten().sum();
            if let Some(m) = declared_members.filter(|m| sum > *m) {
                diags.push(
                    Diagnostic::warning(
                        Span::new(&rec.file, pos),
                        format!(
                            "{}の内訳の合計 {sum}名が公表数値の支援官数 {m}名より多くなっています",
                            attr.name()
                        ),
                    )
                    .with_help("公表資料の内訳の数値を確認してください"),
                );
            }
            let recorded = teams
                .iter()
                .flat_map(|t| t.members.iter())
                .filter(|m| m.category(attr).is_some())
                .count();
            if recorded > 0 {
                diags.push(
                    Diagnostic::warning(
                        Span::new(&rec.file, pos),
                        format!(
                            "{}が teams.yaml の {recorded}名にも書かれていますが、期の集計には公表資料の内訳を使います",
                            attr.name()
                        ),
                    )
                    .with_help(format!(
                        "どちらか一方にしてください。個人の{}は teams.yaml に置かないほうが安全です",
                        attr.name()
                    )),
                );
            }
        }
    }
}
