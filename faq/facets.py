"""Which part of an answer a message asks about (documents, fee, time, where, online, postal, steps)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from faq.normalize import Normalizer, _PhraseTable, clean, fold_word
from faq.schema import Facet

# (phrase as citizens type it after normalisation, facet, strength). The strongest phrase wins;
# among equals the earliest. "làm sao"/"thế nào" are weak: nearly every question says them.
# fmt: off
_PATTERNS: tuple[tuple[Facet, int, str], ...] = (
    (Facet.DOCUMENTS, 3, "cần gì|cần những gì|cần những giấy tờ gì|cần giấy tờ gì|cần giấy gì|"
     "giấy tờ gì|giấy gì|giấy tờ nào|những giấy tờ|những giấy gì|hồ sơ gồm|hồ sơ gồm những gì|"
     "hồ sơ cần|hồ sơ gì|hồ sơ những gì|chuẩn bị gì|chuẩn bị những gì|chuẩn bị giấy|"
     "chuẩn bị hồ sơ|mang theo|mang gì|mang những gì|thành phần hồ sơ|cần mang|cần chuẩn bị|"
     "cần có gì|giấy tờ cần|giấy tờ cần thiết|cần giấy|cần những giấy|cần những giấy tờ|"
     "phải có gì|cần có những gì|bản sao gì|đem theo|đem gì|đem những gì|cần đem"),
    (Facet.DOCUMENTS, 1, "giấy tờ|hồ sơ"),
    (Facet.FEE, 3, "bao nhiêu tiền|lệ phí|phí|mất phí|mất tiền|tốn tiền|hết tiền|chi phí|"
     "miễn phí|giá bao nhiêu|giá tiền|tốn bao nhiêu|hết bao nhiêu|nộp phí|đóng phí|đóng tiền|"
     "nộp tiền|mấy tiền|mấy trăm|mấy chục|bao nhiêu một trang|lệ phí bao nhiêu|cước phí|tiền cước|"
     "mất thuế|đóng thuế|nộp thuế|thuế bao nhiêu"),
    (Facet.FEE, 2, "mất bao nhiêu|tốn|trả bao nhiêu|tiền|thuế"),
    (Facet.FEE, 1, "bao nhiêu"),
    (Facet.TIME, 3, "mấy ngày|bao lâu|bao nhiêu ngày|thời gian|mấy hôm|mấy tuần|mấy tháng|"
     "bao giờ có|bao giờ lấy|bao giờ nhận|khi nào có|khi nào lấy|khi nào nhận|lâu không|"
     "bao nhiêu lâu|mất mấy|nhanh không|bao lâu thì|có nhanh|mất bao lâu|thời hạn giải quyết|"
     "trong ngày|lấy ngay|bao giờ thì có|có kết quả|ra kết quả|trả kết quả|"
     "chưa có kết quả|chưa thấy kết quả|chưa nhận được kết quả|xong chưa|bao giờ xong|khi nào xong"),
    (Facet.TIME, 2, "bao giờ|khi nào|lâu"),
    (Facet.WHERE, 3, "ở đâu|chỗ nào|nơi nào|tại đâu|đến đâu|đi đâu|cơ quan nào|địa chỉ|"
     "phòng nào|bộ phận nào|nộp ở|làm ở|ở chỗ nào|chỗ nào làm|nơi làm|nơi nộp|chỗ làm|chỗ nộp|"
     "ở đâu làm|đâu làm|đâu nộp|cấp nào|nơi nào làm|ở đâu cấp|phường nào|xã nào|tỉnh nào|"
     "ra đâu|lên đâu|về đâu|ở chỗ|hay phải lên|chỗ mình|nơi mình"),
    (Facet.ONLINE, 3, "online|trực tuyến|trên mạng|qua mạng|qua vneid|trên vneid|vneid|"
     "dịch vụ công|cổng dịch vụ công|qua app|trên app|ứng dụng|qua ứng dụng|trên điện thoại|"
     "qua điện thoại|qua internet|tại nhà làm|không cần đến|không phải đến|không cần đi|"
     "không phải đi|làm trên|nộp trên"),
    (Facet.POSTAL, 3, "bưu điện|bưu chính|bưu cục|vnpost|nhận tại nhà|nhận ở nhà|gửi về nhà|"
     "trả về nhà|trả tại nhà|chuyển phát|ship|gửi qua bưu|qua đường bưu|gửi qua đường|"
     "gửi về tận nhà|tận nhà|nhận qua|gửi hồ sơ qua|chuyển về nhà|shipper|gửi bưu|gửi ra bưu|gửi đường bưu"),
    (Facet.STEPS, 2, "các bước|những bước|từng bước|quy trình|trình tự|hướng dẫn|cách làm|"
     "tiếp theo|làm gì tiếp|làm gì nữa|bước tiếp|bắt đầu từ đâu|bắt đầu thế nào|"
     "cách thức|thủ tục thế nào|thủ tục như thế nào|thủ tục ra sao|làm thủ tục|"
     "làm như thế nào|làm thế nào|làm sao để|cách|bước"),
    (Facet.STEPS, 1, "làm sao|như thế nào|thế nào|ra sao"),
)
# fmt: on
_NOT_FACETS = "mai táng phí|tiền mai táng|chi phí mai táng|tiền tử tuất|tiền tuất"
"""Money the citizen would receive, not a fee to pay ("có được hỗ trợ mai táng phí không" asks for the
funeral allowance, not what registering the death costs): never facet phrases."""
_HOW_FAR = "đến đâu rồi|tới đâu rồi"
"""How far along a file is: the time part ("hồ sơ thường trú của tôi đến đâu rồi" is no place to go,
nor a list of papers), yet the words stay topic words — they name the tracking entry too."""


@dataclass(frozen=True, slots=True)
class FacetHit:
    """The facet asked, and where its words are (to keep them out of topic matching)."""

    facet: Facet | None
    spans: tuple[tuple[int, int], ...]
    """(start, end) of every facet phrase found, whichever facet it names."""
    named: frozenset[Facet] = frozenset()
    """Every facet a phrase names (the strongest one is `facet`)."""


class FacetFinder:
    """Facet phrases as they read after one FAQ's normalisation (its synonyms may rewrite them:
    "vneid" → "định danh điện tử", "phí ship" → "cước")."""

    def __init__(self, normalizer: Normalizer | None = None) -> None:
        normalizer = normalizer or Normalizer()
        strength: dict[tuple[tuple[str, ...], Facet], int] = {}
        for facet, level, phrases in _PATTERNS:
            for phrase in phrases.split("|"):
                plain = tuple(clean(phrase).split())
                rewritten = normalizer.tokens(phrase)
                # A rewrite down to one word ("phí ship" → "cước") would catch too much.
                for key in (plain, rewritten) if len(rewritten) > 1 else (plain,):
                    if key and strength.get((key, facet), 0) < level:
                        strength[(key, facet)] = level
        # Tones left out of a phrase typed fast ("cân giây tơ gi" is "cần giấy tờ gì"), one word as written.
        self._table = _PhraseTable(
            ((key, (f"{facet}:{level}",)) for (key, facet), level in strength.items()), forgotten_marks=True
        )
        shields: dict[tuple[str, ...], str] = {}
        for phrases, label in ((_NOT_FACETS, "-"), (_HOW_FAR, f"{Facet.TIME}:3")):
            for phrase in phrases.split("|"):
                for key in (tuple(clean(phrase).split()), normalizer.tokens(phrase)):
                    if key:
                        shields[key] = label
        self._shields = _PhraseTable((key, (label,)) for key, label in shields.items())

    def find(self, tokens: Sequence[str]) -> FacetHit:
        """The facet named by normalised tokens, and the spans of all facet phrases."""
        table = self._table
        best: tuple[int, int, Facet] | None = None
        spans: list[tuple[int, int]] = []
        named: set[Facet] = set()
        # Every start is tried, so overlapping phrases ("mất mấy" + "mấy ngày") all count.
        folded = [fold_word(t) for t in tokens]
        shielded = 0
        for i in range(len(tokens)):
            shield = (
                self._shields.match_at(tokens, i, folded) if folded[i] in self._shields.first_words else None
            )
            if shield is not None:
                shielded = max(shielded, i + shield[0])
                (label,) = shield[1]
                if label != "-" and (best is None or (-3, i) < (best[0], best[1])):
                    best = (-3, i, Facet(label.split(":")[0]))  # a facet whose words are not set aside
            if i < shielded:
                continue
            hit = table.match_at(tokens, i, folded) if folded[i] in table.first_words else None
            if hit is None:
                continue
            length, (label,) = hit
            if _TAX_OR_RENT in tokens[i : i + length]:
                continue  # "nha thue" is a rented house as often as a tax: no fee asked
            name, level = label.split(":")
            spans.append((i, i + length))
            named.add(Facet(name))
            rank = (-int(level), i)
            if best is None or rank < (best[0], best[1]):
                best = (rank[0], rank[1], Facet(name))
        return FacetHit(best[2] if best else None, tuple(spans), frozenset(named))


_TAX_OR_RENT = "thue"
"""Typed without accents, "thuế" (tax, a fee word) and "thuê" (to rent) are one word."""


_BUILT_IN = FacetFinder()


def find_facet(tokens: Sequence[str]) -> FacetHit:
    """The facet named by tokens normalised without FAQ synonyms."""
    return _BUILT_IN.find(tokens)


def detect_facet(text: str) -> Facet | None:
    """The facet a raw message asks about, if any (built-in abbreviations applied)."""
    return find_facet(Normalizer().tokens(text)).facet


_WAITING = re.compile(
    r"\b(?:(?:den|toi) dau roi|chua (?:co|thay|nhan duoc) (?:ket qua|giay|tra loi)|(?:da )?xong chua"
    r"|bao gio (?:xong|co ket qua)|khi nao (?:xong|co ket qua)|sao lau (?:vay|the|qua)"
    r"|chua tra ket qua|tre hen"
    r"|(?:van |ma |con )?chua (?:xong|giai quyet|giai quyet xong|tra)"
    r"(?:\s(?:a|ad|nua|vay|the|z|ha|nhi|ca))*$)\b"
)


def asks_how_far(text: str) -> bool:
    """Whether a message asks how far along the citizen's own file is ("hồ sơ của tôi đến đâu rồi",
    "nộp 10 ngày rồi chưa có kết quả"): the processing time answers half, tracking the file the rest."""
    return _WAITING.search(" ".join(fold_word(w) for w in clean(text).split())) is not None
