//! What a build did, for people (a few lines on stderr) and for scripts (`--format json`).

use serde::Serialize;

use crate::render::Plan;
use crate::time::Instant;

/// Files of a build by kind.
#[derive(Debug, Default, Serialize)]
pub struct FileCounts {
    pub total: usize,
    pub pages: usize,
    pub reports: usize,
    pub charts: usize,
    pub data: usize,
    pub assets: usize,
    pub search: usize,
}

impl FileCounts {
    pub fn of(plan: &Plan) -> Self {
        let mut c = FileCounts {
            total: plan.len(),
            ..Self::default()
        };
        for path in plan.files().keys() {
            let parts: Vec<&str> = path.split('/').collect();
            if path.ends_with(".html") {
                c.pages += 1;
                c.reports += usize::from(parts.len() == 4 && parts[0] == "reports");
            } else if path.contains("/charts/") && path.ends_with(".svg") {
                // A chart is drawn twice, wide and for phones; it is one chart.
                c.charts += usize::from(!path.ends_with("-narrow.svg"));
            } else if parts[0] == "data" {
                c.data += 1;
            } else if parts[0] == "assets" {
                c.assets += 1;
            } else if parts[0] == "pagefind" {
                c.search += 1;
            }
        }
        c
    }
}

/// The summary of one build.
#[derive(Debug, Serialize)]
pub struct BuildReport {
    pub output: String,
    pub preview: bool,
    #[serde(serialize_with = "crate::time::rfc3339")]
    pub as_of: Instant,
    pub files: FileCounts,
    pub bytes: u64,
    pub held: usize,
    #[serde(serialize_with = "crate::time::rfc3339_opt")]
    pub next_release: Option<Instant>,
    pub warnings: usize,
    pub elapsed_seconds: f64,
    /// Against the output this build replaced.
    pub changes: crate::output::Changes,
    /// What was taken from the build before instead of made again.
    pub reused: Reused,
}

/// What a build took from the one before it into the same output (`build` only).
#[derive(Debug, Default, Serialize)]
pub struct Reused {
    /// Pages read back from the output, their inputs unchanged.
    pub pages: usize,
    /// Parts of the search index whose pages were all unchanged.
    pub search_parts: usize,
}

impl BuildReport {
    /// A few lines for the terminal.
    pub fn text(&self) -> String {
        let f = &self.files;
        let what = if self.preview {
            "非公開プレビュー"
        } else {
            "サイト"
        };
        let mut s = format!(
            "{what}を {} に書き出しました（基準時刻 {}、日本時間）\n",
            self.output,
            self.as_of.display_ja()
        );
        s.push_str(&format!(
            "  ページ {}（うち報告 {}）、図表 {}、データ {}、添付ファイル {}、検索索引 {} ― 計 {} ファイル・{:.1} MB\n",
            f.pages,
            f.reports,
            f.charts,
            f.data,
            f.assets,
            f.search,
            f.total,
            self.bytes as f64 / 1_048_576.0
        ));
        let c = &self.changes;
        s.push_str(&format!(
            "  前回の出力から 追加 {}・変更 {}・削除 {} ファイル（一覧は --format json）\n",
            c.added.len(),
            c.changed.len(),
            c.removed.len()
        ));
        match self.next_release {
            Some(next) if !self.preview => s.push_str(&format!(
                "  公表待ち {}件（次の公表 {}）\n",
                self.held,
                next.display_short()
            )),
            Some(_) => s.push_str(&format!("  公表前のもの {}件を含みます\n", self.held)),
            None => s.push_str("  公表待ちはありません\n"),
        }
        if self.warnings > 0 {
            s.push_str(&format!("  警告 {}件（上に表示）\n", self.warnings));
        }
        s.push_str(&format!("  所要時間 {:.2} 秒\n", self.elapsed_seconds));
        s
    }
}
