"""Posts of the service-exchange boards in the site search (declared in
``ExchangeConfig.mprc_module``): only the posts on a published board (published by the
town hall and not expired), never a post waiting, rejected, hidden or done, and nothing
of the poster but the first name the board shows."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from home.models import attach_communes
from mprc_cms.search import SearchKind, SearchResult, excerpt

from .models import ServiceExchangePage, ServiceListing


class PostKind(SearchKind):
    key = "posts"
    label = _("Service exchange posts")
    item_label = pgettext_lazy("noun", "Post")
    order_by = ("-published_at", "-pk")

    def records(self):
        def boards():
            found = self.scope.within(ServiceExchangePage.objects.live().public())
            found = attach_communes(list(found))
            return {board.commune.pk: board for board in found if board.commune is not None}

        self.boards = self.scope.memo("exchange-boards", boards)
        if not self.boards:
            return None
        posts = ServiceListing.objects.on_board(self.scope.today)
        return posts.filter(commune__in=list(self.boards)).select_related("category")

    def results(self, records, request):
        results = []
        for post in records:
            board = self.boards[post.commune_id]
            details = [post.get_kind_display(), post.category.name, post.hamlet]
            results.append(
                SearchResult(
                    title=post.title,
                    url=board.get_url(request) + board.reverse_subpage("listing", args=[post.pk]),
                    kind_label=self.item_label,
                    commune=board.commune.title,
                    detail=" · ".join(str(detail) for detail in details if detail),
                    excerpt=excerpt(post.description),
                )
            )
        return results
