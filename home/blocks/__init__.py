"""StreamField blocks shared by every page type, one concern per file."""

from .base import BaseStreamBlock
from .call_to_action import CallToActionBlock
from .documents import DocumentListBlock
from .faq import FAQBlock
from .heading import HeadingBlock
from .image import CaptionedImageBlock

__all__ = [
    "BaseStreamBlock",
    "CallToActionBlock",
    "CaptionedImageBlock",
    "DocumentListBlock",
    "FAQBlock",
    "HeadingBlock",
]
