//! XMP packets (RDF/XML inside an image): the properties that carry people's words, each value
//! a field located by its property (`XMP dc:description`, `XMP Iptc4xmpExt:PersonInImage`).
//!
//! Properties are matched by namespace URI and local name, so a file that binds another prefix
//! to a namespace is read the same; the locator always uses the usual prefix. A property may be
//! written as an element (its text, or each `rdf:li` of an `rdf:Alt`, `rdf:Bag` or `rdf:Seq`)
//! or as an attribute of `rdf:Description`; structures (`Iptc4xmpExt:LocationShown`,
//! `mwg-rs:RegionList`) are walked so that their text fields are found wherever they nest.
//!
//! Left out on purpose: dates, camera and software properties, and the creator's business
//! contact card (`Iptc4xmpCore:CreatorContactInfo`): the organisation's own address, phone and
//! email, which would be a finding in every photo a studio delivers and tell nothing about the
//! people in the picture. The creator's name itself (`dc:creator`) is kept, as EXIF `Artist` is.

use quick_xml::NsReader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};

use super::gps_text;
use crate::extract::Field;

const RDF: &[u8] = b"http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const EXIF: &[u8] = b"http://ns.adobe.com/exif/1.0/";

/// Deepest element nesting read; real packets nest a dozen levels at most.
const MAX_DEPTH: usize = 256;

/// The properties read: namespace URI, local name, and the prefix locators use.
const PROPERTIES: &[(&str, &str, &str)] = &[
    ("http://purl.org/dc/elements/1.1/", "title", "dc"),
    ("http://purl.org/dc/elements/1.1/", "description", "dc"),
    ("http://purl.org/dc/elements/1.1/", "subject", "dc"),
    ("http://purl.org/dc/elements/1.1/", "creator", "dc"),
    ("http://purl.org/dc/elements/1.1/", "rights", "dc"),
    (
        "http://ns.adobe.com/photoshop/1.0/",
        "Headline",
        "photoshop",
    ),
    (
        "http://ns.adobe.com/photoshop/1.0/",
        "CaptionWriter",
        "photoshop",
    ),
    (
        "http://ns.adobe.com/photoshop/1.0/",
        "Instructions",
        "photoshop",
    ),
    ("http://ns.adobe.com/photoshop/1.0/", "City", "photoshop"),
    (
        "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
        "AltTextAccessibility",
        "Iptc4xmpCore",
    ),
    (
        "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
        "ExtDescrAccessibility",
        "Iptc4xmpCore",
    ),
    (
        "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
        "Location",
        "Iptc4xmpCore",
    ),
    (
        "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
        "PersonInImage",
        "Iptc4xmpExt",
    ),
    (
        "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
        "PersonName",
        "Iptc4xmpExt",
    ),
    (
        "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
        "Event",
        "Iptc4xmpExt",
    ),
    (
        "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
        "LocationName",
        "Iptc4xmpExt",
    ),
    (
        "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
        "Sublocation",
        "Iptc4xmpExt",
    ),
    (
        "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
        "City",
        "Iptc4xmpExt",
    ),
    (
        "http://www.metadataworkinggroup.com/schemas/regions/",
        "Name",
        "mwg-rs",
    ),
    (
        "http://www.metadataworkinggroup.com/schemas/regions/",
        "Description",
        "mwg-rs",
    ),
    (
        "http://ns.microsoft.com/photo/1.2/t/Region#",
        "PersonDisplayName",
        "MPReg",
    ),
    (
        "http://ns.adobe.com/lightroom/1.0/",
        "hierarchicalSubject",
        "lr",
    ),
    ("http://ns.adobe.com/tiff/1.0/", "ImageDescription", "tiff"),
    ("http://ns.adobe.com/tiff/1.0/", "Artist", "tiff"),
    ("http://ns.adobe.com/tiff/1.0/", "Copyright", "tiff"),
    ("http://ns.adobe.com/exif/1.0/", "UserComment", "exif"),
    ("http://cipa.jp/exif/1.0/", "CameraOwnerName", "exifEX"),
];

/// What an element's text is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// An RDF container or wrapper (`rdf:Bag`, `rdf:li`, `rdf:Description`): its text belongs
    /// to the property around it.
    Transparent,
    /// One of [`PROPERTIES`].
    Property(usize),
    GpsLatitude,
    GpsLongitude,
    /// Anything else: its text is not read.
    Other,
}

/// One open element: its role and the text read inside it so far.
struct Frame {
    role: Role,
    text: String,
}

/// Collects the values of one packet.
#[derive(Default)]
struct Sink {
    fields: Vec<Field>,
    latitude: Option<String>,
    longitude: Option<String>,
}

impl Sink {
    fn put(&mut self, role: Role, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        match role {
            Role::Property(i) => {
                let (_, local, prefix) = PROPERTIES[i];
                self.fields
                    .push(Field::new(format!("XMP {prefix}:{local}"), value));
            }
            Role::GpsLatitude => self.latitude = Some(value.to_owned()),
            Role::GpsLongitude => self.longitude = Some(value.to_owned()),
            Role::Transparent | Role::Other => {}
        }
    }
}

/// The fields of one XMP packet (the bytes from `<x:xmpmeta` or `<rdf:RDF` to its end tag).
pub fn fields(packet: &[u8]) -> Result<Vec<Field>, String> {
    let text = String::from_utf8_lossy(packet);
    let mut reader = NsReader::from_str(&text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut sink = Sink::default();
    loop {
        let (ns, event) = reader.read_resolved_event().map_err(|e| {
            format!(
                "XMP packet is not well-formed XML: {}",
                super::super::xml_error::describe(&e)
            )
        })?;
        let role = role_of(&ns, &event);
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err("XMP packet nests too deeply".into());
                }
                attributes(&reader, &start, &mut sink);
                stack.push(Frame {
                    role,
                    text: String::new(),
                });
            }
            Event::Empty(start) => attributes(&reader, &start, &mut sink),
            Event::End(_) => {
                if let Some(frame) = stack.pop() {
                    let owner = owner(frame.role, &stack);
                    sink.put(owner, &frame.text);
                }
            }
            Event::Text(t) => {
                if let (Some(top), Ok(s)) = (stack.last_mut(), t.xml10_content()) {
                    top.text.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let (Some(top), Ok(s)) = (stack.last_mut(), t.decode()) {
                    top.text.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    let name = r.decode().unwrap_or_default();
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => top.text.push(c),
                        _ => match resolve_predefined_entity(&name) {
                            Some(s) => top.text.push_str(s),
                            None => {
                                top.text.push('&');
                                top.text.push_str(&name);
                                top.text.push(';');
                            }
                        },
                    }
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    let mut fields = sink.fields;
    if let (Some(lat), Some(lon)) = (&sink.latitude, &sink.longitude)
        && let (Some(lat), Some(lon)) = (xmp_degrees(lat, 'N', 'S'), xmp_degrees(lon, 'E', 'W'))
        && let Some(text) = gps_text(lat, lon)
    {
        fields.push(Field::new("XMP GPS position", text));
    }
    Ok(fields)
}

/// The role of a start or empty element from its resolved namespace and local name.
fn role_of(ns: &ResolveResult<'_>, event: &Event<'_>) -> Role {
    let (Event::Start(e) | Event::Empty(e)) = event else {
        return Role::Other;
    };
    role_of_name(ns, e.local_name().as_ref())
}

fn role_of_name(ns: &ResolveResult<'_>, local: &[u8]) -> Role {
    let ResolveResult::Bound(Namespace(uri)) = ns else {
        return Role::Other;
    };
    if *uri == RDF {
        return Role::Transparent;
    }
    if *uri == EXIF {
        match local {
            b"GPSLatitude" => return Role::GpsLatitude,
            b"GPSLongitude" => return Role::GpsLongitude,
            _ => {}
        }
    }
    PROPERTIES
        .iter()
        .position(|(u, l, _)| u.as_bytes() == *uri && l.as_bytes() == local)
        .map_or(Role::Other, Role::Property)
}

/// Whose text an element's text is: its own if it is a property, else (for RDF containers
/// and list items) the nearest enclosing element that is not an RDF container.
fn owner(role: Role, stack: &[Frame]) -> Role {
    if role != Role::Transparent {
        return role;
    }
    stack
        .iter()
        .rev()
        .map(|f| f.role)
        .find(|r| *r != Role::Transparent)
        .unwrap_or(Role::Other)
}

/// Properties written as attributes (`<rdf:Description photoshop:City="…">`).
fn attributes(reader: &NsReader<&[u8]>, start: &BytesStart<'_>, sink: &mut Sink) {
    for attr in start.attributes().with_checks(false).flatten() {
        let (ns, local) = reader.resolver().resolve_attribute(attr.key);
        let role = match role_of_name(&ns, local.as_ref()) {
            Role::Transparent => continue,
            r => r,
        };
        if role == Role::Other {
            continue;
        }
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(&attr.value).into_owned());
        sink.put(role, &value);
    }
}

/// Degrees from an XMP GPS coordinate: `DDD,MM,SSk` or `DDD,MM.mmk` (k a direction letter).
fn xmp_degrees(value: &str, positive: char, negative: char) -> Option<f64> {
    let value = value.trim();
    let direction = value.chars().last()?.to_ascii_uppercase();
    let sign = if direction == positive {
        1.0
    } else if direction == negative {
        -1.0
    } else {
        return None;
    };
    let number = &value[..value.len() - 1];
    let mut degrees = 0.0;
    let mut scale = 1.0;
    let mut parts = 0;
    for part in number.split(',') {
        let n: f64 = part.trim().parse().ok()?;
        if !n.is_finite() || n < 0.0 {
            return None;
        }
        degrees += n / scale;
        scale *= 60.0;
        parts += 1;
    }
    if !(1..=3).contains(&parts) {
        return None;
    }
    Some(sign * degrees)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(xml: &str) -> Vec<(String, String)> {
        fields(xml.as_bytes())
            .unwrap()
            .into_iter()
            .map(|f| (f.locator, f.text))
            .collect()
    }

    fn pair(locator: &str, text: &str) -> (String, String) {
        (locator.to_owned(), text.to_owned())
    }

    #[test]
    fn elements_lists_attributes_and_structures() {
        let xml = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:ph="http://ns.adobe.com/photoshop/1.0/"
    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    ph:City="Springfield" xmp:CreateDate="2024-05-01">
   <dc:description><rdf:Alt>
     <rdf:li xml:lang="x-default">Maya &amp; Leo&#39;s first visit</rdf:li>
   </rdf:Alt></dc:description>
   <dc:subject><rdf:Bag><rdf:li>pediatrics</rdf:li><rdf:li>asthma</rdf:li></rdf:Bag></dc:subject>
   <Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li rdf:parseType="Resource">
     <Iptc4xmpExt:Sublocation>Ward 3</Iptc4xmpExt:Sublocation>
     <Iptc4xmpExt:CountryCode>US</Iptc4xmpExt:CountryCode>
   </rdf:li></rdf:Bag></Iptc4xmpExt:LocationShown>
   <mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>
     <rdf:li><rdf:Description mwg-rs:Name="Maya Quill" mwg-rs:Type="Face"/></rdf:li>
     <rdf:li rdf:parseType="Resource"><mwg-rs:Name>Leo Quill</mwg-rs:Name></rdf:li>
   </rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"#;
        assert_eq!(
            pairs(xml),
            vec![
                pair("XMP photoshop:City", "Springfield"),
                pair("XMP dc:description", "Maya & Leo's first visit"),
                pair("XMP dc:subject", "pediatrics"),
                pair("XMP dc:subject", "asthma"),
                pair("XMP Iptc4xmpExt:Sublocation", "Ward 3"),
                pair("XMP mwg-rs:Name", "Maya Quill"),
                pair("XMP mwg-rs:Name", "Leo Quill"),
            ]
        );
    }

    #[test]
    fn gps_in_xmp_form() {
        let xml = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/"
    exif:GPSLatitude="40,42.768N"><exif:GPSLongitude>74,0,21.6W</exif:GPSLongitude>
  </rdf:Description></rdf:RDF>"#;
        assert_eq!(
            pairs(xml),
            vec![pair("XMP GPS position", "40.712800, -74.006000")]
        );
        assert_eq!(
            xmp_degrees("33,52.1S", 'N', 'S'),
            Some(-(33.0 + 52.1 / 60.0))
        );
        assert_eq!(xmp_degrees("40,42.768", 'N', 'S'), None);
        assert_eq!(xmp_degrees("1,2,3,4N", 'N', 'S'), None);
        assert_eq!(xmp_degrees("N", 'N', 'S'), None);
    }

    #[test]
    fn broken_packets_are_errors() {
        assert!(fields(b"<x:xmpmeta><rdf:RDF></x:xmpmeta>").is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert_eq!(
            fields(deep.as_bytes()),
            Err("XMP packet nests too deeply".into())
        );
    }
}
