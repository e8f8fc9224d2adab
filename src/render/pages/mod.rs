//! The page families, one file each, and [`Renderer::all_pages`], the list of them: a new family
//! is a file here, a line below, its view and template (`views/`). Every file is an
//! `impl Renderer` block (see `renderer.rs`); a family makes its pages' views and hands each to
//! `Renderer::emit` or `Renderer::page`, with the published records it is made from.
//!
//! - `home.rs` — the top page and its お知らせ
//! - `fixed.rs` — the pages from pages/, the 404 page, the search page, the data page
//! - `cohort.rs` — /cohorts/ and a page per cohort with its charts
//! - `team_list.rs` — /cohorts/N/teams/, a cohort's team list
//! - `prefecture.rs` — /prefectures/, a page per prefecture with its files, the tile map
//! - `municipality.rs` — a page per municipality (/municipalities/CODE/)
//! - `ministry.rs` — /ministries/ and a page per 府省庁等
//! - `issue_area.rs` — /themes/ and a page per 課題分野
//! - `report.rs` — /reports/ (paged) and a page per report
//! - `program.rs` — /programs/ and a page per related programme

mod cohort;
mod fixed;
mod home;
mod issue_area;
mod ministry;
mod municipality;
mod prefecture;
mod program;
mod report;
mod team_list;

use super::RenderError;
use super::renderer::Renderer;

impl Renderer<'_, '_> {
    /// Every page family, in the order they are made.
    pub(in crate::render) fn all_pages(&mut self) -> Result<(), RenderError> {
        crate::timing::timed("  home", || self.home())?;
        self.free_pages()?;
        // The cohorts, each with its team list (`pages/team_list.rs`).
        crate::timing::timed("  cohorts", || self.cohorts())?;
        crate::timing::timed("  prefectures", || self.prefectures())?;
        crate::timing::timed("  municipalities", || self.municipalities())?;
        crate::timing::timed("  reports", || self.reports())?;
        crate::timing::timed("  areas", || self.areas())?;
        crate::timing::timed("  ministries", || self.ministries())?;
        crate::timing::timed("  programs", || self.programs())?;

        self.data_page()?;
        self.not_found()
    }
}
