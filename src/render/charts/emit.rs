//! A chart as a page carries it: [`Renderer::emit_chart`] draws a chart's SVG (wide and narrow)
//! and CSV into the page's folder and gives the view the page shows; the sentences saying which
//! charts a page leaves out, and why. Used by the cohort and prefecture pages.

use super::ChartFrame;
use crate::model::Source;
use crate::render::RenderError;
use crate::render::charts;
use crate::render::data::csvw;
use crate::render::renderer::{Rendered, Renderer};
use crate::render::views::parts::ChartView;
use crate::stats::{Chart, Tally};

/// Where a chart stands: its scope (「第2期」), the page's context, the sources it rests on.
#[derive(Clone, Copy)]
pub(in crate::render) struct Place<'a> {
    pub scope: &'a str,
    pub context: &'a str,
    pub sources: &'a [Source],
}

impl Renderer<'_, '_> {
    /// The line under every chart naming where its numbers come from: the documents the
    /// cohort's records rest on (cohort.yaml `sources`), or without any, the site's records.
    fn source_line(&self, sources: &[Source]) -> String {
        if sources.is_empty() {
            return format!(
                "出典：{}（{}）の公表済みの記録から作成",
                self.p.site.title, self.p.site.publisher
            );
        }
        let cited: Vec<String> = sources.iter().map(Source::citation).collect();
        format!("出典：{}をもとに作成", cited.join("、"))
    }

    /// Write a chart's SVG and CSV into `dir` (a site path ending in `/`) and describe it.
    /// `anchor` makes the chart's element ids unique on its page.
    /// Draw `chart` into `out` (SVG and CSV under `dir`); the view the page shows.
    pub(in crate::render) fn emit_chart(
        &self,
        out: &mut Rendered,
        dir: &str,
        anchor: &str,
        chart: &Chart,
        place: Place<'_>,
    ) -> Result<ChartView, RenderError> {
        let Place {
            scope,
            context,
            sources,
        } = place;
        let source = self.source_line(sources);
        let frame = ChartFrame {
            scope,
            context,
            source: &source,
            license: &self.p.site.license,
        };
        let drawn = charts::svg(chart, &frame);
        let narrow = charts::svg_narrow(chart, &frame);
        let svg = format!("{dir}{}.svg", chart.id.slug());
        let narrow_svg = format!("{dir}{}-narrow.svg", chart.id.slug());
        let csv = format!("{dir}{}.csv", chart.id.slug());
        out.file(svg.clone(), drawn.svg.into_bytes());
        out.file(narrow_svg.clone(), narrow.svg.into_bytes());
        out.file(csv.clone(), charts::csv(chart));
        let mut table = charts::table(chart, scope);
        table.id = anchor.to_string();
        let title = charts::active_title(chart, scope);
        let csvw = csvw_table(chart, &format!("{scope}の{}", chart.subject()), &source);
        Ok(ChartView {
            id: anchor.to_string(),
            title,
            svg,
            csv,
            width: drawn.width,
            height: drawn.height,
            narrow_svg,
            narrow_width: narrow.width,
            narrow_height: narrow.height,
            // Below the wide drawing's width plus the page's side margins, it would be scaled down.
            narrow_below: drawn.width + 31,
            table,
            csvw,
        })
    }

    /// The charts' folder's `csv-metadata.json` (one table group for the CSVs of `views`).
    pub(in crate::render) fn chart_metadata(
        &self,
        out: &mut Rendered,
        dir: &str,
        title: &str,
        views: &mut [ChartView],
    ) -> Result<(), RenderError> {
        if views.is_empty() {
            return Ok(());
        }
        let tables: Vec<csvw::Table> = views.iter_mut().map(|v| std::mem::take(&mut v.csvw)).collect();
        out.file(format!("{dir}{}", csvw::FILE), csvw::metadata(self.p, title, &tables)?);
        Ok(())
    }
}

/// A chart's CSV for CSVW: 区分, then a count column per series in the chart's unit.
fn csvw_table(chart: &Chart, title: &str, source: &str) -> csvw::Table {
    let unit = (chart.unit != crate::stats::Unit::Mixed).then(|| chart.unit.symbol().to_string());
    let mut columns = vec![csvw::Column {
        title: "区分".into(),
        kind: csvw::Kind::Text,
        description: None,
        unit: None,
    }];
    let header = charts::csv_header(chart);
    columns.extend(header.into_iter().skip(1).map(|h| {
        let group = h == charts::GROUP_COLUMN;
        csvw::Column {
            kind: if group { csvw::Kind::Text } else { csvw::Kind::Count },
            unit: if group { None } else { unit.clone() },
            title: h,
            description: None,
        }
    }));
    csvw::Table {
        url: format!("{}.csv", chart.id.slug()),
        title: title.to_string(),
        description: chart.suppressed.clone().or_else(|| chart.note.clone()),
        source: Some(source.trim_start_matches("出典：").to_string()),
        columns,
    }
}

/// What the page does not draw, and why, in words: a breakdown withheld to protect the few
/// people it counts, or one with nothing recorded (no bar of 0 or 未登録 is drawn for it).
pub(in crate::render) fn unshown_sentences(unshown: &[&Chart]) -> Vec<String> {
    let withheld = |c: &&&Chart| c.series.iter().flat_map(|s| &s.values).any(|v| *v == Tally::Suppressed);
    let (secret, unrecorded): (Vec<&Chart>, Vec<&Chart>) = unshown.iter().partition(withheld);
    let names = |charts: &[&Chart]| charts.iter().map(|c| c.subject()).collect::<Vec<_>>().join("、");
    let mut out = Vec::new();
    if !unrecorded.is_empty() {
        out.push(format!(
            "{}は、公表済みの記録から数えられないため、図表を載せていません。",
            names(&unrecorded)
        ));
    }
    // A withheld breakdown says its own reason (「性別が登録されている支援官が10名未満のため…」);
    // one withheld only so that another cannot be worked out says the general one.
    let (own, general): (Vec<&Chart>, Vec<&Chart>) = secret.iter().partition(|c| c.suppressed.is_some());
    out.extend(own.iter().filter_map(|c| c.suppressed.clone()));
    if !general.is_empty() {
        out.push(format!(
            "{}は、人数が少なく一人ひとりがわかるおそれがあるため、内訳を載せていません。",
            names(&general)
        ));
    }
    out
}
