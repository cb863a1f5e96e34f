"""Page 1's frames in a Word letter: which sit on GOV.UK Notify's grid (documents/grid.py).

Used by the large print transform (``accessible.py``): the address window's frame keeps
its size and place, the council's block keeps its frame (or, in very large print, opens
the body), the logo slot stays; any other frame becomes an ordinary paragraph.
"""

from __future__ import annotations

from typing import Any

from reviewdocs.documents import grid

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{_W_NS}}}{tag}"


def frame_position(frame: Any) -> tuple[int, int] | None:
    """(x, y) in twips of a frame fixed to the page, else None."""
    if frame.get(_w("hAnchor")) != "page" or frame.get(_w("vAnchor")) != "page":
        return None
    try:
        return int(frame.get(_w("x"), "")), int(frame.get(_w("y"), ""))
    except ValueError:
        return None


def in_window_frame(element: Any) -> bool:
    """Whether ``element`` is in a paragraph framed inside the envelope's address window."""
    para = element if element.tag == _w("p") else next(element.iterancestors(_w("p")), None)
    frame = None if para is None else para.find(f"{_w('pPr')}/{_w('framePr')}")
    position = None if frame is None else frame_position(frame)
    return position is not None and grid.in_address_window(*position)


def sender_into_body(document: Any) -> None:
    """Move the paragraphs framed in the sender's area to just after the paragraph that
    follows the page-one frames (the spacer that starts the body at y 95), unframed."""
    body = document.find(_w("body"))
    if body is None:
        return
    children = list(body)
    sender, last_framed = [], -1
    for i, child in enumerate(children):
        frame = child.find(f"{_w('pPr')}/{_w('framePr')}") if child.tag == _w("p") else None
        position = None if frame is None else frame_position(frame)
        if position is None or not grid.on_page_one_grid(*position):
            continue
        last_framed = i
        if not grid.in_address_window(*position) and grid.SENDER_AREA.x0 <= (
            position[0] / grid.TWIPS_PER_MM
        ):
            sender.append(child)
    anchor = next(
        (
            child
            for child in children[last_framed + 1 :]
            if child.tag == _w("p") and child.find(f"{_w('pPr')}/{_w('framePr')}") is None
        ),
        None,
    )
    if not sender or anchor is None:
        return
    for para in reversed(sender):
        frame = para.find(f"{_w('pPr')}/{_w('framePr')}")
        frame.getparent().remove(frame)
        anchor.addnext(para)


def unframe(root: Any) -> None:
    """Frames become ordinary paragraphs, except those of page 1's postal grid.

    A frame keeps its standard-print width, so large text inside it breaks phone
    numbers and email addresses over lines; in the flow it has the page's width.
    But the frames fixed to the page in Notify's areas stay where they are: in the
    flow, the council's address would come first and show through the envelope
    window as the recipient's (issue 14). The sender's block is 67 mm wide, enough
    for 18pt text; the address window keeps its size (``_pin_window_paragraphs``).
    """
    for frame in list(root.iter(_w("framePr"))):
        position = frame_position(frame)
        if position is not None and grid.on_page_one_grid(*position):
            continue
        frame.getparent().remove(frame)
