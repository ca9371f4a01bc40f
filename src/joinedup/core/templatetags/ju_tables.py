"""`{% table_region "Cases" %}<table>…</table>{% endtable_region %}`: a wide table in its own scroll region.

At 320 px (WCAG 1.4.10) a table wider than the screen scrolls inside a focusable, labelled region rather than
making the whole page scroll sideways; keyboard users reach the region with Tab and scroll it with the arrow
keys. The markup is includes/table_region.html, so a page may also include that with `label` and `table`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

register = template.Library()


class TableRegionNode(template.Node):
    def __init__(self, label: template.base.FilterExpression, nodelist: template.NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context: Any) -> str:
        return render_to_string(
            "includes/table_region.html",
            {"label": self.label.resolve(context), "table": self.nodelist.render(context)},
        )


@register.tag
def table_region(parser: template.base.Parser, token: template.base.Token) -> TableRegionNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError('Use {% table_region "what the table lists" %}')
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(parser.compile_filter(bits[1]), nodelist)
