"""File sizes as people write them: «5 Mo», «1,5 Mo», «800 ko».

Django's ``filesizeformat`` writes «5,0 Mio» in French (binary units, always one decimal),
which nobody at a town hall writes. Units here are the usual ko, Mo, Go (of 1,024), with
one decimal only when the size is not round.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

KB = 1024
MB = 1024 * KB
GB = 1024 * MB


def file_size(size):
    size = max(int(size), 0)
    for factor, label in ((GB, _("%(size)s GB")), (MB, _("%(size)s MB")), (KB, _("%(size)s KB"))):
        if size >= factor:
            value = round(size / factor, 1)
            if value == int(value):
                return label % {"size": number_format(int(value), force_grouping=True)}
            return label % {"size": number_format(value, decimal_pos=1)}
    return ngettext("%(size)s byte", "%(size)s bytes", size) % {"size": size}
