"""The micro-parliament members' admin listing reads «Oui»/«Non» for true/false fields
(every commune-scoped listing does, ``mprc_cms.communes.yes_no_column``): it showed
Python's «True» and «False»."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from parliament.factories import MicroParliamentPageFactory
from parliament.models import ParliamentMember, Role
from tests.conftest import logged_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_module_on")]


def test_the_name_shown_column_says_yes_or_no(commune_a, editor_a):
    page = MicroParliamentPageFactory(parent=commune_a)
    for name, shown in (("Odile Perrin", True), ("Paul Rey", False)):
        ParliamentMember.objects.create(
            micro_parliament=page, commune=commune_a, name=name, role=Role.ELECTED, show_name=shown
        )
    with translation.override("fr"):
        content = logged_in(editor_a).get(reverse("participation_members:index")).content
        yes, no = gettext("Yes"), gettext("No")
    cells = [
        " ".join(c.split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", content.decode(), re.S)
    ]
    assert yes in cells
    assert no in cells
    assert "True" not in cells
    assert "False" not in cells
