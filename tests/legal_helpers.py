"""Reading a site's legal pages in a test."""

from bs4 import BeautifulSoup


def privacy_sections(client, commune):
    """The processings on a commune's personal data page: {title: its text, whitespace
    collapsed}."""
    response = client.get(f"{commune.url}donnees-personnelles/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        section.find("h3").get_text(): " ".join(section.get_text(" ").split())
        for section in soup.select("section.processing")
    }
