//! The child process a workbook is read in: `banso __read-workbook` lowers its own memory and
//! processor limits, reads the workbook on stdin and answers on stdout (see the parent module).

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::{CPU_BOUND, FILE_BOUND, Failure, MEMORY_BOUND, read_here};
use crate::import::ImportError;
use crate::import::grid::SheetCells;

/// What the child process writes on stdout.
pub(super) type Answer = Result<Vec<SheetCells>, Failure>;

/// Read in a child process running `exe __read-workbook` with the bounds; a child that dies
/// (an allocation refused by its memory bound aborts it; its processor bound kills it) is a
/// refusal that says which bound, never a crash of this process.
pub(super) fn read_in_child(
    exe: &Path,
    bytes: &[u8],
    path: &Path,
    sheet: Option<&str>,
) -> Result<Vec<SheetCells>, ImportError> {
    let io = |e: std::io::Error| ImportError::Io(exe.to_path_buf(), e);
    let mut command = Command::new(exe);
    command.arg(CHILD_COMMAND);
    if let Some(name) = sheet {
        command.arg("--sheet").arg(name);
    }
    // The allocator would reserve a gigabyte of address space at its first allocation, before
    // the child can lower its limits; a small first reservation keeps the limit on what is used.
    command.env("MIMALLOC_ARENA_RESERVE", "16MiB");
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(io)?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let answer = std::thread::scope(|s| {
        // Written while the answer is read, so neither side waits on a full pipe. A child that
        // dies early closes the pipe; the write error is then the child's, reported below.
        s.spawn(move || {
            let _ = stdin.write_all(bytes);
        });
        let mut out = Vec::new();
        let stdout = child.stdout.take().expect("stdout is piped");
        stdout.take(MEMORY_BOUND).read_to_end(&mut out).map(|_| out)
    });
    let status = child.wait().map_err(io)?;
    let answer = answer.map_err(io)?;
    if !status.success() {
        return Err(ImportError::Bound(path.to_path_buf(), bound_words()));
    }
    match serde_json::from_slice::<Answer>(&answer) {
        Ok(read) => read.map_err(|f| f.into_error(path)),
        Err(e) => Err(ImportError::Workbook(
            path.to_path_buf(),
            format!("読み取った結果を受け取れません（{e}）"),
        )),
    }
}

/// The bounds in the words of a refusal.
fn bound_words() -> String {
    format!("メモリ {} MB・処理時間 {CPU_BOUND} 秒", MEMORY_BOUND >> 20)
}

/// The hidden subcommand the child process runs.
pub const CHILD_COMMAND: &str = "__read-workbook";

/// The child process: lower its own limits, read the workbook on stdin, write the `Answer`
/// as JSON on stdout. Its exit status is 0 whenever it could answer (a refusal included).
pub fn child_main(sheet: Option<&str>) -> i32 {
    if let Err(e) = limit_self() {
        eprintln!("{CHILD_COMMAND}: 上限を設定できません: {e}");
        return 3;
    }
    let mut bytes = Vec::new();
    if std::io::stdin().take(FILE_BOUND + 1).read_to_end(&mut bytes).is_err() {
        return 3;
    }
    let answer: Answer = if bytes.len() as u64 > FILE_BOUND {
        Err(Failure::TooLarge(format!("ファイル（上限 {} MB）", FILE_BOUND >> 20)))
    } else {
        read_here(&bytes, sheet)
    };
    drop(bytes);
    let mut stdout = std::io::stdout().lock();
    match serde_json::to_writer(&mut stdout, &answer).and_then(|()| stdout.flush().map_err(serde_json::Error::io)) {
        Ok(()) => 0,
        Err(_) => 3,
    }
}

/// Lower this process's data and processor limits to the bounds (never raising a lower limit
/// it was started with). The data limit counts heap and private writable mappings, which
/// includes what mimalloc reserves for its arenas: the parent starts the child with a small
/// first reservation (`MIMALLOC_ARENA_RESERVE`), so that the limit bounds what is used rather
/// than what was reserved before it was set (measured: 1 GiB by default, 64 MiB so).
#[cfg(target_os = "linux")]
fn limit_self() -> std::io::Result<()> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    for (resource, bound) in [(Resource::Data, MEMORY_BOUND), (Resource::Cpu, CPU_BOUND)] {
        let now = getrlimit(resource);
        let lowest = |v: Option<u64>| v.map_or(bound, |v| v.min(bound));
        let limit = Rlimit {
            current: Some(lowest(now.current)),
            maximum: Some(lowest(now.maximum)),
        };
        setrlimit(resource, limit)?;
    }
    Ok(())
}

/// Elsewhere the child runs without limits of its own (the zip check still applies).
#[cfg(not(target_os = "linux"))]
fn limit_self() -> std::io::Result<()> {
    Ok(())
}
