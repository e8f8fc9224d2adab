//! The command line of SPEC §1 (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::model::urls::BaseUrl;
use crate::time::Instant;

#[derive(Debug, Parser)]
#[command(
    name = "banso",
    version,
    about = "地方創生伴走支援制度の公開サイトを作る静的サイトジェネレータ"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// content/ からサイトを作り、出力先に書き出す
    Build(BuildArgs),
    /// content/ を検証する（何も書き出さない）
    Check(CheckArgs),
    /// 公表待ちのものと、次の公表日時を一覧にする
    Holdback(HoldbackArgs),
    /// 確認用のサーバーを 127.0.0.1 で動かし、変更のたびに作り直す（何も書き出さない）
    Serve(ServeArgs),
    /// 二つの時刻のサイトを比べ、公表で変わるページと文を示す（何も書き出さない）
    Diff(DiffArgs),
    /// 公表日時のサイトを前もって作って待ち、その時刻ちょうどに出力と入れ替える
    Release(ReleaseArgs),
    /// Excel などから書き出した名簿を取り込む
    #[command(subcommand)]
    Import(ImportCommand),
    /// (内部用) 名簿のブックを上限つきの子プロセスで読む
    #[command(name = "__read-workbook", hide = true)]
    ReadWorkbook(ReadWorkbookArgs),
}

/// The child process of `import teams` that reads a workbook within its bounds
/// (`import::workbook`).
#[derive(Debug, Args)]
pub struct ReadWorkbookArgs {
    #[arg(long)]
    pub sheet: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// コンテンツのフォルダ
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// テーマのフォルダ（省略時は組み込みの既定テーマ）
    #[arg(long)]
    pub theme: Option<PathBuf>,
    /// 待ち受けるポート（0 なら空いているポート）
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// この時刻に公表済みのものだけを表示する（既定は現在時刻で、公表日時が来ると作り直す）
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub as_of: Option<Instant>,
    /// 公表前のものも含めた非公開プレビューを表示する
    #[arg(long)]
    pub preview: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// 伴走支援チームの名簿（Excel・.ods のブック、または CSV・TSV）を cohorts/<期>/teams.yaml に取り込む（性別・年齢・事務官/技官は期の人数として cohort.yaml に）
    Teams(ImportTeamsArgs),
}

#[derive(Debug, Args)]
pub struct ImportTeamsArgs {
    /// 名簿のファイル: Excel（.xlsx .xlsm .xls）、.ods、CSV・TSV（列: 市町村名、所属府省庁、役職。氏名、職名、団体コード、都道府県、継続、課題分野、性別、年齢、事務官・技官もあれば使う）
    pub file: PathBuf,
    /// 期の番号（第2期なら 2）
    #[arg(long)]
    pub cohort: u32,
    /// ブックのうち読むシートの名前（既定: 見出しのある最初のシート）
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// 性別・年齢・事務官/技官を期の人数（cohort.yaml）でなく一人ひとりの値として teams.yaml に書く（都道府県別の内訳に必要）
    #[arg(long)]
    pub keep_attributes: bool,
    /// 名簿にないチームのうち、まだ公表していないものを teams.yaml から消す（公表済みのチームがあれば取り込まない）
    #[arg(long)]
    pub complete: bool,
    /// 取り込みの時刻（既定は現在時刻）。名簿から消えた支援官の離任日と、新しく加わった支援官の公表日時になる
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub as_of: Option<Instant>,
    /// 前回公開したサイトの出力フォルダ（または その data/summary.json）。すでに公表したものを確かめる
    #[arg(long, value_name = "DIR|summary.json", default_value = "output")]
    pub previous: PathBuf,
    /// コンテンツのフォルダ
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
}

/// Output format of `holdback`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct HoldbackArgs {
    /// コンテンツのフォルダ
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// この時刻より後に公表されるものを一覧にする（既定は現在時刻）
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub as_of: Option<Instant>,
    /// 出力の形式
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 比べる前の時刻（既定は現在時刻）
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub from: Option<Instant>,
    /// 比べる後の時刻（既定は --from の次の公表日時）
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub to: Option<Instant>,
    /// リンク先だけが変わるページや、変わる行をすべて示す（既定は要約）
    #[arg(long)]
    pub full: bool,
    /// 出力の形式
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ReleaseArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 出力先のフォルダ
    #[arg(long, default_value = "output")]
    pub output: PathBuf,
    /// 公表する時刻、または next（次の公表日時）
    #[arg(long, value_parser = parse_release_at, value_name = "TIME|next")]
    pub at: ReleaseAt,
    /// 公表で現れるページの URL も表示する（記録に残る場所では使わない）
    #[arg(long)]
    pub verbose: bool,
}

/// What a site is made from, the same for build, diff and release: the content, the theme and
/// the address it is built for.
#[derive(Debug, Args, Clone)]
pub struct SiteArgs {
    /// コンテンツのフォルダ
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// テーマのフォルダ（省略時は組み込みの既定テーマ）
    #[arg(long)]
    pub theme: Option<PathBuf>,
    /// site.yaml の base_url の代わりに使う URL（https:// から）
    #[arg(long, value_parser = parse_base_url, value_name = "URL")]
    pub base_url: Option<BaseUrl>,
}

/// `--at`: an instant, or the next release instant after now.
#[derive(Debug, Clone, Copy)]
pub enum ReleaseAt {
    Next,
    At(Instant),
}

fn parse_release_at(s: &str) -> Result<ReleaseAt, String> {
    if s == "next" {
        Ok(ReleaseAt::Next)
    } else {
        parse_time(s).map(ReleaseAt::At)
    }
}

fn parse_time(s: &str) -> Result<Instant, String> {
    Instant::parse(s).map_err(|e| e.0)
}

fn parse_base_url(s: &str) -> Result<BaseUrl, String> {
    BaseUrl::parse(s).map_err(|why| format!("{}。{}", BaseUrl::refusal(s, why), BaseUrl::HELP))
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 出力先（既定は output、--preview では output-preview）
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// この時刻に公表済みのものだけを載せる（既定は現在時刻。日本時間）
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub as_of: Option<Instant>,
    /// 公表前のものも含めた非公開プレビューを作る
    #[arg(long)]
    pub preview: bool,
    /// サイト内検索（検索ページ、ヘッダーの検索欄、検索索引）を作らない。大きなサイトの下書き確認が速くなる
    #[arg(long)]
    pub no_search: bool,
    /// ページ（HTML）、CSS、JavaScript を縮小して書き出す（site.yaml の minify: true と同じ。検索索引は縮小前のページから作る）
    #[arg(long)]
    pub minify: bool,
    /// 誤りのほかは何も表示しない
    #[arg(long, short)]
    pub quiet: bool,
    /// 結果の形式（json はスクリプト向けに標準出力へ）
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// コンテンツのフォルダ
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// この時刻で公表の可否を判断する（既定は現在時刻）
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub as_of: Option<Instant>,
    /// 警告があるときも終了コード 1 にする
    #[arg(long)]
    pub deny_warnings: bool,
    /// テーマのフォルダ（テンプレートの誤りも検査する）
    #[arg(long)]
    pub theme: Option<PathBuf>,
}
