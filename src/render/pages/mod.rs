//! The page families, one file each. Every file is an `impl Renderer` block (see
//! `renderer.rs`) whose entry point `Renderer::all_pages` calls; a family makes its pages'
//! views (`views/`) and hands each to `Renderer::emit` or `Renderer::page`.
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
