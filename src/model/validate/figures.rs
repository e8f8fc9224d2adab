//! 公表数値の照合 — declared figures against what the records add up to (a warning on mismatch).

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::load::CohortDir;
use crate::load::de::Sp;
use crate::model::{CohortNo, Registry};

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

    let mut compare = |field: &Option<Sp<u32>>, what: &str, unit: &str, records: usize, source: &str| {
        let Some(d) = field else { return };
        if d.value as usize != records {
            diags.push(
                Diagnostic::warning(
                    Span::new(&rec.file, d.pos),
                    format!("公表数値の{what} {}{unit} と記録の {records}{unit} が合いません", d.value),
                )
                .with_help(format!(
                    "{source} と公表資料を見比べてください。サイトには記録から数えた {records}{unit} を載せ、公表数値との違いを注記します"
                )),
            );
        }
    };
    let teams_file = format!("cohorts/{}/teams.yaml", no.0);
    compare(&declared.members, "支援官数", "名", members, &teams_file);
    compare(&declared.teams, "チーム数", "チーム", teams.len(), &teams_file);
    compare(
        &declared.municipalities,
        "支援対象の市町村数",
        "市町村",
        municipalities.len(),
        &teams_file,
    );
    compare(
        &declared.prefectures,
        "道府県数",
        "道府県",
        prefectures.len(),
        &teams_file,
    );
    if dir.applications.is_some() {
        let apps_file = format!("cohorts/{}/applications.yaml", no.0);
        compare(
            &declared.municipality_applicants,
            "応募市町村数",
            "市町村",
            applications,
            &apps_file,
        );
    }
}
