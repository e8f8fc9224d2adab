use super::svg::wrap;
use super::*;
use crate::stats::Series;

fn chart(values: &[u32], categories: &[&str]) -> Chart {
    Chart {
        id: ChartId::Ministry,
        unit: "名",
        categories: categories.iter().map(|c| c.to_string()).collect(),
        series: vec![Series {
            name: "支援官".into(),
            values: values.iter().map(|n| Tally::Count(*n)).collect(),
        }],
        suppressed: None,
        note: None,
        counted_at: None,
    }
}

fn frame() -> ChartFrame<'static> {
    ChartFrame {
        scope: "第2期",
        context: "第2期（令和8年度）",
        source: "出典：試験",
        license: "政府標準利用規約（第2.0版）",
    }
}

#[test]
fn titles_say_what_the_chart_shows() {
    let c = chart(&[24, 40, 2], &["内閣官房", "国土交通省", "未登録"]);
    assert_eq!(
        active_title(&c, "第2期"),
        "第2期の支援官の所属府省庁等：国土交通省が40名で最多"
    );
    let c = chart(&[0, 0, 279], &["男性", "女性", "未登録"]);
    assert_eq!(
        active_title(&c, "第2期"),
        "第2期の支援官の所属府省庁等：279名とも未登録"
    );
}

#[test]
fn svg_carries_text_title_desc_and_values() {
    let c = chart(&[24, 40], &["内閣官房", "国土交通省"]);
    let s = svg(&c, &frame()).svg;
    assert!(s.starts_with("<svg "), "{}", &s[..80]);
    assert!(s.contains("role=\"img\""));
    assert!(s.contains("<title id=\"chart-title\">第2期の支援官の所属府省庁等：国土交通省が40名で最多</title>"));
    assert!(
        s.contains("<desc id=\"chart-desc\">第2期（令和8年度）。内閣官房 24名、国土交通省 40名。出典：試験</desc>")
    );
    for text in [
        ">内閣官房",
        ">国土交通省",
        ">24名",
        ">40名",
        ">出典：試験",
        ">政府標準利用規約（第2.0版）",
    ] {
        assert!(s.contains(text), "{text} missing");
    }
    assert!(
        s.contains("<style>text{font-family:Hiragino Sans"),
        "system fonts with Japanese glyphs"
    );
    assert_eq!(s, svg(&c, &frame()).svg, "same numbers, same bytes");
}

#[test]
fn a_withheld_chart_shows_no_number_anywhere() {
    let mut c = chart(&[3, 2, 4], &["男性", "女性", "未登録"]);
    c.id = ChartId::Gender;
    for v in &mut c.series[0].values {
        *v = Tally::Suppressed;
    }
    c.suppressed = Some("対象の支援官が10名未満のため、内訳は表示していません。".into());
    let s = svg(&c, &frame()).svg;
    assert!(s.contains("10名未満のため"));
    assert!(!s.contains(">3名") && !s.contains(">2名"));
    assert_eq!(
        String::from_utf8(csv(&c)).unwrap(),
        "\u{feff}区分,支援官（名）\r\n男性,秘匿\r\n女性,秘匿\r\n未登録,秘匿\r\n"
    );
    assert_eq!(table(&c, "第2期").rows[0], ["男性", "秘匿"]);
    assert_eq!(to_json(&c, "第2期")["series"][0]["values"], json!([null, null, null]));
}

#[test]
fn long_titles_wrap() {
    assert_eq!(wrap("あいうえおかきくけこ", 10.0, 50.0), ["あいうえお", "かきくけこ"]);
}
