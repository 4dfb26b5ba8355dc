import pytest

from needs.factories import CallForNeedsPageFactory, needs_index_for


@pytest.fixture
def commune_with_hamlets(commune_a):
    """Commune A, published, with hamlets and a town hall's e-mail."""
    commune_a.hamlets = "Le Bourg\nLes Granges\nLa Croix-Blanche"
    commune_a.email = "mairie@aubigny.example"
    commune_a.save_revision().publish()
    return commune_a


@pytest.fixture
def needs_index(commune_with_hamlets):
    """Commune A's «Needs and ideas» page (the module and those it requires on)."""
    return needs_index_for(commune_with_hamlets)


@pytest.fixture
def call(needs_index):
    """An open call of commune A: needs are published at once."""
    return CallForNeedsPageFactory(parent=needs_index, title="Appel 2026", slug="appel-2026")


@pytest.fixture
def moderated_call(needs_index):
    """An open call whose needs wait for approval."""
    return CallForNeedsPageFactory(
        parent=needs_index, title="Appel modéré", slug="appel-modere", requires_approval=True
    )


@pytest.fixture
def closed_call(needs_index):
    return CallForNeedsPageFactory(
        parent=needs_index,
        title="Appel 2025",
        slug="appel-2025",
        closed=True,
        question="Que faut-il pour les jeunes ?",
    )


@pytest.fixture
def upcoming_call(needs_index):
    return CallForNeedsPageFactory(
        parent=needs_index, title="Appel 2027", slug="appel-2027", upcoming=True
    )
