//! A minimal zip writer whose output depends only on the entries given: no timestamps, owners,
//! extra fields or data descriptors.
//!
//! Every entry is a file (no directory entries: unzip tools and Lambda create parent directories
//! from the paths), deflated at one fixed level, dated 1980-01-01 00:00 (the zip epoch), with
//! Unix permissions `0644` or `0755` in the external attributes. The archive is plain zip 2.0
//! without the zip64 extension, so it holds fewer than 65,535 entries and no size or offset over
//! 4 GiB; [`ZipWriter`] refuses more instead of writing an archive readers would misread.
//!
//! The container is a few fixed-size headers (PKWARE APPNOTE 6.3, sections 4.3.7, 4.3.12 and
//! 4.3.16), which is less code than the features a zip crate would bring and need turned off.

/// The deflate level: miniz's default, a good ratio without the slow high levels. Fixed, because
/// another level gives other bytes and so another asset hash.
const DEFLATE_LEVEL: u8 = 6;
/// Version 2.0: deflate, no zip64.
const VERSION_NEEDED: u16 = 20;
/// Made by Unix (3, high byte), spec version 2.0: readers then take the permissions from the
/// high half of the external attributes.
const VERSION_MADE_BY: u16 = (3 << 8) | VERSION_NEEDED;
/// General purpose flag bit 11: the name is UTF-8.
const FLAG_UTF8: u16 = 1 << 11;
const METHOD_DEFLATE: u16 = 8;
/// 00:00:00 in MS-DOS time.
const DOS_TIME: u16 = 0;
/// 1980-01-01 in MS-DOS date: years since 1980 (bits 9–15), month (5–8), day (0–4).
const DOS_DATE: u16 = (1 << 5) | 1;
/// A regular file, `rw-r--r--`.
const MODE_FILE: u32 = 0o100_644;
/// A regular file, `rwxr-xr-x`.
const MODE_EXECUTABLE: u32 = 0o100_755;

/// The most entries an archive without zip64 holds (0xFFFF means "see zip64").
pub(crate) const MAX_ENTRIES: usize = 0xFFFE;
/// The largest size or offset without zip64 (0xFFFF_FFFF means "see zip64").
pub(crate) const MAX_SIZE: u64 = 0xFFFF_FFFE;

/// Something does not fit in a zip without zip64.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TooLarge {
    /// More than [`MAX_ENTRIES`] files.
    Entries,
    /// A file (its name) whose size, or whose compressed size, is over [`MAX_SIZE`].
    File(String),
    /// The archive itself grows over [`MAX_SIZE`].
    Archive,
    /// A file name longer than 65,535 bytes.
    Name(String),
}

/// Writes an archive one file at a time, in the order given.
pub(crate) struct ZipWriter {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: usize,
}

impl ZipWriter {
    pub fn new() -> Self {
        Self {
            out: Vec::new(),
            central: Vec::new(),
            entries: 0,
        }
    }

    /// Appends file `name` (a relative path with `/` separators) holding `data`.
    pub fn add(&mut self, name: &str, data: &[u8], executable: bool) -> Result<(), TooLarge> {
        if self.entries == MAX_ENTRIES {
            return Err(TooLarge::Entries);
        }
        let name_len = u16::try_from(name.len()).map_err(|_| TooLarge::Name(name.to_owned()))?;
        let size = to_u32(data.len()).ok_or_else(|| TooLarge::File(name.to_owned()))?;
        let compressed = miniz_oxide::deflate::compress_to_vec(data, DEFLATE_LEVEL);
        let compressed_size =
            to_u32(compressed.len()).ok_or_else(|| TooLarge::File(name.to_owned()))?;
        let offset = to_u32(self.out.len()).ok_or(TooLarge::Archive)?;
        let crc = crc32(data);
        let flags = if name.is_ascii() { 0 } else { FLAG_UTF8 };
        let mode = if executable {
            MODE_EXECUTABLE
        } else {
            MODE_FILE
        };

        // Local file header.
        let out = &mut self.out;
        put_u32(out, 0x0403_4b50);
        put_u16(out, VERSION_NEEDED);
        put_u16(out, flags);
        put_u16(out, METHOD_DEFLATE);
        put_u16(out, DOS_TIME);
        put_u16(out, DOS_DATE);
        put_u32(out, crc);
        put_u32(out, compressed_size);
        put_u32(out, size);
        put_u16(out, name_len);
        put_u16(out, 0); // extra field length
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&compressed);

        // Central directory header.
        let c = &mut self.central;
        put_u32(c, 0x0201_4b50);
        put_u16(c, VERSION_MADE_BY);
        put_u16(c, VERSION_NEEDED);
        put_u16(c, flags);
        put_u16(c, METHOD_DEFLATE);
        put_u16(c, DOS_TIME);
        put_u16(c, DOS_DATE);
        put_u32(c, crc);
        put_u32(c, compressed_size);
        put_u32(c, size);
        put_u16(c, name_len);
        put_u16(c, 0); // extra field length
        put_u16(c, 0); // comment length
        put_u16(c, 0); // disk number start
        put_u16(c, 0); // internal attributes
        put_u32(c, mode << 16); // external attributes: Unix mode in the high half
        put_u32(c, offset);
        c.extend_from_slice(name.as_bytes());

        self.entries += 1;
        Ok(())
    }

    /// The archive: the files, the central directory, and its end record.
    pub fn finish(mut self) -> Result<Vec<u8>, TooLarge> {
        let central_offset = to_u32(self.out.len()).ok_or(TooLarge::Archive)?;
        let central_size = to_u32(self.central.len()).ok_or(TooLarge::Archive)?;
        let total = self.out.len() as u64 + self.central.len() as u64;
        if total > MAX_SIZE {
            return Err(TooLarge::Archive);
        }
        // At most MAX_ENTRIES, checked by `add`.
        let entries = self.entries as u16;
        let mut out = std::mem::take(&mut self.out);
        out.append(&mut self.central);
        put_u32(&mut out, 0x0605_4b50);
        put_u16(&mut out, 0); // this disk
        put_u16(&mut out, 0); // disk where the central directory starts
        put_u16(&mut out, entries); // entries on this disk
        put_u16(&mut out, entries); // entries in all
        put_u32(&mut out, central_size);
        put_u32(&mut out, central_offset);
        put_u16(&mut out, 0); // comment length
        Ok(out)
    }
}

fn to_u32(n: usize) -> Option<u32> {
    u32::try_from(n).ok().filter(|&n| u64::from(n) <= MAX_SIZE)
}

fn put_u16(out: &mut Vec<u8>, n: u16) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

/// The CRC-32 table of the reflected polynomial 0xEDB88320 (zip's, as in ISO 3309).
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut bit = 0;
        while bit < 8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            bit += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// The CRC-32 zip stores for each file.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(!0u32, |c, &b| {
        CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn crc32_matches_the_check_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn an_independent_reader_opens_the_archive() {
        let mut zip = ZipWriter::new();
        zip.add("bootstrap", b"#!/bin/sh\necho hi\n", true).unwrap();
        zip.add("lib/data.txt", &[b'x'; 10_000], false).unwrap();
        zip.add("empty", b"", false).unwrap();
        zip.add("naïve.txt", "ü".as_bytes(), false).unwrap();
        let bytes = zip.finish().unwrap();

        let mut archive = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 4);
        let expected: [(&str, &[u8], u32); 4] = [
            ("bootstrap", b"#!/bin/sh\necho hi\n", 0o100_755),
            ("lib/data.txt", &[b'x'; 10_000], 0o100_644),
            ("empty", b"", 0o100_644),
            ("naïve.txt", "ü".as_bytes(), 0o100_644),
        ];
        for (i, (name, data, mode)) in expected.into_iter().enumerate() {
            let mut file = archive.by_index(i).unwrap();
            assert_eq!(file.name(), name);
            assert_eq!(file.unix_mode(), Some(mode), "{name}");
            assert_eq!(file.compression(), ::zip::CompressionMethod::Deflated);
            let mut body = Vec::new();
            file.read_to_end(&mut body).unwrap();
            assert_eq!(body, data, "{name}");
        }
    }

    #[test]
    fn more_entries_than_zip_without_zip64_holds_are_refused() {
        let mut zip = ZipWriter::new();
        zip.entries = MAX_ENTRIES - 1;
        zip.add("last", b"", false).unwrap();
        assert_eq!(zip.add("one-too-many", b"", false), Err(TooLarge::Entries));
        const { assert!(MAX_ENTRIES < 0xFFFF && MAX_SIZE < 0xFFFF_FFFF) };
    }

    #[test]
    fn an_archive_of_no_files_is_only_the_end_record() {
        let bytes = ZipWriter::new().finish().unwrap();
        assert_eq!(bytes.len(), 22);
        assert_eq!(&bytes[..4], b"PK\x05\x06");
    }
}
