//! Each build says which files it added, changed and removed against the output it replaced,
//! so an upload sends only those.

use crate::common::{Site, stdout, tree};
use serde_json::Value;

fn json_build(site: &Site, as_of: &str) -> Value {
    let o = site.build_with(as_of, &["--format", "json", "--quiet"]);
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

fn list(v: &Value, key: &str) -> Vec<String> {
    v["changes"][key]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_change_lists_match_a_comparison_of_the_two_trees() {
    let site = Site::fixture("embargo");
    let first = json_build(&site, "2026-05-01");
    let a = tree(&site.out());
    assert_eq!(
        list(&first, "added").len(),
        a.len() - 1,
        "into nothing, every file is added"
    );
    assert!(list(&first, "changed").is_empty() && list(&first, "removed").is_empty());

    // Team 3 of 第1期 is published at 2026-06-01 10:00: pages change, its town's page is added.
    let second = json_build(&site, "2026-06-01T10:00");
    let b = tree(&site.out());
    let [added, changed, removed] = crate::common::tree_changes(&a, &b);
    assert_eq!(list(&second, "added"), added);
    assert_eq!(list(&second, "changed"), changed);
    assert_eq!(list(&second, "removed"), removed);
    assert!(
        added.contains(&"municipalities/473821/index.html".to_string()),
        "{added:?}"
    );
    assert!(
        changed.contains(&"cohorts/1/teams/index.html".to_string()),
        "{changed:?}"
    );

    // Back to before the release (a content rollback): the town's page goes again.
    let third = json_build(&site, "2026-05-01");
    assert!(list(&third, "removed").contains(&"municipalities/473821/index.html".to_string()));
    let [added, changed, removed] = crate::common::tree_changes(&b, &tree(&site.out()));
    assert_eq!(
        (list(&third, "added"), list(&third, "changed"), list(&third, "removed")),
        (added, changed, removed)
    );

    // The same content and as-of again: nothing to upload.
    let again = json_build(&site, "2026-05-01");
    for key in ["added", "changed", "removed"] {
        assert!(list(&again, key).is_empty(), "{key}: {:?}", list(&again, key));
    }
    let text = crate::common::ok(&site.build("2026-05-01"));
    assert!(
        text.contains("前回の出力から 追加 0・変更 0・削除 0 ファイル"),
        "{text}"
    );
}
