//! Reading one input's bytes safely: only regular files, never more than a size bound.
//!
//! What it does: a path is opened without blocking (a FIFO would otherwise wait forever for a
//! writer), its type is checked on the open handle (so a file swapped for a pipe between a
//! look and the open is still caught), and at most [`max_bytes`] bytes are read: a larger file,
//! or `/dev/zero` as standard input, is an error naming the bound instead of a run that eats
//! all memory.
//! Why it matters: Candor runs unattended in CI and git hooks over paths others chose; a
//! named pipe, a device or a huge dump must give a clear error, not a hang.
//! Example: `candor check fifo` exits 2 with "fifo: not a regular file (a FIFO / named pipe);
//! Candor reads only regular files".

use std::fs::{File, FileType};
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The default bound on one input's size: 256 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 256 << 20;

/// The environment variable that sets the bound when `--max-file-size` is not given.
pub const MAX_BYTES_ENV: &str = "CANDOR_MAX_FILE_SIZE";

static MAX_BYTES: AtomicU64 = AtomicU64::new(DEFAULT_MAX_BYTES);

/// The bound on one input's size (files, standard input, `--inbound`, configuration files).
pub fn max_bytes() -> u64 {
    MAX_BYTES.load(Ordering::Relaxed)
}

/// Sets the bound for the rest of the process (the command line does, once).
pub fn set_max_bytes(n: u64) {
    MAX_BYTES.store(n, Ordering::Relaxed);
}

/// Parses a size such as `1048576`, `512K`, `300MiB`, `2G` (K, M, G are powers of 1024; a
/// trailing `B`, `iB` and case are ignored).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = t.split_at(digits);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size (say 256MiB, 1G or a number of bytes)"))?;
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit.trim_end_matches('b').trim_end_matches('i');
    let shift = match unit {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return Err(format!("`{text}`: unknown unit (use K, M, G or T)")),
    };
    n.checked_mul(1 << shift)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{text}` is not a usable size"))
}

/// How a file's bytes became its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf8,
    /// UTF-16, little-endian, with its byte order mark.
    Utf16Le,
    /// UTF-16, big-endian, with its byte order mark.
    Utf16Be,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
        }
    }

    /// `text` as this encoding's bytes (the inverse of decoding: a BOM in the text stays one).
    pub fn encode(self, text: &str) -> std::borrow::Cow<'_, [u8]> {
        match self {
            Encoding::Utf8 => text.as_bytes().into(),
            Encoding::Utf16Le => text
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>()
                .into(),
            Encoding::Utf16Be => text
                .encode_utf16()
                .flat_map(u16::to_be_bytes)
                .collect::<Vec<u8>>()
                .into(),
        }
    }
}

/// UTF-16 `bytes` (BOM included) as text; `Err` gives the index of the first bad code unit.
pub fn decode_utf16(bytes: &[u8], encoding: Encoding) -> Result<String, usize> {
    if bytes.len() % 2 == 1 {
        return Err(bytes.len() / 2);
    }
    let units = bytes.chunks_exact(2).map(|p| match encoding {
        Encoding::Utf16Be => u16::from_be_bytes([p[0], p[1]]),
        _ => u16::from_le_bytes([p[0], p[1]]),
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut at = 0;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                text.push(c);
                at += c.len_utf16();
            }
            Err(_) => return Err(at),
        }
    }
    Ok(text)
}

/// Why an input's bytes could not be had.
#[derive(Debug)]
pub enum ReadProblem {
    Io(io::Error),
    /// Not a regular file: what it is instead.
    NotRegular(&'static str),
    /// Larger than the bound.
    TooLarge {
        limit: u64,
    },
}

impl std::fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadProblem::Io(e) => write!(f, "{e}"),
            ReadProblem::NotRegular(kind) => {
                write!(f, "not a regular file ({kind}); Candor reads only regular files")
            }
            ReadProblem::TooLarge { limit } => write!(
                f,
                "larger than the {} limit on one input; raise it with --max-file-size or {MAX_BYTES_ENV}",
                human_size(*limit)
            ),
        }
    }
}

/// `268435456` as `256 MiB`.
pub fn human_size(n: u64) -> String {
    for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if n >= 1 << shift && n % (1 << shift) == 0 {
            return format!("{} {unit}", n >> shift);
        }
    }
    format!("{n} bytes")
}

/// What a file that is not a regular one is, in words; `None` for a regular file.
pub fn special_kind(t: &FileType) -> Option<&'static str> {
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO / named pipe");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a file Candor can read")
}

/// `O_NONBLOCK` where its value is known: opening a FIFO then returns at once instead of
/// waiting for a writer (the handle's type is checked right after). Elsewhere the type is
/// checked before opening too, which leaves only a swap between the two steps.
#[cfg_attr(not(unix), allow(dead_code))]
const O_NONBLOCK: Option<i32> = if cfg!(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        target_arch = "arm",
        target_arch = "riscv64"
    )
)) {
    Some(0o4000)
} else if cfg!(target_os = "macos") {
    Some(0x0004)
} else {
    None
};

fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    if let Some(flag) = O_NONBLOCK {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(flag);
    }
    options.open(path)
}

/// The bytes of the regular file at `path` (links followed), at most [`max_bytes`].
pub fn read_regular(path: &Path) -> Result<Vec<u8>, ReadProblem> {
    read_regular_up_to(path, max_bytes())
}

/// The bytes of the regular file at `path` (links followed), at most `limit`.
pub fn read_regular_up_to(path: &Path, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    #[cfg(target_os = "linux")]
    if let Some(read) = read_through_handle(path, limit) {
        return read;
    }
    // Refused by type before opening: a FIFO would block the open where O_NONBLOCK is unknown.
    let meta = std::fs::metadata(path).map_err(ReadProblem::Io)?;
    if let Some(kind) = special_kind(&meta.file_type()) {
        return Err(ReadProblem::NotRegular(kind));
    }
    if meta.len() > limit {
        return Err(ReadProblem::TooLarge { limit });
    }
    let file = open_nonblocking(path).map_err(ReadProblem::Io)?;
    // ... and on the handle: what was opened is what is read.
    let meta = file.metadata().map_err(ReadProblem::Io)?;
    if let Some(kind) = special_kind(&meta.file_type()) {
        return Err(ReadProblem::NotRegular(kind));
    }
    read_bounded(file, meta.len(), limit)
}

/// [`read_regular_up_to`] with the path looked up once: opened with `O_PATH` (which reads
/// nothing and opens no device, so a FIFO or a tape drive is refused untouched), its type and
/// size checked on that handle, then the file opened through the handle's `/proc/self/fd`
/// link. A stat and an open each walked every component of the path: in a tree thousands of
/// folders deep that was a quarter of the run. `None` when `/proc` is not there.
#[cfg(target_os = "linux")]
fn read_through_handle(path: &Path, limit: u64) -> Option<Result<Vec<u8>, ReadProblem>> {
    use rustix::fs::{Mode, OFlags};
    use std::os::fd::AsRawFd;
    let handle = match rustix::fs::open(path, OFlags::PATH | OFlags::CLOEXEC, Mode::empty()) {
        Ok(fd) => File::from(fd),
        Err(e) => return Some(Err(ReadProblem::Io(e.into()))),
    };
    let meta = match handle.metadata() {
        Ok(meta) => meta,
        Err(e) => return Some(Err(ReadProblem::Io(e))),
    };
    if let Some(kind) = special_kind(&meta.file_type()) {
        return Some(Err(ReadProblem::NotRegular(kind)));
    }
    if meta.len() > limit {
        return Some(Err(ReadProblem::TooLarge { limit }));
    }
    let link = format!("/proc/self/fd/{}", handle.as_raw_fd());
    let file = match open_nonblocking(Path::new(&link)) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => return Some(Err(ReadProblem::Io(e))),
    };
    // The same checks on what was opened (it is the handle's file; the check costs nothing).
    let meta = match file.metadata() {
        Ok(meta) => meta,
        Err(e) => return Some(Err(ReadProblem::Io(e))),
    };
    if let Some(kind) = special_kind(&meta.file_type()) {
        return Some(Err(ReadProblem::NotRegular(kind)));
    }
    Some(read_bounded(file, meta.len(), limit))
}

/// All of `reader`, or [`ReadProblem::TooLarge`] past `limit` bytes (`hint`: the expected size).
pub fn read_bounded(reader: impl Read, hint: u64, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    let mut bytes = Vec::with_capacity(hint.min(limit) as usize);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadProblem::TooLarge { limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_and_anything_else_refused_by_type_or_size() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reply.md");
        std::fs::write(&file, "Thanks for writing.").unwrap();
        assert_eq!(
            read_regular_up_to(&file, 100).unwrap(),
            b"Thanks for writing."
        );
        assert!(matches!(
            read_regular_up_to(&file, 5),
            Err(ReadProblem::TooLarge { limit: 5 })
        ));
        assert!(matches!(
            read_regular_up_to(dir.path(), 100),
            Err(ReadProblem::NotRegular("a folder"))
        ));
        #[cfg(unix)]
        {
            // Through a link, as named; a device is refused without being read.
            std::os::unix::fs::symlink(&file, dir.path().join("link.md")).unwrap();
            let link = dir.path().join("link.md");
            assert_eq!(
                read_regular_up_to(&link, 100).unwrap(),
                b"Thanks for writing."
            );
            assert!(matches!(
                read_regular_up_to(Path::new("/dev/zero"), 100),
                Err(ReadProblem::NotRegular("a character device"))
            ));
        }
        assert!(matches!(
            read_regular_up_to(&dir.path().join("missing.md"), 100),
            Err(ReadProblem::Io(e)) if e.kind() == io::ErrorKind::NotFound
        ));
    }

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("256MiB"), Ok(256 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("512 KB"), Ok(512 << 10));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("9999999999T").is_err());
        assert_eq!(human_size(DEFAULT_MAX_BYTES), "256 MiB");
        assert_eq!(human_size(1000), "1000 bytes");
    }

    #[test]
    fn utf16_round_trips_and_bad_units_are_found() {
        for enc in [Encoding::Utf16Le, Encoding::Utf16Be] {
            let text = "\u{feff}Héllo 😀\r\n";
            let bytes = enc.encode(text);
            assert_eq!(decode_utf16(&bytes, enc).unwrap(), text);
        }
        // An unpaired high surrogate at unit 2.
        let mut bad = Encoding::Utf16Le.encode("\u{feff}a").into_owned();
        bad.extend(0xD800u16.to_le_bytes());
        bad.extend(b"a\0");
        assert_eq!(decode_utf16(&bad, Encoding::Utf16Le), Err(2));
        assert_eq!(decode_utf16(&[0xFF, 0xFE, 0x41], Encoding::Utf16Le), Err(1));
    }

    #[test]
    fn reading_stops_past_the_bound() {
        let zeros = std::io::repeat(0);
        assert!(matches!(
            read_bounded(zeros, 0, 1000),
            Err(ReadProblem::TooLarge { limit: 1000 })
        ));
        assert_eq!(read_bounded(&b"abc"[..], 3, 3).unwrap(), b"abc");
    }
}
