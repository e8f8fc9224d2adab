#!/usr/bin/env python3
"""Synthetic content for benchmarks: valid banso content at any scale, and the same reports as
a Hugo site and as a Zola site.

Everything generated here is SYNTHETIC: invented teams, members and reports spread over the
real 1,741 municipalities (codes and populations from data/municipalities-jp.csv). Nothing here
describes a real team or a real person.

    benches/generate.py --reports 10000 --banso /tmp/b/content --hugo /tmp/b/hugo --zola /tmp/b/zola
"""
from __future__ import annotations

import argparse
import csv
import math
import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MINISTRIES = ["内閣官房", "内閣府", "総務省", "財務省", "文部科学省", "厚生労働省", "農林水産省",
              "経済産業省", "国土交通省", "環境省", "防衛省", "デジタル庁"]
GRADES = ["指定職", "課長級", "企画官・室長級", "補佐級", "係長級"]
AREAS = ["観光", "産業振興", "農林水産業", "まちづくり", "地域交通", "移住・定住", "子育て支援", "防災",
         "デジタル・未来技術", "関係人口の創出"]
KINDS = ["中間報告", "最終報告", "活動報告"]
SUBJECTS = ["地域の観光資源", "商店街の空き店舗", "農産物の販路", "公共交通の再編", "移住者の受入れ", "子育て世帯の支援",
            "防災計画の見直し", "デジタル化の推進", "関係人口の拡大", "地元企業の人材確保", "温泉地の再生", "漁港の活用"]
VERBS = ["整理しました", "洗い出しました", "関係者と話し合いました", "現地で確かめました", "課題を見える化しました",
         "先進地の事例を調べました", "次の一年の目標を決めました", "庁内の体制を見直しました"]
PEOPLE = ["町の担当者", "商工会", "観光協会", "地元の高校生", "農業法人", "交通事業者", "地域おこし協力隊", "金融機関"]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(PEOPLE)}とともに{rng.choice(SUBJECTS)}について{rng.choice(VERBS)}。"


def body(rng: random.Random, i: int) -> str:
    """About 1.5 KB of Markdown: headings, paragraphs, a list and a table."""
    parts = ["## 取組の概要", "".join(sentence(rng) for _ in range(6)), "",
             "## これまでの活動", "".join(sentence(rng) for _ in range(5)), ""]
    parts += [f"- {sentence(rng)}" for _ in range(3)]
    parts += ["", "| 項目 | 回数 |", "| --- | --- |",
              f"| 現地訪問 | {rng.randint(1, 6)} |", f"| オンライン会議 | {rng.randint(5, 40)} |", "",
              "## 今後の予定", "".join(sentence(rng) for _ in range(3)), f"（合成データ {i}）"]
    return "\n".join(parts) + "\n"


def municipalities() -> list[dict]:
    with open(REPO / "data/municipalities-jp.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def generate(reports: int, per_team: int, banso: Path | None, hugo: Path | None, seed: int = 7,
             zola: Path | None = None) -> None:
    rng = random.Random(seed)
    munis = municipalities()
    teams_needed = math.ceil(reports / per_team)
    per_cohort = min(len(munis), 1700)
    cohorts = max(1, math.ceil(teams_needed / per_cohort))
    if banso:
        write_banso_base(banso, munis)
    if hugo:
        write_hugo_base(hugo)
    if zola:
        write_zola_base(zola)
    made = 0
    for c in range(1, cohorts + 1):
        n_teams = min(per_cohort, teams_needed - (c - 1) * per_cohort)
        chosen = rng.sample(munis, n_teams)
        if banso:
            (banso / f"cohorts/{c}/reports").mkdir(parents=True, exist_ok=True)
            (banso / f"assets/{c}").mkdir(parents=True, exist_ok=True)

        teams_yaml = []
        for t, m in enumerate(chosen, 1):
            members = []
            for _ in range(rng.choice([2, 3, 3])):
                members.append("    - { ministry: %s, grade: %s, name: 合成 %s%d, gender: %s, age: %d, track: %s }" % (
                    rng.choice(MINISTRIES), rng.choice(GRADES), rng.choice("甲乙丙丁"), rng.randint(1, 999),
                    rng.choice(["男性", "女性", "回答しない"]), rng.randint(25, 60), rng.choice(["事務官", "技官"])))
            themes = ", ".join(rng.sample(AREAS, 2))
            teams_yaml.append(f"- number: {t}\n  municipality: \"{m['code']}\"\n  themes: [{themes}]\n  members:\n" + "\n".join(members))
            for r in range(per_team):
                if made >= reports:
                    break
                made += 1
                stem = f"r{c}-{t:04d}-{r}"
                kind = KINDS[r % 3]
                title = f"{m['prefecture']}{m['name']}チーム {kind}（合成 {made}）"
                date = f"{2015 + c}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

                text = body(rng, made)
                if banso:
                    attach = f"/assets/{c}/{stem}.pdf" if r == 0 else "/assets/shared.pdf"
                    (banso / f"cohorts/{c}/reports/{stem}.md").write_text(
                        f"---\nteam: {t}\nkind: {kind}\ntitle: {title}\ndate: {date}\nsummary: {sentence(rng)}\n"
                        f"attachments:\n  - {{ file: {attach}, title: 資料 }}\n---\n{text}", encoding="utf-8")
                    if r == 0:
                        (banso / f"assets/{c}/{stem}.pdf").write_bytes(b"%PDF-1.4\n% synthetic\n")
                if hugo:
                    (hugo / f"content/reports/{c}/{stem}.md").parent.mkdir(parents=True, exist_ok=True)
                    (hugo / f"content/reports/{c}/{stem}.md").write_text(
                        f"---\ntitle: \"{title}\"\ndate: {date}\nprefectures: [\"{m['prefecture']}\"]\n"
                        f"municipality: \"{m['name']}\"\n---\n{text}", encoding="utf-8")
                if zola:
                    (zola / f"content/reports/{c}/{stem}.md").parent.mkdir(parents=True, exist_ok=True)
                    (zola / f"content/reports/{c}/{stem}.md").write_text(
                        f"+++\ntitle = \"{title}\"\ndate = {date}\n[taxonomies]\nprefectures = [\"{m['prefecture']}\"]\n"
                        f"[extra]\nmunicipality = \"{m['name']}\"\n+++\n{text}", encoding="utf-8")
        if zola:
            (zola / f"content/reports/{c}/_index.md").write_text(
                f"+++\ntitle = \"第{c}期\"\nsort_by = \"date\"\ntransparent = true\n+++\n", encoding="utf-8")
        if banso:
            (banso / f"cohorts/{c}/cohort.yaml").write_text(
                f"number: {c}\nfiscal_year: {2015 + c}\nannounce: {2015 + c}-03-27T10:00\n"
                f"period: {{ start: {2015 + c}-04-01, end: {2016 + c}-03-31 }}\n", encoding="utf-8")

            (banso / f"cohorts/{c}/teams.yaml").write_text("\n".join(teams_yaml) + "\n", encoding="utf-8")


def report_file(content: Path, n: int, site: Path | None = None) -> tuple[Path, str]:
    """One generated report, picked by `n` (any number; spread over the cohorts, the same for all
    three trees): its file in banso's content/cohorts/N/reports/ or, given `site`, in that Hugo or
    Zola site's content/reports/N/; and the path of its page (the same in all three)."""
    reports = sorted(content.glob("cohorts/*/reports/*.md"))
    report = reports[(n * 7919) % len(reports)]
    cohort, stem = report.parts[-3], report.stem
    return (site / f"content/reports/{cohort}/{stem}.md" if site else report), f"/reports/{cohort}/{stem}/"

def write_banso_base(root: Path, munis: list[dict]) -> None:
    for d in ["pages", "assets"]:
        (root / d).mkdir(parents=True, exist_ok=True)

    (root / "site.yaml").write_text("# 合成データ（ベンチマーク用）\ntitle: 合成データのサイト\nbase_url: https://bench.example.invalid/\n"
                                    "publisher: 合成データ\nlicense: 試験用\n", encoding="utf-8")
    (root / "ministries.yaml").write_text("".join(f"- {{ name: {m}, id: ministry-{i} }}\n" for i, m in enumerate(MINISTRIES, 1)),
                                          encoding="utf-8")
    (root / "municipalities.yaml").write_text("".join(
        f"- {{ code: \"{m['code']}\", name: {m['name']}, kana: {m['kana']}, population: {m['population']}, "
        f"population_as_of: {m['population_as_of']} }}\n" for m in munis), encoding="utf-8")
    (root / "assets/shared.pdf").write_bytes(b"%PDF-1.4\n% synthetic shared\n")
    (root / "pages/about.md").write_text("---\ntitle: このサイトについて\norder: 1\n---\n合成データのサイトです。\n", encoding="utf-8")


def write_hugo_base(root: Path) -> None:
    (root / "layouts/_default").mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(
        'baseURL = "https://bench.example.invalid/"\nlanguageCode = "ja"\ntitle = "合成データのサイト"\n'
        'hasCJKLanguage = true\n[taxonomies]\n  prefecture = "prefectures"\n', encoding="utf-8")
    page = ('<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>'
            '<nav><a href="{{ "/" | relURL }}">ホーム</a></nav><main>%s</main></body></html>')
    (root / "layouts/_default/single.html").write_text(page % '<h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}'
        ' {{ .Params.municipality }}</p>{{ .Content }}', encoding="utf-8")
    (root / "layouts/_default/list.html").write_text(page % '<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>', encoding="utf-8")
    (root / "layouts/index.html").write_text(page % '<h1>{{ .Site.Title }}</h1><ul>{{ range first 20 .Site.RegularPages.ByDate.Reverse }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul><ul>{{ range .Site.Taxonomies.prefectures }}'
        '<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>', encoding="utf-8")


def write_zola_base(root: Path) -> None:
    """The Hugo site's pages as a Zola site: a page per report, a list per prefecture (taxonomy)
    and per section, the home page with the 20 newest reports and the prefectures."""
    for d in ["templates/prefectures", "content/reports"]:
        (root / d).mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(
        'base_url = "https://bench.example.invalid/"\ntitle = "合成データのサイト"\ndefault_language = "ja"\n'
        'compile_sass = false\nbuild_search_index = false\ntaxonomies = [{ name = "prefectures" }]\n'
        '', encoding="utf-8")
    (root / "content/_index.md").write_text('+++\nsort_by = "date"\n+++\n', encoding="utf-8")
    (root / "content/reports/_index.md").write_text(
        '+++\ntitle = "報告"\nsort_by = "date"\ntransparent = true\n+++\n', encoding="utf-8")
    def page(title: str, main: str) -> str:
        return ('<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>' + title + '</title></head><body>'
                '<nav><a href="{{ get_url(path="/") }}">ホーム</a></nav><main>' + main + '</main></body></html>')
    templates = {
        "page.html": page("{{ page.title }}", '<h1>{{ page.title }}</h1><p>{{ page.date | date(format="%Y-%m-%d") }}'
                             ' {{ page.extra.municipality }}</p>{{ page.content | safe }}'),
        "section.html": page("{{ section.title }}", '<h1>{{ section.title }}</h1><ul>{% for p in section.pages %}'
                                '<li><a href="{{ p.permalink }}">{{ p.title }}</a> {{ p.date | date(format="%Y-%m-%d") }}'
                                '</li>{% endfor %}</ul>'),
        "index.html": page("{{ config.title }}", '<h1>{{ config.title }}</h1><ul>{% for p in section.pages | slice(end=20) %}'
                              '<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>'
                              '{% set t = get_taxonomy(kind="prefectures") %}<ul>{% for term in t.items %}'
                              '<li><a href="{{ term.permalink }}">{{ term.name }}</a> {{ term.pages | length }}</li>'
                              '{% endfor %}</ul>'),
        "prefectures/list.html": page("都道府県", '<ul>{% for term in terms %}<li><a href="{{ term.permalink }}">'
                                         '{{ term.name }}</a> {{ term.pages | length }}</li>{% endfor %}</ul>'),
        "prefectures/single.html": page("{{ term.name }}", '<h1>{{ term.name }}</h1><ul>{% for p in term.pages %}'
                                           '<li><a href="{{ p.permalink }}">{{ p.title }}</a> '
                                           '{{ p.date | date(format="%Y-%m-%d") }}</li>{% endfor %}</ul>'),
    }
    for name, text in templates.items():
        (root / "templates" / name).write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, required=True)
    ap.add_argument("--per-team", type=int, default=3)
    ap.add_argument("--banso", type=Path)
    ap.add_argument("--hugo", type=Path)
    ap.add_argument("--zola", type=Path)
    a = ap.parse_args()
    generate(a.reports, a.per_team, a.banso, a.hugo, zola=a.zola)


if __name__ == "__main__":
    main()
