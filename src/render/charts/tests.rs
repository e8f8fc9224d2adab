use super::svg::wrap;
use super::*;
use crate::stats::Series;

fn chart(values: &[u32], categories: &[&str]) -> Chart {
    Chart {
        id: ChartId::Ministry,
        unit: crate::stats::Unit::People,
        categories: categories.iter().map(|c| c.to_string()).collect(),
        groups: Vec::new(),
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
fn a_tie_is_said_as_a_tie() {
    let grades = ["指定職", "課長級", "企画官・室長級", "補佐級", "係長級"];
    let title = |values: &[u32]| active_title(&chart(values, &grades), "長野県・第2期");
    assert_eq!(
        title(&[0, 5, 2, 5, 0]),
        "長野県・第2期の支援官の所属府省庁等：課長級と補佐級が各5名で最多"
    );
    assert_eq!(
        title(&[1, 3, 3, 3, 0]),
        "長野県・第2期の支援官の所属府省庁等：課長級、企画官・室長級、補佐級が各3名で最多"
    );
    assert_eq!(
        title(&[2, 2, 2, 2, 1]),
        "長野県・第2期の支援官の所属府省庁等：指定職、課長級、企画官・室長級など4区分が各2名で最多"
    );
    assert_eq!(
        title(&[0, 0, 0, 1, 1]),
        "長野県・第2期の支援官の所属府省庁等：補佐級と係長級が各1名",
        "where every category with a count ties, none is the most"
    );
    assert_eq!(
        title(&[0, 0, 0, 4, 0]),
        "長野県・第2期の支援官の所属府省庁等：補佐級が4名で最多"
    );
}

fn grouped() -> Chart {
    let mut c = chart(&[24, 40, 1, 1], &["内閣官房", "国土交通省", "日本郵便", "北海道大学"]);
    c.groups = vec![
        crate::stats::CategoryGroup {
            name: "府省庁等".into(),
            len: 2,
        },
        crate::stats::CategoryGroup {
            name: "オフィサー出向先等".into(),
            len: 2,
        },
    ];
    c
}

#[test]
fn groups_show_apart_with_subtotals_in_table_svg_and_json_and_as_a_column_in_csv() {
    let c = grouped();
    let t = table(&c, "第2期");
    let shape: Vec<_> = t
        .groups
        .iter()
        .map(|g| (g.heading.clone(), g.rows.len(), g.subtotal.clone()))
        .collect();
    assert_eq!(
        shape,
        [
            (
                Some("府省庁等（2）".to_string()),
                2,
                Some(vec!["小計".to_string(), "64名".into(), "97.0%".into()])
            ),
            (
                Some("オフィサー出向先等（2）".to_string()),
                2,
                Some(vec!["小計".to_string(), "2名".into(), "3.0%".into()])
            ),
            (None, 1, None),
        ]
    );
    assert_eq!(t.groups[2].rows[0], ["計", "66名", "100.0%"]);

    let csv = String::from_utf8(csv(&c)).unwrap();
    assert_eq!(
        csv.trim_start_matches('\u{feff}').lines().collect::<Vec<_>>(),
        [
            "区分,分類,支援官（名）",
            "内閣官房,府省庁等,24",
            "国土交通省,府省庁等,40",
            "日本郵便,オフィサー出向先等,1",
            "北海道大学,オフィサー出向先等,1",
        ],
        "one header row, one category a row: no subtotal row to double a column's sum"
    );

    let json = to_json(&c, "第2期");
    assert_eq!(
        json["groups"],
        serde_json::json!([
            {"name": "府省庁等", "categories": 2, "subtotals": [64]},
            {"name": "オフィサー出向先等", "categories": 2, "subtotals": [2]},
        ])
    );
    assert!(to_json(&chart(&[1], &["内閣官房"]), "第2期").get("groups").is_none());

    for s in [svg(&c, &frame()).svg, svg_narrow(&c, &frame()).svg] {
        assert!(s.contains(">府省庁等（2）　小計 64名（97.0%）</text>"), "{s}");
        assert!(s.contains(">オフィサー出向先等（2）　小計 2名（3.0%）</text>"), "{s}");
        assert!(
            s.contains("<desc id=\"chart-desc\">第2期（令和8年度）。n＝66名。府省庁等（2）、小計 64名（97.0%）：内閣官房 24名（36.4%）、国土交通省 40名（60.6%）。オフィサー出向先等（2）、小計 2名（3.0%）：日本郵便 1名（1.5%）、北海道大学 1名（1.5%）。出典：試験</desc>"),
            "{s}"
        );
    }
}

#[test]
fn a_long_label_wraps_above_its_bar_on_a_phone_and_stays_whole_beside_it() {
    let name = "国立研究開発法人新エネルギー・産業技術総合開発機構";
    let c = chart(&[40, 1], &["国土交通省", name]);
    let narrow = svg_narrow(&c, &frame()).svg;
    assert!(!narrow.contains(&format!(">{name}</text>")), "{narrow}");
    // Broken after the phrase 「…エネルギー・」, not before 「機構」 alone.
    assert!(narrow.contains(">国立研究開発法人新エネルギー・</text>"), "{narrow}");
    assert!(narrow.contains(">産業技術総合開発機構</text>"), "{narrow}");
    assert!(svg(&c, &frame()).svg.contains(&format!(">{name}</text>")));
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
    assert_eq!(table(&c, "第2期").groups[0].rows[0], ["男性", "秘匿"]);
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
    // A line ends after a phrase near its end, not inside the next word (「：九／州」).
    let lines = wrap("地域別の伴走支援自治体数：九州・沖縄", 18.0, 18.0 * 15.0);
    assert_eq!(lines, ["地域別の伴走支援自治体数：", "九州・沖縄"]);
    let lines = wrap("あいうえおかきくけこの九州", 10.0, 120.0);
    assert_eq!(lines, ["あいうえおかきくけこの", "九州"]);
    // With no phrase end in the last half of the line, the plain break.
    assert_eq!(wrap("あいうえおかきくけこ", 10.0, 50.0), ["あいうえお", "かきくけこ"]);
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
    assert_eq!(t.groups[0].rows[0], ["内閣官房", "24名", "30.0%"]);
    assert_eq!(t.groups[0].rows.last().unwrap(), &["計", "80名", "100.0%"]);
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

/// Each `<text>` of `svg` with its estimated left and right edges (every text is drawn
/// anchored at its start).
fn text_extents(svg: &str) -> Vec<(String, f64, f64)> {
    svg.split("<text ")
        .skip(1)
        .map(|t| {
            let (tag, rest) = t.split_at(t.find('>').unwrap());
            let tag = format!(" {tag}");
            let attr = |name: &str| -> f64 {
                let v = &tag[tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3..];
                v[..v.find('"').unwrap()].parse().unwrap()
            };
            assert!(tag.contains(" text-anchor=\"start\""), "{t}");
            let body = &rest[1..rest.find("</text>").unwrap()];
            let text = body.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
            let x = attr("x");
            let w = super::svg::text_width(&text, attr("font-size"));
            (text, x, x + w)
        })
        .collect()
}

fn assert_within_phone(c: &Chart) {
    let d = svg_narrow(c, &frame());
    assert_eq!(d.width, 340);
    let extents = text_extents(&d.svg);
    assert!(extents.len() > 6, "{extents:?}");
    for (text, from, to) in extents {
        assert!(
            from >= 0.0 && to <= 340.0,
            "「{text}」 spans {from:.0}..{to:.0}, past the 340 px drawing"
        );
    }
}

#[test]
fn every_text_of_the_narrow_drawing_stays_within_a_phone() {
    // 27 characters, then a value far above the others.
    let long = "国立研究開発法人新エネルギー・産業技術総合開発機構本部";
    assert_eq!(long.chars().count(), 27);
    let c = chart(&[123_456, 3], &[long, "国土交通省"]);
    assert_within_phone(&c);
    // Two series, so each value label names its series: 「伴走支援 123,456名（97.8%）」.
    let mut two = c.clone();
    two.series.insert(
        0,
        Series {
            name: "応募のあった自治体".into(),
            values: vec![Tally::Count(98_765), Tally::Count(2)],
        },
    );
    assert_within_phone(&two);
    // Latin capitals are wider than digits: a name with an abbreviation in it.
    let latin = chart(
        &[40, 1],
        &["WWW MMM", "独立行政法人国際協力機構（JICA）MOMOWOWOWMWMWMWM"],
    );
    assert_within_phone(&latin);
}
