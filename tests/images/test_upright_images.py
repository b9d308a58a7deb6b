"""Issue 13, case 2: every image is read upright as its EXIF Orientation says (dossier.images)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from dossier.images import ImageProblem, upright, upright_bytes
from tests.layout_support import png, sideways_jpeg


@pytest.mark.parametrize(("orientation", "size"), [(1, (400, 200)), (2, (400, 200)), (3, (400, 200)), (4, (400, 200)),
                                                   (5, (200, 400)), (6, (200, 400)), (7, (200, 400)), (8, (200, 400))])
def test_every_orientation_is_turned_and_its_extent_swapped(orientation: int, size: tuple[int, int]) -> None:
    picture = upright_bytes(sideways_jpeg(400, 200, orientation))
    assert (picture.width, picture.height) == size
    image = Image.open(io.BytesIO(picture.data))
    assert image.size == size and image.format == "JPEG"
    assert image.getexif().get(0x0112, 1) == 1
    assert picture.turned == (orientation != 1)


def test_orientation_6_puts_the_stored_top_row_on_the_right() -> None:
    image = Image.open(io.BytesIO(upright_bytes(sideways_jpeg(400, 200, 6)).data)).convert("RGB")
    assert image.getpixel((195, 200))[0] > 180 and image.getpixel((195, 200))[1] < 80
    assert image.getpixel((5, 200))[1] > 180


def test_upright_images_keep_their_bytes_and_the_same_file_gives_the_same_bytes(tmp_path) -> None:
    data = png(30, 20)
    assert upright_bytes(data).data == data
    assert upright_bytes(data).dpi == (72.0, 72.0)
    turned = sideways_jpeg(400, 200, 6)
    assert upright_bytes(turned).data == upright_bytes(turned).data
    (tmp_path / "a.jpg").write_bytes(turned)
    assert upright(tmp_path / "a.jpg").width == 200


def test_resolution_turns_with_the_pixels() -> None:
    image = Image.new("RGB", (40, 20))
    exif = Image.Exif()
    exif[0x0112] = 8
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", dpi=(300, 150), exif=exif.tobytes())
    picture = upright_bytes(buffer.getvalue())
    assert (picture.width, picture.height) == (20, 40)
    assert picture.dpi == pytest.approx((150, 300), abs=1)
    assert picture.natural_size_inches() == pytest.approx((20 / 150, 40 / 300), rel=0.02)


def test_a_file_that_is_no_image_is_an_image_problem(tmp_path) -> None:
    (tmp_path / "x.png").write_bytes(b"not an image")
    with pytest.raises(ImageProblem, match="x.png: not a readable"):
        upright(tmp_path / "x.png")
    with pytest.raises(ImageProblem, match="missing.png: cannot be read"):
        upright(tmp_path / "missing.png")
