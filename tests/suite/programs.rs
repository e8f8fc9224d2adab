//! Other national 伴走支援 (programs/): a municipality's page lists every published support it
//! receives, across programmes; a held programme leaves no trace.

use crate::common::{Site, ok, readable};

const AS_OF: &str = "2026-11-23";

fn with_programs() -> Site {
    let site = Site::fixture("basic");
    let munis = site.read("municipalities.yaml");
    site.write(
        "municipalities.yaml",
        &format!("{munis}- {{ code: \"023035\", name: 今別町, kana: いまべつまち, population: 2096 }}\n"),
    );
    site.write(
        "programs/digital-2025.yaml",
        "name: 架空のデジタル伴走支援\nfiscal_year: 2025\nsummary: 試験用の架空の事業です。\nurl: https://example.invalid/digital/\nsupport:\n  - type: 類型① 単独枠\n    municipalities: [\"032034\"]\n  - type: 類型③ 広域枠\n    group: 北海道の2町\n    municipalities: [\"013455\", \"014079\"]\n",
    );
    site.write(
        "programs/secret-2027.yaml",
        "name: 秘密の事業SECRETPROGRAM\nfiscal_year: 2027\nrelease: 2027-04-01T10:00\nsupport:\n  - type: 類型X 秘密枠HIDDENKIND\n    municipalities: [\"023035\", \"013455\"]\n",
    );
    site
}

#[test]
fn a_municipality_in_both_programmes_shows_both() {
    let site = with_programs();
    let munis = site.read("municipalities.yaml");
    site.write(
        "municipalities.yaml",
        &format!("{munis}- {{ code: \"014079\", name: 仁木町 }}\n"),
    );
    ok(&site.build(AS_OF));
    let page = site.page("municipalities/013455/index.html");
    let text = page.main_text();
    assert!(text.contains("地方創生伴走支援制度 第1期 チーム1"), "{text}");
    assert!(text.contains("架空のデジタル伴走支援 （令和7年度）"), "{text}");
    assert!(text.contains("類型③ 広域枠（北海道の2町）"), "{text}");
    assert_eq!(
        page.attrs("main a[href*='programs/']", "href"),
        ["../../programs/digital-2025/"]
    );
    let description = page.attrs("meta[name=description]", "content");
    assert_eq!(
        description,
        [
            "北海道森町が受けている国の伴走支援：地方創生伴走支援制度 第1期 チーム1（総務省・公正取引委員会・防衛省）、架空のデジタル伴走支援（令和7年度）。"
        ]
    );

    // A municipality with only the other programme's support gets a page too.
    let ofunato = site.page("municipalities/032034/index.html").main_text();
    assert!(
        ofunato.contains("類型① 単独枠") && !ofunato.contains("チーム"),
        "{ofunato}"
    );
    let prefecture = site.page("prefectures/iwate/index.html").main_text();
    assert!(
        prefecture.contains("関連する伴走支援") && prefecture.contains("岩手県大船渡市"),
        "{prefecture}"
    );
    let program = site.page("programs/digital-2025/index.html");
    assert_eq!(
        program.texts("main section h3"),
        ["類型① 単独枠", "類型③ 広域枠：北海道の2町"]
    );
    assert_eq!(
        program.attrs("main a[href^='http']", "href"),
        ["https://example.invalid/digital/"]
    );

    let csv = String::from_utf8(site.output_file("data/programs.csv")).unwrap();
    assert!(
        csv.contains("032034,岩手県,大船渡市,架空のデジタル伴走支援,2025,類型① 単独枠,\r\n"),
        "{csv}"
    );
    let municipalities = String::from_utf8(site.output_file("data/municipalities.csv")).unwrap();
    assert!(
        !municipalities.contains("032034"),
        "municipalities.csv stays the list of this programme's support"
    );
}

#[test]
fn a_held_programme_leaves_no_trace() {
    let site = with_programs();
    let munis = site.read("municipalities.yaml");
    site.write(
        "municipalities.yaml",
        &format!("{munis}- {{ code: \"014079\", name: 仁木町 }}\n"),
    );
    ok(&site.build(AS_OF));
    assert!(
        !site.out().join("municipalities/023035").exists(),
        "today only the held programme supports 今別町"
    );
    for (path, bytes) in site.output_tree() {
        let text = String::from_utf8_lossy(&readable(&bytes)).into_owned();
        for word in [
            "SECRETPROGRAM",
            "HIDDENKIND",
            "今別",
            "いまべつ",
            "023035",
            "secret-2027",
        ] {
            assert!(!text.contains(word) && !path.contains(word), "{word} in {path}");
        }
    }
    let holdback = site.holdback(AS_OF, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&holdback.stdout).unwrap();
    let held: Vec<_> = json["held"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "program")
        .collect();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0]["id"], "programs/secret-2027.yaml");
    assert_eq!(held[0]["release"], "2027-04-01T10:00:00+09:00");

    ok(&site.build("2027-04-01T10:00"));
    let page = site.page("municipalities/023035/index.html").main_text();
    assert!(
        page.contains("秘密の事業SECRETPROGRAM") && page.contains("類型X 秘密枠HIDDENKIND"),
        "{page}"
    );
}

#[test]
fn programme_records_are_validated() {
    let site = Site::fixture("basic");
    site.write(
        "programs/bad.yaml",
        "name: 事業\nfiscal_year: 7\nurl: www.example.jp\nsupport:\n  - type: 枠\n    municipalities: [\"013456\", \"224618\", \"224618\"]\n    region: 北海道\n",
    );
    let o = site.check(AS_OF);
    assert_eq!(o.status.code(), Some(1));
    let err = crate::common::stderr(&o);
    assert!(
        err.contains("--> programs/bad.yaml:2:14") && err.contains("年度 7 は西暦の年度ではありません"),
        "{err}"
    );
    assert!(
        err.contains("--> programs/bad.yaml:3:6") && err.contains("http(s):// で始まっていません"),
        "{err}"
    );
    assert!(
        err.contains("--> programs/bad.yaml:6:22") && err.contains("団体コード「013456」の検査数字"),
        "{err}"
    );
    assert!(
        err.contains("--> programs/bad.yaml:6:42") && err.contains("同じ枠に二度"),
        "{err}"
    );
    assert!(
        err.contains("--> programs/bad.yaml:7:5") && err.contains("不明な項目「region」"),
        "{err}"
    );
}
