#!/usr/bin/env python3
"""Write the image fixtures of phiguard's tests to fixtures/formats/.

Requirement: ``pip install pillow piexif`` (Python 3.9+).

Run from the repository root:

    python3 scripts/gen_image_fixtures.py

Every person, diagnosis, phone number and place in these images is invented
(phones are 555-01xx). The images are 16x16 pixels; only their metadata
matters. The output depends only on this script and the Pillow/piexif versions
(no clock, no randomness), and the generated files are committed, so the tests
never run this script.

Files:

* ``photo-phi.jpg``: EXIF ImageDescription (a patient with a diagnosis and a
  room number), Artist (a staff photographer), UserComment in UNICODE (an MRN),
  XPKeywords (UTF-16LE), GPS position 40.7128 N 74.0060 W, DateTimeOriginal,
  camera make/model/serial (not fields); XMP with dc:description, dc:subject
  and Iptc4xmpExt:PersonInImage.
* ``photo-phi.png``: tEXt "Description" (a patient's name), zTXt "Comment" (a
  relative's phone number), iTXt XMP (dc:title) and a tEXt "Software" line.
* ``photo-phi.webp``: EXIF ImageDescription (a resident over 89) and GPS
  position 41.8781 N 87.6298 W; XMP with an mwg-rs face region name.
* ``photo-phi.tif``: TIFF ImageDescription and Artist tags and XMP (tag 700)
  with Iptc4xmpCore:AltTextAccessibility.
* ``photo-clean.jpg``: EXIF ImageDescription "Lobby of our new wing" and
  DateTimeOriginal only.
"""

import io
import pathlib
import zlib

import piexif
from PIL import Image, PngImagePlugin, TiffImagePlugin, TiffTags

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "formats"


def picture():
    """A 16x16 RGB gradient, the same every run."""
    im = Image.new("RGB", (16, 16))
    im.putdata([(x * 16, y * 16, 128) for y in range(16) for x in range(16)])
    return im


def xmp(description_xml):
    """A complete XMP packet around the given rdf:Description children."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"\n'
        '    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"\n'
        '    xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"\n'
        '    xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"\n'
        '    xmp:CreatorTool="phiguard fixture generator">\n'
        f"{description_xml}"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode("utf-8")


def dms(value):
    """EXIF degrees, minutes, seconds (hundredths) as rationals."""
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    hundredths = round((minutes_full - minutes) * 60 * 100)
    return ((degrees, 1), (minutes, 1), (hundredths, 100))


def gps(lat, lon):
    return {
        piexif.GPSIFD.GPSLatitudeRef: b"N" if lat >= 0 else b"S",
        piexif.GPSIFD.GPSLatitude: dms(abs(lat)),
        piexif.GPSIFD.GPSLongitudeRef: b"E" if lon >= 0 else b"W",
        piexif.GPSIFD.GPSLongitude: dms(abs(lon)),
    }


def with_app1_xmp(jpeg, packet):
    """The JPEG with an APP1 XMP segment inserted right after SOI."""
    body = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    segment = b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segment + jpeg[2:]


def photo_phi_jpg():
    exif = {
        "0th": {
            piexif.ImageIFD.ImageDescription: (
                "Our patient Rosalind Whitfield on day 3 after her knee "
                "replacement, Room 412"
            ).encode(),
            piexif.ImageIFD.Artist: b"Kenji Ashdown",
            piexif.ImageIFD.Make: b"ExampleCam",
            piexif.ImageIFD.Model: b"EC-1",
            piexif.ImageIFD.XPKeywords: "knee replacement;ortho\x00".encode(
                "utf-16-le"
            ),
        },
        "Exif": {
            piexif.ExifIFD.DateTimeOriginal: b"2024:05:14 10:32:00",
            piexif.ExifIFD.UserComment: b"UNICODE\x00"
            + "MRN 40417722".encode("utf-16-le"),
            piexif.ExifIFD.BodySerialNumber: b"SN99887766",
        },
        "GPS": gps(40.7128, -74.0060),
    }
    packet = xmp(
        "   <dc:description><rdf:Alt>\n"
        '    <rdf:li xml:lang="x-default">Rosalind Whitfield walking again '
        "after knee surgery</rdf:li>\n"
        "   </rdf:Alt></dc:description>\n"
        "   <dc:subject><rdf:Bag>\n"
        "    <rdf:li>orthopedics</rdf:li>\n"
        "    <rdf:li>Rosalind Whitfield</rdf:li>\n"
        "   </rdf:Bag></dc:subject>\n"
        "   <Iptc4xmpExt:PersonInImage><rdf:Bag>\n"
        "    <rdf:li>Rosalind Whitfield</rdf:li>\n"
        "   </rdf:Bag></Iptc4xmpExt:PersonInImage>\n"
    )
    buf = io.BytesIO()
    picture().save(buf, "JPEG", quality=90, exif=piexif.dump(exif))
    return with_app1_xmp(buf.getvalue(), packet)


def photo_phi_png():
    info = PngImagePlugin.PngInfo()
    info.add_text("Description", "Get well soon, Harlan Beckwith! Surgery went great.")
    info.add_text("Comment", "Call his daughter at (217) 555-0142", zip=True)
    info.add_text("Software", "phiguard fixture generator")
    info.add_itxt(
        "XML:com.adobe.xmp",
        xmp(
            "   <dc:title><rdf:Alt>\n"
            '    <rdf:li xml:lang="x-default">Harlan &amp; his care team</rdf:li>\n'
            "   </rdf:Alt></dc:title>\n"
        ).decode("utf-8"),
        lang="",
        tkey="",
        zip=False,
    )
    buf = io.BytesIO()
    picture().save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def photo_phi_webp():
    exif = {
        "0th": {
            piexif.ImageIFD.ImageDescription: (
                b"Hospice resident Augustina Pell, 93, celebrating with family"
            ),
        },
        "GPS": gps(41.8781, -87.6298),
    }
    packet = xmp(
        "   <mwg-rs:Regions rdf:parseType=\"Resource\">\n"
        "    <mwg-rs:RegionList><rdf:Bag>\n"
        '     <rdf:li><rdf:Description mwg-rs:Name="Augustina Pell" '
        'mwg-rs:Type="Face"/></rdf:li>\n'
        "    </rdf:Bag></mwg-rs:RegionList>\n"
        "   </mwg-rs:Regions>\n"
    )
    buf = io.BytesIO()
    picture().save(
        buf, "WEBP", lossless=True, exif=piexif.dump(exif), xmp=packet
    )
    return buf.getvalue()


def photo_phi_tif():
    packet = xmp(
        "   <Iptc4xmpCore:AltTextAccessibility><rdf:Alt>\n"
        '    <rdf:li xml:lang="x-default">Nurse helps Odalys Brennan, '
        "DOB 07/22/1951, into her wheelchair</rdf:li>\n"
        "   </rdf:Alt></Iptc4xmpCore:AltTextAccessibility>\n"
    )
    tags = TiffImagePlugin.ImageFileDirectory_v2()
    tags[270] = "Odalys Brennan, discharge day, bed 7"
    tags[315] = "Kenji Ashdown"
    tags[700] = packet
    tags.tagtype[700] = TiffTags.BYTE
    buf = io.BytesIO()
    picture().save(buf, "TIFF", tiffinfo=tags, compression="raw")
    return buf.getvalue()


def photo_clean_jpg():
    exif = {
        "0th": {piexif.ImageIFD.ImageDescription: b"Lobby of our new wing"},
        "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2024:05:14 09:00:00"},
    }
    buf = io.BytesIO()
    picture().save(buf, "JPEG", quality=90, exif=piexif.dump(exif))
    return buf.getvalue()


def main():
    files = {
        "photo-phi.jpg": photo_phi_jpg(),
        "photo-phi.png": photo_phi_png(),
        "photo-phi.webp": photo_phi_webp(),
        "photo-phi.tif": photo_phi_tif(),
        "photo-clean.jpg": photo_clean_jpg(),
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes, crc32 {zlib.crc32(data):08x}")


if __name__ == "__main__":
    main()
