//! What `banso build` tells a person and a script.

use crate::common::{Site, ok, stderr, stdout};

#[test]
fn build_says_what_it_built_what_is_held_and_how_long_it_took() {
    let site = Site::fixture("embargo");
    let err = ok(&site.build("2026-11-23"));
    assert!(
        err.contains("に書き出しました（基準時刻 2026年11月23日 00:00、日本時間）"),
        "{err}"
    );
    assert!(
        err.contains("ページ 94（うち報告 1）、図表 8、データ 5、添付ファイル 1"),
        "{err}"
    );
    assert!(err.contains("公表待ち 4件（次の公表 2027-04-01 10:00）"), "{err}");
    assert!(err.contains("警告 1件（上に表示）"), "{err}");
    assert!(err.contains("所要時間 "), "{err}");
    assert!(!err.contains('\u{1b}'), "no colour codes when stderr is not a terminal");
}

#[test]
fn json_summary_for_scripts_and_quiet_for_cron() {
    let site = Site::fixture("embargo");
    let o = site.build_with("2026-11-23", &["--format", "json", "--quiet"]);
    assert!(o.status.success());
    assert_eq!(stderr(&o), "", "quiet: nothing but errors");
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["files"]["reports"], 1);
    assert_eq!(json["held"], 4);
    assert_eq!(json["next_release"], "2027-04-01T10:00:00+09:00");
    assert_eq!(json["as_of"], "2026-11-23T00:00:00+09:00");
    assert!(json["elapsed_seconds"].as_f64().unwrap() > 0.0);

    site.replace("municipalities.yaml", "code: \"013455\"", "code: \"013456\"");
    let o = site.build_with("2026-11-23", &["--format", "json", "--quiet"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("エラー: 団体コード「013456」"),
        "errors are printed even when quiet"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["written"], false);
    assert!(json["errors"].as_u64().unwrap() >= 1);
}
