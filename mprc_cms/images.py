"""Image uploads: a file is stored only once Pillow has decoded it whole.

Wagtail reads an uploaded image through Willow and turns only some of Pillow's errors
into form errors: a file whose header looks right and whose data is broken (``GIF89a``
then anything, a truncated PNG) answered with an error page. Every image form of the
admin (add, multiple upload, the chooser's upload, replacing the file) is built on
``ImageForm`` (``WAGTAILIMAGES_IMAGE_FORM_BASE``), whose file field decodes the image
first, within ``WAGTAILIMAGES_MAX_IMAGE_PIXELS``: a bad file is a form error and nothing
is stored.
"""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.forms.fields import FileField
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageSequence
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, after a full decoding of the file by Pillow."""

    def to_python(self, data):
        uploaded = FileField.to_python(self, data)  # no file, an empty file: its errors
        if uploaded is None:
            return None
        self.check_image_file_size(uploaded)  # before decoding anything
        self.check_decodes(data if hasattr(data, "read") else BytesIO(data["content"]))
        try:
            return super().to_python(data)
        except ValidationError:
            raise
        except Exception as exc:  # whatever a broken file makes Willow raise
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from exc

    def too_many_pixels(self, num_pixels):
        return ValidationError(
            self.error_messages["file_too_many_pixels"]
            % {"num_pixels": num_pixels, "max_pixels_count": self.max_pixels()},
            code="file_too_many_pixels",
        )

    def max_pixels(self):
        return min(self.max_image_pixels or PILImage.MAX_IMAGE_PIXELS, PILImage.MAX_IMAGE_PIXELS)

    def check_decodes(self, file):
        """Raise a ValidationError unless Pillow verifies and decodes every frame of
        ``file`` within the pixel limit (checked on the header, before decoding)."""
        try:
            # Pillow refuses to open more than twice its MAX_IMAGE_PIXELS; our limit,
            # lower, is checked on the header before anything is decoded.
            file.seek(0)
            with PILImage.open(file) as image:
                image.verify()
            file.seek(0)
            with PILImage.open(file) as image:
                width, height = image.size
                num_pixels = width * height * getattr(image, "n_frames", 1)
                if num_pixels > self.max_pixels():
                    raise self.too_many_pixels(num_pixels)
                for frame in ImageSequence.Iterator(image):
                    frame.load()
        except ValidationError:
            raise
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise self.too_many_pixels(_("unknown number")) from None
        except Exception as exc:  # Pillow's decoders raise many kinds
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from exc
        finally:
            file.seek(0)


class ImageForm(BaseImageForm):
    """The base of every image form of the admin: its file field is a CheckedImageField."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField) and not isinstance(field, CheckedImageField):
            self.fields["file"] = CheckedImageField(
                label=field.label, required=field.required, widget=field.widget
            )
