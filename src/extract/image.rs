//! Images (JPEG, PNG, TIFF, WebP, HEIF/HEIC/AVIF): the text a photo carries in its metadata,
//! as fields a person can find in a photo editor (`EXIF ImageDescription`, `XMP dc:subject`,
//! `PNG text "Description"`, `EXIF GPS position`).
//!
//! Read: EXIF text tags and the GPS position (through `kamadak-exif`), XMP packets (see
//! [`xmp`]), PNG `tEXt`, `zTXt` and `iTXt` chunks (through `png`, without decoding pixels;
//! compressed text is inflated up to [`MAX_TEXT`] bytes in all) and JPEG comments.
//! Not read: capture times and other timestamps (a time alone is not a finding), the camera's
//! make, model and serial numbers (the photographer's equipment, not a person in the picture),
//! and IPTC-IIM (Photoshop `APP13`) records, for which no well-kept crate exists: most editors
//! write the same caption, keywords and by-line to XMP too.
//!
//! A value found in both EXIF and XMP is reported under both locators: each copy has to be
//! removed on its own, and stripping one leaves the other. The same value twice under one
//! locator (an `rdf:Alt` in two languages) is reported once.

mod xmp;

use std::io::Cursor;

use exif::{Context, In, Tag, Value};

use super::Field;

/// Most bytes of compressed text (PNG `zTXt` and `iTXt` chunks) inflated per image. A chunk
/// that would go past it makes the image unreadable rather than silently half-checked.
pub const MAX_TEXT: usize = 4 << 20;

/// Most bytes the PNG reader may hold for chunks it keeps (text, profiles) per image.
const PNG_CHUNK_BUDGET: usize = 64 << 20;

/// The image containers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Tiff,
    WebP,
    Heif,
}

impl Kind {
    /// The container's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
            Kind::Tiff => "TIFF",
            Kind::WebP => "WebP",
            Kind::Heif => "HEIF",
        }
    }
}

/// The container an image's first bytes announce, if it is one of those read.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    const HEIF_BRANDS: [&[u8]; 10] = [
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis",
    ];
    if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some(Kind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1A\n") {
        Some(Kind::Png)
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some(Kind::Tiff)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(Kind::WebP)
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && HEIF_BRANDS.contains(&&bytes[8..12]) {
        Some(Kind::Heif)
    } else {
        None
    }
}

/// The text fields of an image's metadata, in a fixed order: EXIF tags, the EXIF GPS position,
/// XMP properties in packet order, PNG text chunks, JPEG comments. An image without metadata
/// gives no fields; bytes that are not an image of a kind read here, or whose metadata cannot
/// be read whole, give an error saying why.
pub fn fields(bytes: &[u8]) -> Result<Vec<Field>, String> {
    let kind = sniff(bytes).ok_or_else(|| {
        "not a readable image: not JPEG, PNG, TIFF, WebP or HEIF (unknown signature)".to_owned()
    })?;
    let unreadable = |reason: String| format!("not a readable {} image: {reason}", kind.name());
    let parts = match kind {
        Kind::Jpeg => jpeg_parts(bytes),
        Kind::Png => png_parts(bytes),
        Kind::Tiff | Kind::WebP | Kind::Heif => container_parts(kind, bytes),
    }
    .map_err(unreadable)?;
    let mut out = Vec::new();
    if let Some(exif) = &parts.exif {
        out.extend(exif_fields(exif));
    }
    for packet in &parts.xmp {
        out.extend(xmp::fields(packet).map_err(unreadable)?);
    }
    out.extend(parts.text);
    let mut seen = std::collections::HashSet::new();
    out.retain(|f| !f.text.trim().is_empty() && seen.insert((f.locator.clone(), f.text.clone())));
    Ok(out)
}

/// The metadata blocks found in a container.
#[derive(Default)]
struct Parts {
    exif: Option<exif::Exif>,
    xmp: Vec<Vec<u8>>,
    /// Fields the container itself holds (PNG text chunks, JPEG comments).
    text: Vec<Field>,
}

/// EXIF from raw TIFF-structured bytes; an error names what is wrong.
fn read_exif(raw: Vec<u8>) -> Result<exif::Exif, String> {
    let read = exif::Reader::new().continue_on_error(true).read_raw(raw);
    lenient(read).map_err(|e| format!("broken EXIF block ({e})"))
}

/// The EXIF a read gave, accepting one harmless flaw that common writers (piexif among them)
/// leave: a sub-IFD pointing on to a next IFD, after all its entries were read. Any other
/// flaw lost entries, and is an error.
fn lenient(read: Result<exif::Exif, exif::Error>) -> Result<exif::Exif, exif::Error> {
    match read {
        Err(exif::Error::PartialResult(partial)) => {
            let (exif, errors) = partial.into_inner();
            match errors
                .into_iter()
                .find(|e| !matches!(e, exif::Error::InvalidFormat("Unexpected next IFD")))
            {
                Some(e) => Err(e),
                None => Ok(exif),
            }
        }
        other => other,
    }
}

/// JPEG: walks the marker segments up to the image data, collecting EXIF (`APP1 Exif`), XMP
/// (`APP1` standard and extended XMP) and comments (`COM`).
fn jpeg_parts(bytes: &[u8]) -> Result<Parts, String> {
    const XMP_ID: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
    const XMP_EXT_ID: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
    let mut parts = Parts::default();
    let mut extended = ExtendedXmp::default();
    let mut pos = 2;
    loop {
        // Markers may be padded with any number of 0xFF fill bytes.
        if bytes.get(pos) != Some(&0xFF) {
            return Err(match bytes.get(pos) {
                None => "the file ends before the image data (truncated)".into(),
                Some(_) => format!("no segment marker at byte {pos}"),
            });
        }
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos) else {
            return Err("the file ends before the image data (truncated)".into());
        };
        pos += 1;
        match marker {
            // End of image before any scan: nothing more to read.
            0xD9 => break,
            // Stand-alone markers carry no length.
            0x01 | 0xD0..=0xD7 => continue,
            0xD8 => {
                return Err(format!(
                    "a second start-of-image marker at byte {}",
                    pos - 2
                ));
            }
            _ => {}
        }
        let len = match bytes.get(pos..pos + 2) {
            Some(b) => usize::from(u16::from_be_bytes([b[0], b[1]])),
            None => return Err("the file ends inside a segment header (truncated)".into()),
        };
        let body = len
            .checked_sub(2)
            .and_then(|n| bytes.get(pos + 2..pos + 2 + n))
            .ok_or_else(|| format!("segment at byte {} runs past the end of the file", pos - 2))?;
        pos += len;
        match marker {
            0xE1 if body.starts_with(b"Exif\0\0") && parts.exif.is_none() => {
                parts.exif = Some(read_exif(body[6..].to_vec())?);
            }
            0xE1 if body.starts_with(XMP_ID) => parts.xmp.push(body[XMP_ID.len()..].to_vec()),
            0xE1 if body.starts_with(XMP_EXT_ID) => {
                extended.add(&body[XMP_EXT_ID.len()..], bytes.len())?;
            }
            0xFE => parts.text.extend(
                Some(text_of_bytes(body))
                    .filter(|t| !t.is_empty())
                    .map(|t| Field::new("JPEG comment", t)),
            ),
            // Start of scan: the metadata segments all come before it.
            0xDA => break,
            _ => {}
        }
    }
    parts.xmp.extend(extended.finish()?);
    Ok(parts)
}

/// Extended XMP: a packet too large for one JPEG segment, split over several, each chunk with
/// the packet's id (a 32-character digest), its full length and the chunk's offset.
#[derive(Default)]
struct ExtendedXmp {
    packets: Vec<ExtendedPacket>,
}

/// One extended XMP packet being put together.
struct ExtendedPacket {
    id: [u8; 32],
    full_len: usize,
    /// Chunks by their offset in the packet.
    chunks: Vec<(usize, Vec<u8>)>,
}

impl ExtendedXmp {
    fn add(&mut self, chunk: &[u8], file_len: usize) -> Result<(), String> {
        let broken = || "broken extended XMP segment".to_owned();
        let header = chunk.get(..40).ok_or_else(broken)?;
        let mut id = [0; 32];
        id.copy_from_slice(&header[..32]);
        let full = u32::from_be_bytes([header[32], header[33], header[34], header[35]]) as usize;
        let offset = u32::from_be_bytes([header[36], header[37], header[38], header[39]]) as usize;
        // A packet cannot be longer than the file that holds it.
        if full > file_len {
            return Err(broken());
        }
        let data = chunk[40..].to_vec();
        match self.packets.iter_mut().find(|p| p.id == id) {
            Some(p) if p.full_len == full => p.chunks.push((offset, data)),
            Some(_) => return Err(broken()),
            None => self.packets.push(ExtendedPacket {
                id,
                full_len: full,
                chunks: vec![(offset, data)],
            }),
        }
        Ok(())
    }

    /// Each packet put together; chunks that leave a gap or overlap make it unreadable.
    fn finish(self) -> Result<Vec<Vec<u8>>, String> {
        let mut out = Vec::new();
        for ExtendedPacket {
            full_len: full,
            mut chunks,
            ..
        } in self.packets
        {
            chunks.sort_by_key(|c| c.0);
            let mut packet = Vec::with_capacity(full);
            for (offset, data) in chunks {
                if offset != packet.len() {
                    return Err("extended XMP has missing or overlapping parts".into());
                }
                packet.extend_from_slice(&data);
            }
            if packet.len() != full {
                return Err("extended XMP has missing parts".into());
            }
            out.push(packet);
        }
        Ok(out)
    }
}

/// PNG: chunks read by the `png` crate up to the end of the file (pixels are skipped, not
/// decoded): EXIF (`eXIf`), text chunks, and XMP in an `iTXt` chunk `XML:com.adobe.xmp`.
/// Checksums are not verified: text under a wrong CRC is still in the file, and is scanned.
fn png_parts(bytes: &[u8]) -> Result<Parts, String> {
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: PNG_CHUNK_BUDGET,
        },
    );
    decoder.set_ignore_text_chunk(false);
    decoder.ignore_checksums(true);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    reader.finish().map_err(|e| e.to_string())?;
    let info = reader.info();
    // The crate drops a malformed text chunk without a word; count them to know.
    let read = info.uncompressed_latin1_text.len()
        + info.compressed_latin1_text.len()
        + info.utf8_text.len();
    let present = png_text_chunks(bytes);
    if read != present {
        return Err(format!(
            "{} of its {present} text chunks are malformed",
            present.saturating_sub(read)
        ));
    }
    let mut parts = Parts::default();
    if let Some(raw) = &info.exif_metadata {
        parts.exif = Some(read_exif(raw.to_vec())?);
    }
    let mut budget = MAX_TEXT;
    let too_much = || format!("compressed text inflates to more than {MAX_TEXT} bytes");
    let mut chunks: Vec<(String, String)> = Vec::new();
    for t in &info.uncompressed_latin1_text {
        chunks.push((t.keyword.clone(), t.text.clone()));
    }
    for t in &info.compressed_latin1_text {
        let mut t = t.clone();
        t.decompress_text_with_limit(budget)
            .map_err(|_| too_much())?;
        let text = t.get_text().map_err(|e| e.to_string())?;
        budget = budget.saturating_sub(text.len());
        chunks.push((t.keyword.clone(), text));
    }
    for t in &info.utf8_text {
        let mut t = t.clone();
        t.decompress_text_with_limit(budget)
            .map_err(|_| too_much())?;
        let text = t.get_text().map_err(|e| e.to_string())?;
        budget = budget.saturating_sub(text.len());
        chunks.push((t.keyword.clone(), text));
    }
    for (keyword, text) in chunks {
        match png_text_kind(&keyword) {
            PngText::Xmp => parts.xmp.push(text.into_bytes()),
            PngText::RawXmp => parts.xmp.push(raw_profile(&text)?),
            PngText::RawExif if parts.exif.is_none() => {
                let raw = raw_profile(&text)?;
                let tiff = raw.strip_prefix(b"Exif\0\0").unwrap_or(&raw);
                parts.exif = Some(read_exif(tiff.to_vec())?);
            }
            PngText::RawExif | PngText::Skip => {}
            PngText::Text => parts
                .text
                .push(Field::new(format!("PNG text \"{keyword}\""), text.trim())),
        }
    }
    Ok(parts)
}

/// How many text chunks (`tEXt`, `zTXt`, `iTXt`) a PNG has before its end (`IEND`), by a walk
/// over the chunk headers.
fn png_text_chunks(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut pos = 8;
    while let Some(header) = bytes.get(pos..pos + 8) {
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        match &header[4..8] {
            b"IEND" => break,
            b"tEXt" | b"zTXt" | b"iTXt" => count += 1,
            _ => {}
        }
        pos = pos.saturating_add(len).saturating_add(12);
    }
    count
}

/// What a PNG text chunk holds, by its keyword.
enum PngText {
    /// XMP (`XML:com.adobe.xmp`).
    Xmp,
    /// ImageMagick's hex dump of an XMP packet (`Raw profile type xmp`).
    RawXmp,
    /// ImageMagick's hex dump of EXIF (`Raw profile type exif` or `APP1`).
    RawExif,
    /// Not read: timestamps (`Creation Time`, ImageMagick's `date:*`), the software, and other
    /// binary profiles (ICC, IPTC-IIM, Photoshop resources).
    Skip,
    /// Text a person wrote (`Description`, `Comment`, `Title`, `Author`…).
    Text,
}

fn png_text_kind(keyword: &str) -> PngText {
    let k = keyword.to_ascii_lowercase();
    match k.as_str() {
        "xml:com.adobe.xmp" => PngText::Xmp,
        "raw profile type xmp" => PngText::RawXmp,
        "raw profile type exif" | "raw profile type app1" => PngText::RawExif,
        "creation time" | "software" => PngText::Skip,
        _ if k.starts_with("raw profile type ") || k.starts_with("date:") => PngText::Skip,
        _ => PngText::Text,
    }
}

/// The bytes of an ImageMagick raw profile: a line with the profile's name, a line with its
/// length, then the bytes in hexadecimal over many lines.
fn raw_profile(text: &str) -> Result<Vec<u8>, String> {
    let broken = || "broken raw profile in a PNG text chunk".to_owned();
    let mut lines = text.trim_start().splitn(3, '\n');
    let (_name, len, hex) = (lines.next(), lines.next(), lines.next().unwrap_or(""));
    let len: usize = len.and_then(|l| l.trim().parse().ok()).ok_or_else(broken)?;
    let digits: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.len() != len.checked_mul(2).ok_or_else(broken)? {
        return Err(broken());
    }
    digits
        .chunks_exact(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(broken)
        })
        .collect()
}

/// TIFF, WebP and HEIF: EXIF found by `kamadak-exif`; XMP from TIFF tag 700, or found in the
/// bytes (WebP `XMP ` chunk, HEIF `mime` item).
fn container_parts(kind: Kind, bytes: &[u8]) -> Result<Parts, String> {
    let mut parts = Parts::default();
    let read = exif::Reader::new()
        .continue_on_error(true)
        .read_from_container(&mut Cursor::new(bytes));
    match lenient(read) {
        Ok(exif) => parts.exif = Some(exif),
        Err(exif::Error::NotFound(_)) if kind != Kind::Tiff => {}
        Err(e) => return Err(e.to_string()),
    }
    if kind == Kind::Tiff {
        if let Some(exif) = &parts.exif {
            for f in exif.fields() {
                if f.tag == Tag(Context::Tiff, 700)
                    && let Value::Byte(b) | Value::Undefined(b, _) = &f.value
                {
                    parts.xmp.push(b.clone());
                }
            }
        }
    } else {
        parts.xmp = find_xmp_packets(bytes);
    }
    Ok(parts)
}

/// XMP packets found by their tags: each `<x:xmpmeta …>…</x:xmpmeta>`, or, in a packet
/// without that wrapper, `<rdf:RDF …>…</rdf:RDF>`.
fn find_xmp_packets(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (open, close) in [
        (&b"<x:xmpmeta"[..], &b"</x:xmpmeta>"[..]),
        (b"<rdf:RDF", b"</rdf:RDF>"),
    ] {
        let mut at = 0;
        while let Some(start) = memchr::memmem::find(&bytes[at..], open).map(|i| at + i) {
            let Some(end) = memchr::memmem::find(&bytes[start..], close).map(|i| start + i) else {
                break;
            };
            at = end + close.len();
            out.push(bytes[start..at].to_vec());
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

/// EXIF text tags read, with the names locators use.
const EXIF_TEXT_TAGS: &[(Tag, &str)] = &[
    (Tag::ImageDescription, "ImageDescription"),
    (Tag(Context::Tiff, 0x010D), "DocumentName"),
    (Tag::Artist, "Artist"),
    (Tag::Copyright, "Copyright"),
    (Tag::UserComment, "UserComment"),
    (Tag::CameraOwnerName, "CameraOwnerName"),
    (Tag::GPSAreaInformation, "GPSAreaInformation"),
    (Tag(Context::Tiff, 0x9C9B), "XPTitle"),
    (Tag(Context::Tiff, 0x9C9F), "XPSubject"),
    (Tag(Context::Tiff, 0x9C9C), "XPComment"),
    (Tag(Context::Tiff, 0x9C9E), "XPKeywords"),
    (Tag(Context::Tiff, 0x9C9D), "XPAuthor"),
];

/// The text tags of an EXIF block (in [`EXIF_TEXT_TAGS`] order), then its GPS position.
fn exif_fields(exif: &exif::Exif) -> Vec<Field> {
    let mut out = Vec::new();
    for &(tag, name) in EXIF_TEXT_TAGS {
        for f in exif.fields().filter(|f| f.tag == tag) {
            for text in exif_texts(tag, &f.value, exif.little_endian()) {
                out.push(Field::new(format!("EXIF {name}"), text));
            }
        }
    }
    if let Some(text) = exif_gps(exif) {
        out.push(Field::new("EXIF GPS position", text));
    }
    out
}

/// The strings of one tag's value: ASCII strings as written (UTF-8, or Latin-1 when not
/// valid UTF-8); `UserComment` and `GPSAreaInformation` after their character-set header;
/// the Windows `XP…` tags as UTF-16LE.
fn exif_texts(tag: Tag, value: &Value, little_endian: bool) -> Vec<String> {
    let texts = match value {
        Value::Ascii(strings) => strings.iter().map(|s| text_of_bytes(s)).collect(),
        Value::Byte(b) | Value::Undefined(b, _) => {
            if tag == Tag::UserComment || tag == Tag::GPSAreaInformation {
                vec![text_with_charset(b, little_endian)]
            } else if tag.0 == Context::Tiff && (0x9C9B..=0x9C9F).contains(&tag.1) {
                vec![utf16(b, true)]
            } else {
                vec![text_of_bytes(b)]
            }
        }
        _ => Vec::new(),
    };
    texts.into_iter().filter(|t| !t.is_empty()).collect()
}

/// Text from bytes: UTF-8 if valid, else Latin-1; trailing NULs and spaces trimmed.
fn text_of_bytes(bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    text.trim_end_matches(['\0', ' ']).trim().to_owned()
}

/// A value with the EXIF 8-byte character-set header (`ASCII`, `UNICODE`, `JIS`, or undefined
/// as eight NULs). UNICODE is UTF-16 in the byte order a byte-order mark gives; without one,
/// in the order its zero bytes show (writers disagree: Latin text in UTF-16LE has its zeros at
/// odd offsets), and on a tie in the EXIF block's. JIS is read as bytes (its ASCII survives).
fn text_with_charset(bytes: &[u8], little_endian: bool) -> String {
    let Some((head, body)) = bytes.split_first_chunk::<8>() else {
        return text_of_bytes(bytes);
    };
    match head {
        b"UNICODE\0" => match body {
            [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
            [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
            _ => {
                let zeros_at = |parity| {
                    body.iter()
                        .enumerate()
                        .filter(|&(i, &b)| i % 2 == parity && b == 0)
                        .count()
                };
                let (even, odd) = (zeros_at(0), zeros_at(1));
                utf16(
                    body,
                    if even == odd {
                        little_endian
                    } else {
                        odd > even
                    },
                )
            }
        },
        _ => text_of_bytes(body),
    }
}

/// UTF-16 text (unpaired surrogates replaced), up to the first NUL, trimmed.
fn utf16(bytes: &[u8], little_endian: bool) -> String {
    let units = bytes.chunks_exact(2).map(|c| {
        if little_endian {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units.take_while(|&u| u != 0))
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The GPS position of an EXIF block as decimal degrees, when latitude and longitude are both
/// there and valid.
fn exif_gps(exif: &exif::Exif) -> Option<String> {
    let coordinate = |tag: Tag, reference: Tag, negative: u8| -> Option<f64> {
        let Value::Rational(parts) = &exif.get_field(tag, In::PRIMARY)?.value else {
            return None;
        };
        let mut degrees = 0.0;
        let mut scale = 1.0;
        for r in parts.iter().take(3) {
            if r.denom == 0 {
                return None;
            }
            degrees += r.to_f64() / scale;
            scale *= 60.0;
        }
        let sign = match &exif.get_field(reference, In::PRIMARY).map(|f| &f.value) {
            Some(Value::Ascii(s)) if s.first().and_then(|s| s.first()) == Some(&negative) => -1.0,
            _ => 1.0,
        };
        Some(sign * degrees)
    };
    let lat = coordinate(Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S')?;
    let lon = coordinate(Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W')?;
    gps_text(lat, lon)
}

/// `lat, lon` in decimal degrees with 6 decimals (about 0.1 m), or `None` out of range.
fn gps_text(lat: f64, lon: f64) -> Option<String> {
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return None;
    }
    // Adding 0.0 turns -0.0 into 0.0, so the equator is not written "-0.000000".
    Some(format!("{:.6}, {:.6}", lat + 0.0, lon + 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(bytes: &[u8]) -> Vec<(String, String)> {
        fields(bytes)
            .unwrap()
            .into_iter()
            .map(|f| (f.locator, f.text))
            .collect()
    }

    fn pair(locator: &str, text: &str) -> (String, String) {
        (locator.to_owned(), text.to_owned())
    }

    #[test]
    fn charset_headers_and_utf16() {
        assert_eq!(text_with_charset(b"ASCII\0\0\0Room 4  ", true), "Room 4");
        assert_eq!(
            text_with_charset(b"\0\0\0\0\0\0\0\0caf\xC3\xA9\0", true),
            "café"
        );
        assert_eq!(
            text_with_charset(b"UNICODE\0B\0e\0d\0 \x002\0", true),
            "Bed 2"
        );
        // Big-endian text in a little-endian EXIF block, and the other way round.
        assert_eq!(text_with_charset(b"UNICODE\0\0B\0e\0d", true), "Bed");
        assert_eq!(text_with_charset(b"UNICODE\0B\0e\0d\0", false), "Bed");
        assert_eq!(
            text_with_charset(b"UNICODE\0\xFE\xFF\0B\0e\0d", true),
            "Bed"
        );
        assert_eq!(text_with_charset(b"short", true), "short");
        assert_eq!(utf16(b"J\0o\0\0\0x\0", true), "Jo");
        assert_eq!(text_of_bytes(b"Se\xF1ora\0\0"), "Señora");
    }

    #[test]
    fn gps_text_rounds_and_checks_range() {
        assert_eq!(
            gps_text(40.7128, -74.006).as_deref(),
            Some("40.712800, -74.006000")
        );
        assert_eq!(gps_text(-0.0, 0.0).as_deref(), Some("0.000000, 0.000000"));
        assert_eq!(gps_text(90.5, 10.0), None);
        assert_eq!(gps_text(10.0, -180.5), None);
    }

    #[test]
    fn sniffs_containers_by_signature() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0"), Some(Kind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1A\n"), Some(Kind::Png));
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), Some(Kind::Tiff));
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), Some(Kind::Tiff));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(Kind::WebP));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Some(Kind::Heif));
        assert_eq!(sniff(b"\0\0\0\x18ftypavif\0\0\0\0"), Some(Kind::Heif));
        assert_eq!(sniff(b"\0\0\0\x18ftypisom\0\0\0\0"), None);
        assert_eq!(sniff(b"GIF89a"), None);
    }

    #[test]
    fn not_images_are_errors() {
        assert_eq!(
            fields(b"hello"),
            Err(
                "not a readable image: not JPEG, PNG, TIFF, WebP or HEIF (unknown signature)"
                    .into()
            )
        );
        // Bytes from a fixed linear congruential generator: no signature.
        let mut x: u32 = 12345;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        assert!(fields(&noise).is_err());
    }

    #[test]
    fn jpeg_walk_reads_comments_and_stops_at_the_scan() {
        // SOI, COM "Bed 2 · Ward 3", SOS with a byte of scan data, EOI.
        let mut jpeg = b"\xFF\xD8\xFF\xFE\x00\x11Bed 2 \xC2\xB7 Ward 3".to_vec();
        jpeg.extend_from_slice(b"\xFF\xDA\x00\x02\x00\xFF\xD9");
        assert_eq!(pairs(&jpeg), vec![pair("JPEG comment", "Bed 2 · Ward 3")]);
        assert_eq!(pairs(b"\xFF\xD8\xFF\xD9"), Vec::new());
    }

    #[test]
    fn truncated_jpegs_are_errors() {
        let cases: [(&[u8], &str); 4] = [
            (
                b"\xFF\xD8\xFF",
                "not a readable JPEG image: the file ends before the image data (truncated)",
            ),
            (
                b"\xFF\xD8\xFF\xE1\x00",
                "not a readable JPEG image: the file ends inside a segment header (truncated)",
            ),
            (
                b"\xFF\xD8\xFF\xE1\x00\x40Exif",
                "not a readable JPEG image: segment at byte 2 runs past the end of the file",
            ),
            (
                b"\xFF\xD8\xFF\xE0\x00\x02xx",
                "not a readable JPEG image: no segment marker at byte 6",
            ),
        ];
        for (bytes, reason) in cases {
            assert_eq!(fields(bytes), Err(reason.to_owned()));
        }
    }

    #[test]
    fn broken_exif_is_an_error() {
        let jpeg = b"\xFF\xD8\xFF\xE1\x00\x0EExif\0\0II*\0\xFF\0\0\0\xFF\xD9";
        let err = fields(jpeg).unwrap_err();
        assert!(
            err.starts_with("not a readable JPEG image: broken EXIF block"),
            "{err}"
        );
    }

    #[test]
    fn extended_xmp_is_put_together() {
        let packet = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:title="Ward 3 tour"/></rdf:RDF></x:xmpmeta>"#;
        let id = [b'A'; 32];
        let mut jpeg = b"\xFF\xD8".to_vec();
        // Two chunks, the second first.
        for (offset, data) in [(60, &packet[60..]), (0, &packet[..60])] {
            let mut body = b"http://ns.adobe.com/xmp/extension/\0".to_vec();
            body.extend_from_slice(&id);
            body.extend_from_slice(&(packet.len() as u32).to_be_bytes());
            body.extend_from_slice(&(offset as u32).to_be_bytes());
            body.extend_from_slice(data);
            jpeg.extend_from_slice(b"\xFF\xE1");
            jpeg.extend_from_slice(&(body.len() as u16 + 2).to_be_bytes());
            jpeg.extend_from_slice(&body);
        }
        jpeg.extend_from_slice(b"\xFF\xD9");
        assert_eq!(pairs(&jpeg), vec![pair("XMP dc:title", "Ward 3 tour")]);
        // Without its first chunk the packet is incomplete.
        let cut = jpeg.len() - 2 - (2 + 2 + 35 + 40 + 60);
        let mut partial = jpeg[..cut].to_vec();
        partial.extend_from_slice(b"\xFF\xD9");
        assert_eq!(
            fields(&partial),
            Err("not a readable JPEG image: extended XMP has missing or overlapping parts".into())
        );
    }

    #[test]
    fn photo_phi_jpg_fields() {
        assert_eq!(
            pairs(include_bytes!("../../fixtures/formats/photo-phi.jpg")),
            vec![
                pair(
                    "EXIF ImageDescription",
                    "Our patient Rosalind Whitfield on day 3 after her knee replacement, Room 412"
                ),
                pair("EXIF Artist", "Kenji Ashdown"),
                // UNICODE header, UTF-16LE body.
                pair("EXIF UserComment", "MRN 40417722"),
                pair("EXIF XPKeywords", "knee replacement;ortho"),
                // 40°42'46.08"N 74°0'21.6"W; the capture time, make, model and serial are not
                // fields.
                pair("EXIF GPS position", "40.712800, -74.006000"),
                pair(
                    "XMP dc:description",
                    "Rosalind Whitfield walking again after knee surgery"
                ),
                pair("XMP dc:subject", "orthopedics"),
                pair("XMP dc:subject", "Rosalind Whitfield"),
                pair("XMP Iptc4xmpExt:PersonInImage", "Rosalind Whitfield"),
            ]
        );
    }

    #[test]
    fn photo_phi_png_fields() {
        assert_eq!(
            pairs(include_bytes!("../../fixtures/formats/photo-phi.png")),
            vec![
                // iTXt XML:com.adobe.xmp, with &amp; decoded.
                pair("XMP dc:title", "Harlan & his care team"),
                // tEXt; the tEXt "Software" chunk is not a field.
                pair(
                    "PNG text \"Description\"",
                    "Get well soon, Harlan Beckwith! Surgery went great."
                ),
                // zTXt.
                pair(
                    "PNG text \"Comment\"",
                    "Call his daughter at (217) 555-0142"
                ),
            ]
        );
    }

    #[test]
    fn photo_phi_webp_fields() {
        assert_eq!(
            pairs(include_bytes!("../../fixtures/formats/photo-phi.webp")),
            vec![
                pair(
                    "EXIF ImageDescription",
                    "Hospice resident Augustina Pell, 93, celebrating with family"
                ),
                pair("EXIF GPS position", "41.878100, -87.629800"),
                pair("XMP mwg-rs:Name", "Augustina Pell"),
            ]
        );
    }

    #[test]
    fn photo_phi_tif_fields() {
        assert_eq!(
            pairs(include_bytes!("../../fixtures/formats/photo-phi.tif")),
            vec![
                pair(
                    "EXIF ImageDescription",
                    "Odalys Brennan, discharge day, bed 7"
                ),
                pair("EXIF Artist", "Kenji Ashdown"),
                // Tag 700.
                pair(
                    "XMP Iptc4xmpCore:AltTextAccessibility",
                    "Nurse helps Odalys Brennan, DOB 07/22/1951, into her wheelchair"
                ),
            ]
        );
    }

    #[test]
    fn photo_clean_jpg_fields() {
        assert_eq!(
            pairs(include_bytes!("../../fixtures/formats/photo-clean.jpg")),
            vec![pair("EXIF ImageDescription", "Lobby of our new wing")]
        );
    }

    /// A 1×1 grey PNG with the given text chunks (keyword, text, compressed).
    fn png_with(chunks: &[(&str, &str, bool)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, 1, 1);
        encoder.set_color(png::ColorType::Grayscale);
        for &(keyword, text, compressed) in chunks {
            if compressed {
                encoder.add_ztxt_chunk(keyword.into(), text.into()).unwrap();
            } else {
                encoder.add_text_chunk(keyword.into(), text.into()).unwrap();
            }
        }
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&[128]).unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn compressed_png_text_is_bounded() {
        let huge = "a".repeat(MAX_TEXT + 1);
        let bomb = png_with(&[("Comment", &huge, true)]);
        assert!(bomb.len() < 64 << 10, "compressed to {} bytes", bomb.len());
        let expected = format!(
            "not a readable PNG image: compressed text inflates to more than {MAX_TEXT} bytes"
        );
        assert_eq!(fields(&bomb), Err(expected.clone()));
        // The bound is for the whole image, not each chunk.
        let half = "b".repeat(MAX_TEXT / 2 + 1);
        let two = png_with(&[("Comment", &half, true), ("Title", &half, true)]);
        assert_eq!(fields(&two), Err(expected));
        let small = png_with(&[("Title", "Ward 3", true), ("Author", "Jo Quill", false)]);
        assert_eq!(
            pairs(&small),
            vec![
                pair("PNG text \"Author\"", "Jo Quill"),
                pair("PNG text \"Title\"", "Ward 3"),
            ]
        );
    }

    #[test]
    fn broken_pngs_are_errors() {
        let good = png_with(&[("Title", "Ward 3", false)]);
        // Cut inside the text chunk.
        let err = fields(&good[..50]).unwrap_err();
        assert!(err.starts_with("not a readable PNG image: "), "{err}");
        // A changed byte in the text fails the chunk's CRC: the text is read all the same.
        let mut changed = good.clone();
        let at = memchr::memmem::find(&good, b"Ward").unwrap();
        changed[at] = b'H';
        assert_eq!(pairs(&changed), vec![pair("PNG text \"Title\"", "Hard 3")]);
        // Without the NUL after its keyword the chunk is malformed: the crate would drop it.
        let mut no_nul = good.clone();
        let at = memchr::memmem::find(&good, b"Title\0").unwrap();
        no_nul[at + 5] = b' ';
        assert_eq!(
            fields(&no_nul),
            Err("not a readable PNG image: 1 of its 1 text chunks are malformed".into())
        );
    }

    #[test]
    fn imagemagick_raw_profiles() {
        let xmp = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:title="Bed 9"/></rdf:RDF></x:xmpmeta>"#;
        let hex: String = xmp.iter().map(|b| format!("{b:02x}")).collect();
        let profile = format!("\nxmp\n{:8}\n{}\n{}\n", xmp.len(), &hex[..64], &hex[64..]);
        let png = png_with(&[
            ("Raw profile type xmp", &profile, true),
            ("Raw profile type icc", "\nicc\n2\nffff\n", true),
            ("date:create", "2024-05-14T10:32:00+00:00", false),
        ]);
        assert_eq!(pairs(&png), vec![pair("XMP dc:title", "Bed 9")]);
        assert_eq!(
            raw_profile("\nxmp\n3\nabcd\n"),
            Err("broken raw profile in a PNG text chunk".into())
        );
        assert_eq!(raw_profile("\nexif\n2\n0aff\n"), Ok(vec![0x0A, 0xFF]));
    }

    #[test]
    fn an_image_without_metadata_has_no_fields() {
        assert_eq!(pairs(&png_with(&[])), Vec::new());
    }

    /// An ISO box: size, type, body.
    fn iso_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(body);
        out
    }

    /// A minimal HEIC: `ftyp`, a `meta` box whose `iinf`/`iloc` point at an `Exif` item in
    /// `mdat` (a TIFF block with one ImageDescription), and an XMP packet after it.
    fn heic_with(description: &str, xmp: &[u8]) -> Vec<u8> {
        let mut text = description.as_bytes().to_vec();
        text.push(0);
        let mut tiff = b"II*\0\x08\0\0\0\x01\0\x0E\x01\x02\0".to_vec();
        tiff.extend_from_slice(&(text.len() as u32).to_le_bytes());
        tiff.extend_from_slice(&26u32.to_le_bytes());
        tiff.extend_from_slice(&[0; 4]);
        tiff.extend_from_slice(&text);
        let mut exif_item = vec![0; 4];
        exif_item.extend_from_slice(&tiff);
        let ftyp = iso_box(b"ftyp", b"heic\0\0\0\0mif1heic");
        let infe = iso_box(b"infe", b"\x02\0\0\0\0\x01\0\0Exif\0");
        let mut iinf_body = b"\0\0\0\0\0\x01".to_vec();
        iinf_body.extend_from_slice(&infe);
        let iinf = iso_box(b"iinf", &iinf_body);
        let meta_len = 8 + 4 + iinf.len() + (8 + 4 + 2 + 2 + 2 + 2 + 2 + 4 + 4);
        let data_at = (ftyp.len() + meta_len + 8) as u32;
        let mut iloc_body = b"\0\0\0\0\x44\0\0\x01\0\x01\0\0\0\x01".to_vec();
        iloc_body.extend_from_slice(&data_at.to_be_bytes());
        iloc_body.extend_from_slice(&(exif_item.len() as u32).to_be_bytes());
        let mut meta_body = vec![0; 4];
        meta_body.extend_from_slice(&iinf);
        meta_body.extend_from_slice(&iso_box(b"iloc", &iloc_body));
        let meta = iso_box(b"meta", &meta_body);
        assert_eq!(meta.len(), meta_len);
        let mut mdat = exif_item;
        mdat.extend_from_slice(xmp);
        [ftyp, meta, iso_box(b"mdat", &mdat)].concat()
    }

    #[test]
    fn heic_exif_and_xmp() {
        let xmp = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Ines Varga</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage></rdf:Description></rdf:RDF></x:xmpmeta>"#;
        let heic = heic_with("Ines Varga, bed 2", xmp);
        assert_eq!(sniff(&heic), Some(Kind::Heif));
        assert_eq!(
            pairs(&heic),
            vec![
                pair("EXIF ImageDescription", "Ines Varga, bed 2"),
                pair("XMP Iptc4xmpExt:PersonInImage", "Ines Varga"),
            ]
        );
        // Cut inside the Exif item: an error, not a clean image.
        let err = fields(&heic[..heic.len() - xmp.len() - 10]).unwrap_err();
        assert!(err.starts_with("not a readable HEIF image: "), "{err}");
    }
}
