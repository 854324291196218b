"""Pictures as phones write them: with the place and the phone in their EXIF."""

from __future__ import annotations

import io

from PIL import ExifTags, Image

# Where the picture was taken: Almaty, as a phone writes it in GPS EXIF.
LATITUDE = (43.0, 15.0, 0.0)
LONGITUDE = (76.0, 55.0, 0.0)
PHONE = "PhoneMaker X1"


def photographed_letter(
    size: tuple[int, int] = (120, 80), orientation: int = 1, fmt: str = "JPEG"
) -> bytes:
    """A picture of a letter with the phone, the place and an orientation in its EXIF."""
    picture = Image.new("RGB", size, (250, 250, 245))
    for x in range(10, size[0] - 10):
        picture.putpixel((x, 10), (20, 20, 20))  # a line of "text" near the top
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = PHONE
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = LONGITUDE
    out = io.BytesIO()
    picture.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def metadata_left(data: bytes) -> list[str]:
    """What of the phone's metadata a picture still carries (empty: none)."""
    found = []
    with Image.open(io.BytesIO(data)) as picture:
        exif = picture.getexif()
        if exif:
            found.append(f"exif: {dict(exif)}")
        if exif.get_ifd(ExifTags.IFD.GPSInfo):
            found.append("gps")
        found += [key for key in picture.info if key in ("exif", "xmp", "comment", "icc_profile")]
    if PHONE.encode() in data:
        found.append("the phone's name")
    return found
