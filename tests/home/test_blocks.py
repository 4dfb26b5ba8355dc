import pytest
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from home.blocks import CallToActionBlock
from home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_call_to_action_needs_exactly_one_target(commune_a):
    block = CallToActionBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"text": "Participer", "page": None, "url": ""}))
    with pytest.raises(StructBlockValidationError):
        block.clean(
            block.to_python({"text": "Participer", "page": commune_a.pk, "url": "https://x.fr"})
        )
    assert block.clean(block.to_python({"text": "Participer", "page": commune_a.pk, "url": ""}))


def test_blocks_render_semantic_html(client, commune_a):
    image = Image.objects.create(
        title="Lavoir", file=get_test_image_file(), description="Le lavoir"
    )
    page = StandardPageFactory(
        parent=commune_a,
        title="Le village",
        body=[
            {"type": "heading", "value": {"text": "Histoire", "level": "h3"}},
            {"type": "paragraph", "value": "<p>Un <b>beau</b> village.</p>"},
            {
                "type": "image",
                "value": {
                    "image": {
                        "image": image.pk,
                        "alt_text": "Le lavoir restauré",
                        "decorative": False,
                    },
                    "caption": "Le lavoir en 2026",
                    "credit": "Mairie",
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "text": "Voir la mairie",
                    "page": commune_a.pk,
                    "url": "",
                    "style": "primary",
                },
            },
            {
                "type": "faq",
                "value": {
                    "heading": "Questions",
                    "items": [{"question": "Qui peut venir ?", "answer": "<p>Tout le monde.</p>"}],
                },
            },
        ],
    )
    content = client.get(page.url).content.decode()
    assert "<h3>Histoire</h3>" in content
    assert "<b>beau</b>" in content
    assert 'alt="Le lavoir restauré"' in content
    assert "<figcaption>Le lavoir en 2026" in content
    assert f'href="{commune_a.url}"' in content
    assert "<summary>Qui peut venir ?</summary>" in content


def test_news_index_pages_through_news(client, commune_a):
    from home.factories import NewsPageFactory
    from home.models import NewsIndexPage

    news_index = NewsIndexPage.objects.child_of(commune_a).get()
    for number in range(12):
        NewsPageFactory(parent=news_index, title=f"Nouvelle numéro {number:02d}")
    first = client.get(news_index.url).content.decode()
    second = client.get(news_index.url + "?page=2").content.decode()
    assert first.count('class="card"') == 10
    assert second.count('class="card"') == 2
    assert 'rel="next"' in first
    assert client.get(news_index.url + "?page=abc").status_code == 200
    assert client.get(news_index.url + "?page=999").status_code == 200


def test_unknown_page_answers_404_in_french(client, network_home):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_drafts_are_not_public(client, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Brouillon", live=False)
    assert client.get(f"{commune_a.url}{page.slug}/").status_code == 404
