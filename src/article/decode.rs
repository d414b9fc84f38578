//! Bytes → text: byte-order marks, UTF-8, UTF-16, and the legacy Arabic
//! encodings (windows-1256, ISO-8859-6) that old saved articles use, guessed
//! with `chardetng` and decoded with `encoding_rs`. Line ends are normalised
//! to `\n` (CRLF and lone CR both occur in saved pages).

use encoding_rs::Encoding;

/// Decoded text and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with `\n` line ends only and no byte-order mark.
    pub text: String,
    /// The encoding used (`UTF-8`, `UTF-16LE`, `windows-1256`, …).
    pub encoding: &'static str,
    /// How many malformed sequences were replaced by U+FFFD (0 when clean).
    pub replaced: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// NUL bytes or mostly control bytes: not a text file.
    Binary,
    /// Text in no encoding qari can make sense of.
    Undecodable(String),
}

/// Decode `bytes` into text. See the module documentation for the order of
/// checks.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        // A UTF-16 BOM in front of data that is not UTF-16 produces a wall of
        // replacement characters; refuse rather than show garbage.
        return decode_as(encoding, &bytes[bom_len..], |replaced, chars| {
            format!(
                "the file starts with a {} byte-order mark but {replaced} of its {chars} characters are malformed",
                encoding.name()
            )
        });
    }

    if looks_binary_bytes(bytes) {
        return Err(DecodeError::Binary);
    }

    // SIMD validation: a 5 MB article is checked in a fraction of the time.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(Decoded {
            text: normalize_newlines(s.to_owned()),
            encoding: "UTF-8",
            replaced: 0,
        });
    }

    // Mostly UTF-8 with a few broken bytes (a truncated download, a bad
    // copy): keep it UTF-8 and mark the damage, instead of letting a legacy
    // guess turn every Arabic letter into mojibake.
    let (valid_non_ascii, invalid) = utf8_damage(bytes);
    if valid_non_ascii > 0 && invalid * 20 <= valid_non_ascii.max(60) {
        let text = String::from_utf8_lossy(bytes).into_owned();
        return Ok(Decoded {
            text: normalize_newlines(text),
            encoding: "UTF-8",
            replaced: invalid,
        });
    }

    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    decode_as(encoding, bytes, |replaced, chars| {
        format!(
            "it is not UTF-8, and as {} (the closest guess) {replaced} of {chars} characters are malformed",
            encoding.name()
        )
    })
}

/// Decode `bytes` as `encoding`, refusing text of which more than a tenth is
/// malformed (`too_damaged(replaced, chars)` says why) and text that is
/// really binary.
fn decode_as(
    encoding: &'static Encoding,
    bytes: &[u8],
    too_damaged: impl FnOnce(usize, usize) -> String,
) -> Result<Decoded, DecodeError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let replaced = if had_errors {
        count_replacements(&text)
    } else {
        0
    };
    let chars = text.chars().count().max(1);
    if replaced * 10 > chars {
        return Err(DecodeError::Undecodable(too_damaged(replaced, chars)));
    }
    if looks_binary_text(&text) {
        return Err(DecodeError::Binary);
    }
    Ok(Decoded {
        text: normalize_newlines(text.into_owned()),
        encoding: encoding.name(),
        replaced,
    })
}

/// Turn CRLF and lone CR into LF.
pub fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

fn count_replacements(text: &str) -> usize {
    text.chars().filter(|&c| c == '\u{FFFD}').count()
}

/// A NUL byte anywhere, or more than 10% control bytes (other than tab,
/// newline, CR, form feed, ESC) in the first 8 KiB. Text never has NULs;
/// UTF-16 without a BOM is therefore refused too, which is the price of
/// never mistaking an image for an article.
fn looks_binary_bytes(bytes: &[u8]) -> bool {
    if memchr_nul(bytes) {
        return true;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    controls * 10 > head.len()
}

fn memchr_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

fn looks_binary_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut controls = 0usize;
    for c in text.chars().take(8192) {
        total += 1;
        if c == '\0' {
            return true;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}' | '\u{1B}') {
            controls += 1;
        }
    }
    controls * 10 > total
}

/// (valid non-ASCII characters, invalid bytes) when read as UTF-8.
fn utf8_damage(bytes: &[u8]) -> (usize, usize) {
    let mut valid = 0;
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    (valid, invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n".into()), "a\nb\nc\n");
        assert_eq!(normalize_newlines("\r\r\n".into()), "\n\n");
    }

    #[test]
    fn nul_bytes_are_binary() {
        assert_eq!(decode(b"abc\0def"), Err(DecodeError::Binary));
    }

    #[test]
    fn a_few_bad_bytes_stay_utf8() {
        let mut bytes = "مرحبا بالعالم في القاهرة والرياض".repeat(3).into_bytes();
        bytes.insert(10, 0xFF);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replaced, 1);
        assert!(d.text.contains("القاهرة"));
    }
}
