use super::svg::wrap;
use super::*;
use crate::stats::Series;

fn chart(values: &[u32], categories: &[&str]) -> Chart {
    Chart {
        id: ChartId::Ministry,
        unit: crate::stats::Unit::People,
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
    // A tie is said as one, never as 「…など」 that hides who shares it.
    let c = chart(&[5, 2, 5], &["課長級", "係長級", "補佐級"]);
    assert_eq!(
        active_title(&c, "第2期"),
        "第2期の支援官の所属府省庁等：課長級、補佐級が各5名で最多"
    );
    let c = chart(&[1, 1, 1, 1], &["A省", "B省", "C省", "D省"]);
    assert_eq!(
        active_title(&c, "第2期"),
        "第2期の支援官の所属府省庁等：A省、B省など4区分が各1名で最多"
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
        s.contains("<desc id=\"chart-desc\">第2期（令和8年度）。n＝64名。内閣官房 24名（37.5%）、国土交通省 40名（62.5%）。出典：試験</desc>")
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

#[test]
fn wrapping_keeps_numbers_and_marks_with_their_words() {
    // 18 px per full-width character, room for 17: the plain break would split 「1」 from 「万人」.
    let lines = wrap(
        "第2期の人口規模別の伴走支援自治体数：1万人以上3万人未満が30市町村で最多",
        18.0,
        308.0,
    );
    assert!(
        lines.iter().all(|l| !l.starts_with('万') && !l.starts_with('・')),
        "{lines:?}"
    );
    assert_eq!(
        lines.concat(),
        "第2期の人口規模別の伴走支援自治体数：1万人以上3万人未満が30市町村で最多"
    );
    // 「14.3%」 and 「3万人」 stay whole.
    let lines = wrap("あいうえおかきく14.3%けこ", 10.0, 99.0);
    assert!(lines.iter().any(|l| l.contains("14.3%")), "{lines:?}");
    let lines = wrap("あいうえおかき3万人けこ", 10.0, 10.0 * 9.0);
    assert!(lines.iter().any(|l| l.contains("3万人")), "{lines:?}");
    let lines = wrap("地域別の伴走支援自治体数：九州・沖縄", 18.0, 18.0 * 15.0);
    assert_eq!(lines, ["地域別の伴走支援自治体数：九", "州・沖縄"]);
}

#[test]
fn shares_round_half_up_to_one_decimal() {
    assert_eq!(share(40, 279), "14.3%"); // 14.337
    assert_eq!(share(1, 8), "12.5%");
    assert_eq!(share(1, 3), "33.3%");
    assert_eq!(share(2, 3), "66.7%");
    assert_eq!(share(1, 2000), "0.1%"); // 0.05 rounds up
    assert_eq!(share(279, 279), "100.0%");
}

#[test]
fn a_breakdown_carries_n_and_shares_in_chart_and_table() {
    let c = chart(&[24, 40, 16], &["内閣官房", "国土交通省", "未登録"]);
    assert_eq!(n_text(&c), "n＝80名");
    assert_eq!(value_text(&c, 0, 1), "40名（50.0%）");
    let s = svg(&c, &frame()).svg;
    assert!(s.contains("n＝80名"), "n under the title");
    assert!(s.contains(">24名（30.0%）<") && s.contains(">16名（20.0%）<"));
    let t = table(&c, "第2期");
    assert_eq!(t.head, ["区分", "支援官", "構成比"]);
    assert_eq!(t.rows[0], ["内閣官房", "24名", "30.0%"]);
    assert_eq!(t.rows.last().unwrap(), &["計", "80名", "100.0%"]);
    // A withheld value leaves the total unknown: no shares, no n.
    let mut c = c;
    c.series[0].values[0] = Tally::Suppressed;
    assert_eq!(n_text(&c), "");
    assert_eq!(table(&c, "第2期").head, ["区分", "支援官"]);
    assert!(!svg(&c, &frame()).svg.contains('%'));
}

#[test]
fn the_narrow_drawing_fits_a_phone_with_text_of_twelve_px_or_more() {
    let c = chart(&[24, 40, 2], &["内閣官房", "国土交通省", "デジタル庁"]);
    let d = svg_narrow(&c, &frame());
    assert_eq!(d.width, 340);
    assert!(d.svg.contains("width=\"340\""));
    let sizes: Vec<f64> = d
        .svg
        .split("font-size=\"")
        .skip(1)
        .map(|t| t[..t.find('"').unwrap()].parse().unwrap())
        .collect();
    assert!(sizes.len() >= 8, "{sizes:?}");
    assert!(sizes.iter().all(|px| *px >= 12.0), "{sizes:?}");
    for text in [">内閣官房<", ">40名（60.6%）<", ">出典：試験<"] {
        assert!(d.svg.contains(text), "{text} missing");
    }
}
